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

# --- Telegram -----------------------------------------------------------------

WELCOME = (
    "Xin chào Anh/Chị! Em là trợ lý công tác dân vận.\n"
    "Em giải đáp theo các văn bản về dân vận của TP. Hồ Chí Minh, Lai Châu, Đồng Nai (luôn kèm nguồn) "
    "và giúp Anh/Chị tra cứu nhiệm vụ, chỉ tiêu, thời hạn.\n\n"
    "Anh/Chị là:"
)
ROLE_CITIZEN = "👤 Người dân"
ROLE_OFFICIAL = "🏛 Cán bộ, đảng viên"
ASK_LOCALITY = "Anh/Chị quan tâm văn bản của địa phương nào? (Em sẽ ưu tiên nội dung của nơi đó.)"
LOCALITY_NAMES = {"hcm": "TP. Hồ Chí Minh", "laichau": "Lai Châu", "dongnai": "Đồng Nai"}
LOCALITY_ANY = "Tất cả / nơi khác"
SAVED_CHOICES = "Em đã ghi nhận: {role}, {locality}. Anh/Chị có thể đổi bất cứ lúc nào bằng /vaitro."
MAIN_MENU = "Anh/Chị cứ gõ câu hỏi bằng lời thường (có dấu hay không dấu đều được), hoặc chọn:"
MENU_ASK = "❓ Đặt câu hỏi"
MENU_TOPICS = "📚 Chủ đề"
MENU_SEARCH = "🔎 Tra cứu văn bản"
MENU_DEADLINES = "⏰ Thời hạn báo cáo"
MENU_REMINDERS = "🔔 Nhắc hạn"
MENU_HELP = "ℹ️ Hướng dẫn"
MENU_HOME = "🏠 Menu"
BACK_TO_TOPICS = "⬅️ Chủ đề"
ASK_HINT = "Anh/Chị gõ câu hỏi ngay bên dưới, ví dụ: “5 không là gì?”, “muốn gặp chủ tịch phường thì làm sao?”"
HELP = (
    "Cách dùng:\n"
    "• Gõ câu hỏi bằng lời thường, có dấu hay không dấu đều được.\n"
    "• /chude — xem các chủ đề\n"
    "• /tracuu từ khóa — tìm đoạn văn bản (kèm nguồn)\n"
    "• /thoihan — thời hạn báo cáo theo địa phương\n"
    "• /nhacviec — đăng ký nhắc trước hạn báo cáo\n"
    "• /vaitro — đổi vai trò, địa phương\n"
    "Mỗi câu trả lời đều ghi nguồn văn bản; Anh/Chị bấm 👍/👎 để góp ý giúp em."
)
COMMANDS = {
    "start": "Bắt đầu, chọn vai trò",
    "chude": "Các chủ đề",
    "tracuu": "Tra cứu đoạn văn bản",
    "thoihan": "Thời hạn báo cáo",
    "nhacviec": "Nhắc trước hạn báo cáo",
    "vaitro": "Đổi vai trò, địa phương",
    "trogiup": "Hướng dẫn sử dụng",
}
TOPICS = "Chọn một chủ đề:"
THEME_HEADER = "{theme} — chọn nội dung:"
VOTE_UP = "👍 Hữu ích"
VOTE_DOWN = "👎 Chưa đúng"
VOTE_THANKS = "Em cảm ơn Anh/Chị đã góp ý!"
VOTE_SORRY = "Em cảm ơn, em sẽ báo để bổ sung nội dung này."
FORWARD_FEEDBACK = "📨 Gửi câu hỏi cho cán bộ"
FEEDBACK_FORWARDED = (
    "Em đã chuyển câu hỏi của Anh/Chị cho quản trị viên để trả lời và bổ sung nội dung. "
    "Em cảm ơn Anh/Chị!"
)
FEEDBACK_GONE = "Câu hỏi này không còn để chuyển nữa. Anh/Chị gõ lại câu hỏi giúp em."
STALE_BUTTON = "Nút này đã cũ hoặc không hợp lệ. Anh/Chị gõ câu hỏi hoặc bấm /chude để bắt đầu lại."
SEARCH_PROMPT = "Anh/Chị gõ /tracuu kèm từ khóa, ví dụ: /tracuu tiếp công dân"
SEARCH_TOO_LONG = "Từ khóa dài quá, Anh/Chị rút gọn giúp em (dưới 200 ký tự)."
DEADLINES_HEADER = "Thời hạn báo cáo trong các văn bản{where}:"
DEADLINE_NEXT = "lần tới: {date}"
DEADLINES_NONE = "Các văn bản em có không nêu thời hạn báo cáo cho địa phương này."
REMINDERS_HEADER = (
    "Chọn thời hạn muốn được nhắc (em nhắc trước 7 ngày và trước 1 ngày). "
    "Bấm lần nữa để tắt."
)
REMINDERS_NONE = "Hiện không có thời hạn nào sắp tới để nhắc."
REMINDER_ON = "Đã bật nhắc: {title}"
REMINDER_OFF = "Đã tắt nhắc: {title}"
REMINDER_TEXT = "⏰ Nhắc hạn: {title}\nHạn: {when} ({date}), còn {days} ngày.\n📄 Nguồn: {citation}"
NOT_TEXT = (
    "Em chỉ đọc được tin nhắn chữ. Anh/Chị gõ câu hỏi giúp em, "
    "hoặc bấm /chude để xem các chủ đề."
)
TOO_FAST = "Anh/Chị gửi hơi nhanh, em xin phép trả lời chậm lại một chút. Anh/Chị đợi vài giây rồi gửi tiếp giúp em nhé."
ERROR_APOLOGY = "Xin lỗi Anh/Chị, em vừa gặp trục trặc khi xử lý tin nhắn này. Anh/Chị thử lại sau ít phút giúp em."
ADMIN_ERROR = "⚠️ Lỗi khi xử lý cập nhật {update}: {error}"
ADMIN_FEEDBACK = "📨 Câu hỏi chưa có trả lời (số {id}), người dùng {user} đề nghị cán bộ trả lời:\n{question}"
LONG_MESSAGE_NOTE = "(Tin nhắn dài, em chỉ đọc phần đầu.)"
