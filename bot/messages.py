"""Every user-facing Vietnamese text of the assistant, in one place to read and correct together."""

from __future__ import annotations

SOURCE_HEADER = "📄 Nguồn:"
PASSAGE_INTRO = "Em chưa có câu trả lời soạn sẵn cho câu hỏi này, nhưng văn bản có đoạn sau:"

CLARIFY = "Anh/Chị muốn hỏi về nội dung nào dưới đây ạ?"
CLARIFY_HINT = "Anh/Chị chọn một mục (gõ số thứ tự) hoặc hỏi lại cụ thể hơn."

FALLBACK = (
    "Xin lỗi Anh/Chị, em chưa tìm thấy nội dung này trong các văn bản em đang có "
    "(công tác dân vận của TP. Hồ Chí Minh, Lai Châu và Đồng Nai).\n"
    "Anh/Chị có thể hỏi theo cách khác, xem danh sách chủ đề, "
    "hoặc gửi câu hỏi này thành phản ánh để cán bộ trả lời."
)
FALLBACK_EMPTY = "Anh/Chị muốn hỏi gì về công tác dân vận ạ? Anh/Chị cứ gõ câu hỏi, có dấu hay không dấu đều được."
FALLBACK_OTHER_PLACE = (
    "Xin lỗi Anh/Chị, các văn bản em đang có không nói về {place}: em chỉ có văn bản của "
    "TP. Hồ Chí Minh, Lai Châu và Đồng Nai, nên không thể trả lời thay cho địa phương khác.\n"
    "Anh/Chị có thể hỏi về các địa phương này, hoặc gửi câu hỏi thành phản ánh để cán bộ trả lời."
)
FALLBACK_OTHER_YEAR = (
    "Xin lỗi Anh/Chị, số liệu em có về nội dung này chỉ áp dụng cho năm {have}, "
    "không phải năm {asked}. Em không dùng số liệu năm khác để trả lời thay.\n"
    "Anh/Chị có thể gửi câu hỏi thành phản ánh để cán bộ trả lời."
)
OFFER_FEEDBACK = "Gửi câu hỏi thành phản ánh"

SEARCH_NONE = "Không tìm thấy đoạn văn bản nào phù hợp với “{query}”. Anh/Chị thử từ khóa khác."
SEARCH_HEADER = "Các đoạn văn bản phù hợp nhất với “{query}”:"

CHAT_WELCOME = (
    "Trợ lý công tác dân vận (chế độ dòng lệnh). Anh/Chị gõ câu hỏi rồi nhấn Enter; "
    "gõ /chude để xem chủ đề, /thoat để thoát."
)
CHAT_TOPICS = "Các chủ đề em có thể giải đáp:"
CHAT_BYE = "Cảm ơn Anh/Chị. Chúc Anh/Chị một ngày tốt lành!"
CHAT_NO_OPTION = "Không có mục số {number}. Anh/Chị chọn lại giúp em."
