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
FALLBACK_REPORT = (
    "Em chưa tìm thấy nội dung này trong các văn bản em đang có. Nếu Anh/Chị muốn báo sự việc "
    "này để cơ quan có trách nhiệm xử lý, Anh/Chị bấm nút gửi thành phản ánh bên dưới, "
    "em sẽ chuyển đến đơn vị phụ trách và báo lại kết quả."
)
FALLBACK_EMPTY = "Anh/Chị muốn hỏi gì về công tác dân vận ạ? Anh/Chị cứ gõ câu hỏi, có dấu hay không dấu đều được."
FALLBACK_OTHER_PLACE = (
    "Xin lỗi Anh/Chị, các văn bản em đang có không nói về {place}: em chỉ có văn bản của "
    "TP. Hồ Chí Minh, Lai Châu và Đồng Nai, nên không thể trả lời thay cho địa phương khác.\n"
    "Anh/Chị có thể hỏi về các địa phương này, hoặc gửi câu hỏi thành phản ánh để cán bộ trả lời."
)
FALLBACK_OTHER_YEAR = (
    "Xin lỗi Anh/Chị, văn bản em có về nội dung này là của năm {have}, "
    "không phải năm {asked}. Em không dùng văn bản, số liệu năm khác để trả lời thay.\n"
    "Anh/Chị có thể gửi câu hỏi thành phản ánh để cán bộ trả lời."
)
FALLBACK_PERSON = (
    "Xin lỗi Anh/Chị, các văn bản em đang có nói về nhiệm vụ của từng chức vụ, "
    "không nêu tên người đang giữ chức vụ nào. Anh/Chị có thể xem trên cổng thông tin "
    "của địa phương, hoặc gửi câu hỏi thành phản ánh để cán bộ trả lời."
)
FALLBACK_PROCEDURE = (
    "Xin lỗi Anh/Chị, các văn bản về công tác dân vận em đang có không quy định thủ tục, hồ sơ, "
    "mức tiền hay định mức này. Anh/Chị nên hỏi bộ phận một cửa của UBND xã, phường hoặc "
    "cơ quan chuyên môn; hoặc gửi câu hỏi thành phản ánh để cán bộ trả lời."
)
FALLBACK_REORGANISED = (
    "Xin lỗi Anh/Chị, các văn bản em có đều ban hành trước khi sắp xếp đơn vị hành chính năm 2025 "
    "(từ ngày 01/7/2025), nên không nói về tổ chức, bộ máy hay quy định sau sắp xếp. Anh/Chị có thể xem "
    "cổng thông tin của địa phương, hoặc gửi câu hỏi thành phản ánh để cán bộ trả lời."
)
FALLBACK_LAW = (
    "Xin lỗi Anh/Chị, các văn bản dân vận em có chỉ nhắc tên các luật, nghị định, không trích điều, khoản "
    "hay ngày có hiệu lực của chúng. Anh/Chị có thể tra cứu toàn văn trên Cơ sở dữ liệu quốc gia về văn bản "
    "pháp luật (vbpl.vn), hoặc gửi câu hỏi thành phản ánh để cán bộ trả lời."
)
FALLBACK_TODAY = (
    "Xin lỗi Anh/Chị, các văn bản em có là kế hoạch, chương trình dân vận ban hành trong các năm 2020 - 2024: "
    "không có thông tin thời sự, lịch sử, địa lý, số liệu hiện nay hay địa chỉ, số điện thoại liên hệ. Anh/Chị có thể xem "
    "cổng thông tin của địa phương, hoặc gửi câu hỏi thành phản ánh để cán bộ trả lời."
)
FALLBACK_RESULTS = (
    "Xin lỗi Anh/Chị, các văn bản em có là kế hoạch, chương trình, hướng dẫn: chúng đặt ra "
    "mục tiêu, chỉ tiêu, không báo cáo kết quả đã đạt được sau khi ban hành. "
    "Anh/Chị có thể gửi câu hỏi thành phản ánh để cán bộ trả lời."
)
FALLBACK_DOCUMENT_ELSEWHERE = (
    "Xin lỗi Anh/Chị, trong các văn bản em có không có {kind} này của {place}; "
    "em chỉ có văn bản đó của {other}. Anh/Chị có thể hỏi về văn bản của {other}, "
    "hoặc gửi câu hỏi thành phản ánh để cán bộ trả lời."
)
FALLBACK_DOCUMENT = (
    "Xin lỗi Anh/Chị, các văn bản em có không nhắc đến “{name}”, nên em không trả lời về nội dung của nó. "
    "Anh/Chị có thể hỏi về các văn bản dân vận của TP. Hồ Chí Minh, Lai Châu và Đồng Nai, "
    "hoặc gửi câu hỏi thành phản ánh để cán bộ trả lời."
)
FALLBACK_LOCAL_COMMITTEE = (
    "Xin lỗi Anh/Chị, em chỉ có văn bản cấp tỉnh, thành phố (TP. Hồ Chí Minh, Thành ủy Lai Châu, "
    "Tỉnh ủy Đồng Nai), không có kế hoạch riêng của {name}. "
    "Anh/Chị có thể hỏi nội dung của cấp trên, hoặc gửi câu hỏi thành phản ánh để cán bộ trả lời."
)
FALLBACK_NO_FIGURE = (
    "Xin lỗi Anh/Chị, các văn bản em có không nêu cụ thể điều Anh/Chị hỏi (con số, ngày tháng hay số hiệu này). "
    "Em không đưa thông tin mà văn bản không ghi. Anh/Chị có thể gửi câu hỏi thành phản ánh để cán bộ trả lời."
)
PLACE_NOT_SAID = "Văn bản của {place} không nêu riêng nội dung này. Văn bản của các địa phương khác ghi:"
PLACE_NOT_SAID_OTHER = "Văn bản của {place} em có không nêu riêng nội dung này. Để Anh/Chị tham khảo, văn bản của {other} ghi:"
PLACE_NOT_SAID_SPECIFIC = (
    "Xin lỗi Anh/Chị, văn bản của {place} em có không nêu cụ thể điều này, và em không dùng số liệu, "
    "thời hạn của địa phương khác để trả lời thay. Anh/Chị có thể gửi câu hỏi thành phản ánh để cán bộ trả lời."
)
LAI_CHAU_IS_THE_CITY = (
    "Lưu ý: văn bản em có về Lai Châu là Kế hoạch 109-KH/ThU của Thành ủy Lai Châu (TP. Lai Châu), "
    "không phải kế hoạch của Tỉnh ủy Lai Châu. Kế hoạch của thành phố ghi:"
)
FALLBACK_MERGED = (
    "Từ ngày 01/7/2025, {area} thuộc {into}. Các văn bản em có đều ban hành trước đó, nên chỉ nói về "
    "{into} theo địa giới cũ: nhiệm vụ, chỉ tiêu, số liệu trong đó không tính {area}. "
    "Anh/Chị có thể hỏi về nội dung chung của {into}, hoặc gửi câu hỏi thành phản ánh để cán bộ trả lời."
)
OPENER = "Dạ, Anh/Chị cứ hỏi ạ. Em trả lời theo các văn bản về công tác dân vận, có dấu hay không dấu đều được."
RUDE = "Dạ, em xin lỗi nếu em chưa giúp được Anh/Chị. Anh/Chị cho em biết cần hỏi gì, em sẽ cố gắng trả lời ạ."
QUOTE_HEADER = "📌 Văn bản ghi:"
CARD_HEADER = "📌 Thông tin văn bản:"
NO_DATE_GIVEN = "Dạ, bản văn bản em có không ghi ngày ban hành. Những gì văn bản ghi về chính nó:"
FOLLOW_UP_WHAT = (
    "Anh/Chị muốn hỏi nội dung gì của {place} ạ? Ví dụ: chỉ tiêu, thời hạn báo cáo, "
    "phương châm, phong trào “Dân vận khéo”, nhiệm vụ của Mặt trận và các đoàn thể."
)
FOLLOW_UP_NOTHING = (
    "Về “{topic}”, các văn bản em có không nêu riêng cho {place}. "
    "Anh/Chị có thể hỏi nội dung khác của {place}, hoặc gửi câu hỏi thành phản ánh để cán bộ trả lời."
)

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
    "• /phananh — gửi phản ánh, kiến nghị; /phananhcuatoi — theo dõi; /trangthai mã — tra theo mã\n"
    "• /vaitro — đổi vai trò, địa phương\n"
    "Mỗi câu trả lời đều ghi nguồn văn bản; Anh/Chị bấm 👍/👎 để góp ý giúp em."
)
COMMANDS = {
    "start": "Bắt đầu, chọn vai trò",
    "chude": "Các chủ đề",
    "tracuu": "Tra cứu đoạn văn bản",
    "thoihan": "Thời hạn báo cáo",
    "nhacviec": "Nhắc trước hạn báo cáo",
    "phananh": "Gửi phản ánh, kiến nghị",
    "phananhcuatoi": "Phản ánh của tôi",
    "trangthai": "Tra trạng thái phản ánh theo mã",
    "huy": "Hủy phản ánh đang soạn",
    "vaitro": "Đổi vai trò, địa phương",
    "trogiup": "Hướng dẫn sử dụng",
}
TOPICS = "Chọn một chủ đề:"
THEME_HEADER = "{theme} — chọn nội dung:"
VOTE_UP = "👍 Hữu ích"
SHOW_MORE = "📖 Xem thêm"
VOTE_DOWN = "👎 Chưa đúng"
VOTE_THANKS = "Em cảm ơn Anh/Chị đã góp ý!"
VOTE_SORRY = "Em cảm ơn, em sẽ báo để bổ sung nội dung này."
FORWARD_FEEDBACK = "📝 Gửi thành phản ánh"
FEEDBACK_GONE = "Câu hỏi này không còn để chuyển nữa. Anh/Chị gõ lại câu hỏi giúp em."
STALE_BUTTON = "Nút này đã cũ hoặc không còn dùng được. Anh/Chị dùng nút ở tin nhắn mới nhất, hoặc gõ /menu."
SEARCH_PROMPT = "Anh/Chị gõ /tracuu kèm từ khóa, ví dụ: /tracuu tiếp công dân"
SEARCH_TOO_LONG = "Từ khóa dài quá, Anh/Chị rút gọn giúp em (dưới 200 ký tự)."
DEADLINES_HEADER = "Thời hạn báo cáo trong các văn bản{where}:"
# A deadline as the document words it, then as days (never a day the document does not give), and its status.
DEADLINE_DAY = "“{written}” ({date})"
DEADLINE_QUARTER = "“{written}” (quý kết thúc ngày {end})"
DEADLINE_MONTH = "“{written}” (các năm {first} - {last})"
DEADLINE_PERIODIC = "“{written}” (văn bản không nêu ngày cụ thể)"
DEADLINE_NEXT_MONTH = "lần tới: tháng {month}/{year}"
DEADLINE_DAYS_LEFT = "còn {days} ngày"
DEADLINE_PERIODIC_STATUS = "định kỳ"
DEADLINE_PAST_PERIOD = "đã hết thời kỳ của văn bản ({first} - {last})"
DEADLINE_PASSED = "đã qua"
DEADLINE_LABEL_QUARTER = "quý {quarter}"
DEADLINE_LABEL_MONTH = "tháng {month}/{year}"
DEADLINES_NONE = "Các văn bản em có không nêu thời hạn báo cáo cho địa phương này."
REMINDERS_HEADER = (
    "Chọn thời hạn muốn được nhắc (em nhắc trước 7 ngày và trước 1 ngày). "
    "Bấm lần nữa để tắt."
)
REMINDERS_NONE = (
    "Hiện không có thời hạn nào sắp tới để nhắc: các thời hạn có ngày trong văn bản đều đã qua. "
    "Anh/Chị xem /thoihan để biết đầy đủ."
)
REMINDERS_NONE_HERE = (
    "Văn bản của {place} chỉ nêu báo cáo định kỳ, không có ngày cụ thể để nhắc "
    "(xem /thoihan). Các thời hạn có ngày trong văn bản của địa phương khác:"
)
REMINDER_ON = "Đã bật nhắc: {title}"
REMINDER_OFF = "Đã tắt nhắc: {title}"
REMINDER_TEXT = "⏰ Nhắc hạn: {title}\nHạn: {when}, còn {days} ngày.\n📄 Nguồn: {citation}"
REMINDER_MONTH_TEXT = "⏰ Nhắc hạn: {title}\nHạn: {when}; còn {days} ngày nữa là đến tháng {month}.\n📄 Nguồn: {citation}"
NOT_TEXT = (
    "Em chỉ đọc được tin nhắn chữ. Anh/Chị gõ câu hỏi giúp em, "
    "hoặc bấm /chude để xem các chủ đề."
)
TOO_FAST = "Anh/Chị gửi hơi nhanh, em sẽ trả lời lần lượt từng tin, chậm hơn một chút ạ."
TOO_MANY = (
    "Anh/Chị gửi nhiều tin quá nhanh nên những tin gửi tiếp trong lúc này em chưa đọc được. "
    "Anh/Chị đợi một lát rồi gửi lại câu hỏi giúp em nhé."
)
ERROR_APOLOGY = "Xin lỗi Anh/Chị, em vừa gặp trục trặc khi xử lý tin nhắn này. Anh/Chị thử lại sau ít phút giúp em."
ADMIN_ERROR = "⚠️ Lỗi khi xử lý cập nhật {update}: {error}"
LONG_MESSAGE_NOTE = "(Tin nhắn dài, em chỉ đọc phần đầu.)"

# --- Petitions ------------------------------------------------------------------

MENU_PETITION = "📝 Gửi phản ánh"
MENU_MY_PETITIONS = "📋 Phản ánh của tôi"
PETITION_CATEGORY = "📝 Gửi phản ánh, kiến nghị (/huy để hủy bất cứ lúc nào).\nAnh/Chị chọn lĩnh vực:"
PETITION_AREA = "Sự việc thuộc khu vực nào?"
PETITION_DESCRIBE = "Anh/Chị mô tả sự việc: việc gì, ở đâu, từ khi nào, ảnh hưởng thế nào (ít nhất {min} ký tự)."
PETITION_PREFILLED = "Em dùng nội dung Anh/Chị đã gửi làm nội dung phản ánh: “{text}”."
PETITION_SHORT = "Nội dung hơi ngắn, Anh/Chị mô tả thêm giúp em (ít nhất {min} ký tự)."
PETITION_LONG = "Nội dung dài {length} ký tự, Anh/Chị rút gọn dưới {max} ký tự giúp em."
PETITION_PLACE = "Sự việc xảy ra ở đâu? Anh/Chị gõ địa chỉ, hoặc gửi vị trí (📎 → Vị trí), hoặc bấm “Bỏ qua”."
PETITION_PHOTO = "Anh/Chị có ảnh kèm theo không? Gửi tối đa {max} ảnh rồi bấm “Tiếp tục”, hoặc bấm “Tiếp tục” luôn."
PETITION_PHOTO_OK = "Đã nhận ảnh {n}/{max}."
PETITION_PHOTO_FULL = "Đã đủ {max} ảnh. Anh/Chị bấm “Tiếp tục”."
PETITION_PHOTO_BIG = "Ảnh lớn quá (tối đa 10 MB), Anh/Chị gửi ảnh khác giúp em."
PETITION_CONTACT = (
    "Anh/Chị có muốn để lại số điện thoại để đơn vị liên hệ không?\n"
    "🔒 Số điện thoại chỉ đơn vị xử lý phản ánh và quản trị viên xem được, chỉ dùng để liên hệ về phản ánh này; "
    "Anh/Chị có thể yêu cầu xóa khi phản ánh đã đóng.\n"
    "Anh/Chị bấm “📱 Gửi số điện thoại của tôi”, gõ số điện thoại, hoặc bấm “🙈 Gửi ẩn danh” ở bàn phím bên dưới."
)
SHARE_PHONE = "📱 Gửi số điện thoại của tôi"
ANONYMOUS = "🙈 Gửi ẩn danh"
SKIP = "Bỏ qua"
CONTINUE = "Tiếp tục ➡️"
SUBMIT = "✅ Gửi phản ánh"
CANCEL = "❌ Hủy"
CONTACT_NOT_OWN = "Em chỉ nhận số điện thoại của chính Anh/Chị (bấm nút “Gửi số điện thoại của tôi”)."
CONTACT_SAVED = "Đã nhận số điện thoại."
PETITION_REVIEW = (
    "Anh/Chị kiểm tra lại phản ánh:\n"
    "• Lĩnh vực: {category}\n{area}"
    "• Nội dung: {description}\n"
    "• Địa điểm: {place}\n"
    "• Ảnh: {photos}\n"
    "• Liên hệ: {contact}"
)
COMPLAINT_NOTE = (
    "ℹ️ Nội dung này là khiếu nại/tố cáo: việc giải quyết theo trình tự pháp luật riêng. Anh/Chị nên gửi đơn "
    "đến cơ quan có thẩm quyền hoặc nơi tiếp công dân; người đứng đầu cấp ủy, chính quyền có trách nhiệm tiếp "
    "công dân, đối thoại trực tiếp với Nhân dân. Em vẫn ghi nhận và chuyển phản ánh này."
)
PETITION_SAVED = (
    "✅ Đã tiếp nhận phản ánh của Anh/Chị.\nMã theo dõi: {code}\nHạn xử lý: {due} ({days} ngày làm việc)\n"
    "Em sẽ báo khi có cập nhật. Anh/Chị xem lại bằng /phananhcuatoi hoặc /trangthai {code}."
)
PETITION_CANCELLED = "Đã hủy phản ánh đang soạn."
PETITION_NOTHING = "Anh/Chị không có phản ánh nào đang soạn."
PETITION_EXPIRED = "Phản ánh soạn dở đã quá {minutes} phút nên em đã hủy. Anh/Chị bắt đầu lại bằng /phananh nhé."
PETITION_LIMIT = "Hôm nay Anh/Chị đã gửi {n} phản ánh, là mức tối đa trong ngày. Anh/Chị gửi tiếp vào ngày mai giúp em."
PETITION_WAITING = "Anh/Chị đang gửi phản ánh dở: bấm một nút ở tin nhắn trên để tiếp tục, hoặc /huy để hủy."
PETITION_NEED = "Ở bước này em cần {what}."
NEED_TEXT = "nội dung bằng chữ"
NEED_PLACE = "địa chỉ bằng chữ hoặc vị trí"
NEED_PHOTO = "ảnh (hoặc bấm “Tiếp tục”)"
NONE = "(không có)"
ANONYMOUS_LABEL = "ẩn danh"
MY_PETITIONS_NONE = "Anh/Chị chưa gửi phản ánh nào. Bấm /phananh để gửi."
MY_PETITIONS = "Phản ánh của Anh/Chị (mới nhất trước):"
PETITION_LINE = "• {code} — {category}: {status} ({date})"
STATUS_PROMPT = "Anh/Chị gõ /trangthai kèm mã theo dõi, ví dụ: /trangthai 7K3M-Q9RT"
STATUS_UNKNOWN = "Không tìm thấy phản ánh có mã “{code}”. Anh/Chị kiểm tra lại mã giúp em."
STATUS_OF = "Phản ánh {code} ({category}): {status}, cập nhật {date}."

# what a unit's chat sees
UNIT_NEW = (
    "{title} {code}\nLĩnh vực: {category}\n{area}Nội dung: {description}\nĐịa điểm: {place}\n"
    "Liên hệ: {contact}\nNgày gửi: {date}\nHạn xử lý: {due}\nTrạng thái: {status}"
)
UNIT_COMPLAINT = "⚠️ Khiếu nại/tố cáo: xử lý theo trình tự pháp luật."
UNIT_REDIRECTED = "↪️ Phản ánh được chuyển đến {unit} để xử lý."
UNIT_PERSONAL_DELETED = "🔒 Người gửi đã xóa thông tin cá nhân (liên hệ, địa điểm, ảnh) khỏi phản ánh này."
UNIT_PHOTO = "Ảnh kèm phản ánh {code}"
UNIT_ACCEPT = "📥 Tiếp nhận"
UNIT_PROGRESS = "⏳ Đang xử lý"
UNIT_RESOLVE = "✅ Đã giải quyết"
UNIT_REJECT = "🚫 Từ chối"
UNIT_MOVE = "↪️ Chuyển đơn vị"
UNIT_NOT_ALLOWED = "Anh/Chị không có quyền xử lý phản ánh này."
UNIT_NOT_NOW = "Phản ánh đang ở trạng thái “{status}” nên việc này không làm được nữa."
UNIT_UPDATED = "Đã cập nhật phản ánh {code}: {status} (bởi {who})."
UNIT_ASK_REPLY = (
    "{who}: Anh/Chị nhập nội dung trả lời người dân cho phản ánh {code} (trả lời tin nhắn này, hoặc gõ ngay "
    "trong nhóm; có thể gửi kèm ảnh hoặc tệp làm minh chứng, nội dung ghi ở chú thích). Gõ /huy để thôi."
)
EVIDENCE_ONLY = "Đơn vị gửi kèm minh chứng bên dưới."
UNIT_ASK_REASON = (
    "{who}: Anh/Chị nhập lý do không giải quyết và nơi người dân nên liên hệ, cho phản ánh {code} (trả lời tin "
    "nhắn này, hoặc gõ ngay trong nhóm). Gõ /huy để thôi."
)
UNIT_CHOOSE = "Chuyển phản ánh {code} đến đơn vị nào?"
UNIT_MOVED = "Đã chuyển phản ánh {code} đến {unit}."

# what the citizen is told
CITIZEN_STATUS = "🔔 Phản ánh {code}: {status}."
CITIZEN_REPLY = "📬 {unit} trả lời phản ánh {code}:\n{text}"
CITIZEN_REJECTED = "📬 {unit} về phản ánh {code}: phản ánh không được giải quyết tại đơn vị.\nLý do và nơi nên liên hệ: {text}"
CITIZEN_MOVED = "🔔 Phản ánh {code} đã được chuyển đến {unit} để xử lý."
ADMIN_DEAD = "⚠️ Không gửi được phản ánh {code} đến {chat} sau {attempts} lần ({error}). Cần xử lý thủ công."
ADMIN_REDACT_FAILED = (
    "⚠️ Người gửi phản ánh {code} đã xóa thông tin cá nhân, nhưng không xóa được bản sao trong nhóm {chat} "
    "({error}). Đề nghị xóa thủ công tin nhắn có thông tin cá nhân của phản ánh này."
)

# --- Admins -------------------------------------------------------------------------

ADMIN_ONLY = "Lệnh này chỉ dành cho quản trị viên."
ADMIN_LIST_HEADER = "Phản ánh{filter} ({shown}/{total}):"
ADMIN_LIST_NONE = "Không có phản ánh nào{filter}."
ADMIN_LIST_LINE = "• {code} {date} [{status}] {category} → {unit}"
ADMIN_MORE = "Xem tiếp ➡️"
ADMIN_USAGE_VIEW = "Dùng: /xem MÃ"
ADMIN_USAGE_MOVE = "Dùng: /chuyen MÃ mã-đơn-vị (các đơn vị: {units})"
ADMIN_USAGE_REPLY = "Dùng: /traloi MÃ nội dung trả lời"
ADMIN_USAGE_CLOSE = "Dùng: /dong MÃ nội dung trả lời người dân"
ADMIN_UNKNOWN_UNIT = "Không có đơn vị “{unit}”. Các đơn vị: {units}"
ADMIN_VIEW = "{text}\nĐơn vị: {unit}\n\nLịch sử:\n{history}"
ADMIN_HISTORY_LINE = "• {at} {actor}: {action}{detail}"
ADMIN_REPLIED = "Đã gửi trả lời cho người dân về phản ánh {code}."
ADMIN_CLOSED = "Đã đóng phản ánh {code}."
ADMIN_DESK = "Bộ phận tiếp nhận phản ánh"
ADMIN_RELOADED = "Đã nạp lại: {intents} nội dung hỏi đáp, {documents} văn bản, {units} đơn vị."
ADMIN_RELOAD_FAILED = "Không nạp lại được, vẫn dùng nội dung cũ: {error}"

# --- Following up -------------------------------------------------------------------

ADD_INFO = "➕ Bổ sung {code}"
RATE_YES = "👍 Đã được giải quyết"
RATE_NO = "👎 Chưa được giải quyết"
DELETE_DATA = "🗑 Xóa thông tin cá nhân {code}"
ASK_ADD_INFO = "Anh/Chị nhập thông tin bổ sung cho phản ánh {code} (hoặc /huy):"
INFO_ADDED = "Đã chuyển thông tin bổ sung cho đơn vị xử lý phản ánh {code}."
UNIT_INFO = "➕ Người dân bổ sung cho phản ánh {code}:\n{text}"
RATE_THANKS = "Em cảm ơn Anh/Chị đã đánh giá."
RATE_ASK = "Vấn đề của Anh/Chị đã được giải quyết chưa?"
PETITION_CLOSED_ALREADY = "Phản ánh {code} đã đóng, không bổ sung được nữa. Anh/Chị có thể gửi phản ánh mới."
DATA_DELETED = (
    "Đã xóa số điện thoại, địa điểm và ảnh của Anh/Chị khỏi phản ánh {code}. "
    "Các bản đã gửi đơn vị cũng được gỡ thông tin này."
)
DATA_NOT_CLOSED = "Chỉ xóa được thông tin cá nhân khi phản ánh đã đóng."
UNIT_OVERDUE = "⏰ Phản ánh {code} đã quá hạn xử lý ({due}). Đơn vị vui lòng cập nhật."
ADMIN_OVERDUE = "⚠️ Phản ánh {code} quá hạn ({due}) tại {unit}."
DUPLICATE = (
    "Anh/Chị đã gửi một phản ánh rất giống ngày {date} (mã {code}, {status}). "
    "Anh/Chị có thể bấm /phananhcuatoi để bổ sung vào phản ánh đó. Vẫn gửi phản ánh mới?"
)
SEND_ANYWAY = "Vẫn gửi phản ánh mới"

# --- Admins' report: users' votes on answers ------------------------------------------

REPORT_VOTES = "Đánh giá của người dùng về các câu trả lời (từ trước đến nay, không riêng kỳ báo cáo; câu nhận nhiều 👎 nhất xếp trước):"
REPORT_VOTE = "  {title} [{intent}]: 👍 Hữu ích {up}, 👎 Chưa đúng {down}"
REPORT_NO_VOTES = "  Chưa có lượt đánh giá nào."
RESENT_NOTE = "🔁 Gửi lại sau sự cố kết nối: tin này có thể đã đến trước đó."
PETITION_PRIVATE_ONLY = "Phản ánh được gửi trong tin nhắn riêng với em để giữ kín thông tin của Anh/Chị: Anh/Chị nhắn riêng cho em và gõ /phananh nhé."
UNIT_NOWHERE_TO_MOVE = "Chưa có đơn vị nào khác để chuyển phản ánh này. Đề nghị liên hệ quản trị viên."
UNIT_NEED_REPLY = "Anh/Chị nhập nội dung trả lời người dân (hoặc gửi ảnh, tệp kèm chú thích), hoặc gõ /huy để thôi."

# --- Petitions: the labels of categories and statuses (keys in bot/petitions.py) ------------

CATEGORIES: dict[str, str] = {
    "thu-tuc": "Thủ tục hành chính, cán bộ gây phiền hà",
    "moi-truong": "Rác thải, môi trường",
    "giao-thong": "Giao thông, trật tự đô thị",
    "an-ninh": "An ninh, trật tự",
    "an-sinh": "Người nghèo, người yếu thế",
    "dat-dai": "Đất đai, bồi thường, tái định cư",
    "lao-dong": "Quyền lợi người lao động",
    "gop-y": "Góp ý xây dựng Đảng, chính quyền",
    "khac": "Vấn đề khác",
}
STATUSES: dict[str, str] = {
    "received": "Đã tiếp nhận",
    "forwarded": "Đã chuyển đơn vị xử lý",
    "accepted": "Đơn vị đã nhận xử lý",
    "in_progress": "Đang xử lý",
    "resolved": "Đã giải quyết",
    "rejected": "Đơn vị không giải quyết (có nêu lý do)",
    "redirected": "Đã chuyển đơn vị khác",
    "reopened": "Người dân báo chưa được giải quyết, đang xử lý lại",
}
ADMINS_UNIT_NAME = "Bộ phận tiếp nhận chung (quản trị viên)"
LOCATION = "vị trí {lat:.5f}, {lon:.5f}"
UNIT_AREA = "Khu vực: {area}\n"
REVIEW_AREA = "• Khu vực: {area}\n"
ADMIN_NO_UNITS = "(chưa cấu hình)"
ADMIN_FILTER_OPEN = " đang mở"
ADMIN_FILTER = " “{wanted}”"
REPORT_HEADER = "Báo cáo phản ánh từ {since} đến {until}: {total} phản ánh"
REPORT_BY_CATEGORY = "Theo lĩnh vực"
REPORT_BY_UNIT = "Theo đơn vị"
REPORT_BY_STATUS = "Theo trạng thái"
REPORT_NONE = "  (không có)"
REPORT_RESPONSE = "Thời gian phản hồi (giờ)"
REPORT_RESOLUTION = "Thời gian giải quyết (giờ)"
REPORT_HOURS = "{count} phản ánh, trung vị {median}, trung bình {mean}"
REPORT_NOT_YET = "chưa có"
UNIT_REOPENED = "🔁 Người dân báo phản ánh {code} chưa được giải quyết. Đề nghị đơn vị xem lại và cập nhật."
ADMIN_REOPENED = "🔁 Phản ánh {code} ({unit}): người dân báo chưa được giải quyết, đã mở lại."
UNIT_DESK_ACT = "ℹ️ Quản trị viên đã cập nhật phản ánh {code}: {status}.{text}"
UNIT_MOVED_AWAY = "↪️ Phản ánh {code} đã được chuyển đến {unit}; đơn vị không cần xử lý tiếp."
UNIT_CARD_MOVED = "↪️ Đã chuyển đến {unit}."
DENUNCIATION_ROUTED = (
    "ℹ️ Nội dung có tố cáo nên em chuyển đến bộ phận tiếp nhận chung (quản trị viên), không chuyển cho "
    "đơn vị có thể liên quan đến nội dung tố cáo."
)
UNIT_REPLY_PLACEHOLDER = "Nội dung trả lời người dân"
UNIT_REPLY_EXPIRED = "Lời nhắc trả lời phản ánh đã quá 30 phút nên em đã hủy. Anh/Chị bấm lại nút trên phản ánh để trả lời."
UNIT_REPLY_CANCELLED = "Đã thôi trả lời phản ánh. Anh/Chị có thể bấm lại nút trên phản ánh bất cứ lúc nào."
ADD_INFO_CANCELLED = "Đã thôi bổ sung thông tin."
ADD_INFO_GONE = "Em không tìm thấy phản ánh này của Anh/Chị nữa. Anh/Chị bấm /phananhcuatoi để xem các phản ánh của mình."
PETITION_IN_PROGRESS = "Anh/Chị đang soạn dở một phản ánh. Anh/Chị muốn soạn tiếp hay bắt đầu phản ánh mới (bản đang soạn sẽ bị bỏ)?"
PETITION_RESUME = "✍️ Soạn tiếp"
PETITION_RESTART = "🆕 Bắt đầu phản ánh mới"
PETITION_PLACE_AFTER_QUESTION = "✍️ Anh/Chị vẫn đang gửi phản ánh dở: gõ địa chỉ nơi xảy ra sự việc, gửi vị trí, hoặc bấm “Bỏ qua” ở tin trên; /huy để hủy."
PETITION_PHOTO_NEEDS_TEXT = "Đã nhận ảnh. Anh/Chị mô tả thêm sự việc bằng chữ giúp em (ít nhất {min} ký tự)."
AREA_OTHER = "Khu vực khác / không rõ"
EDIT_DESCRIPTION = "✏️ Sửa nội dung"
EDIT_PLACE = "✏️ Sửa địa điểm"
EDIT_CATEGORY = "✏️ Sửa lĩnh vực"
EDIT_CONTACT = "✏️ Sửa liên hệ"
PHOTO_OFFER = "Em đã nhận ảnh. Anh/Chị muốn gửi phản ánh, kiến nghị kèm ảnh này không?"
PHOTO_OFFER_YES = "📝 Gửi phản ánh kèm ảnh này"
PHOTO_OFFER_NO = "Không, cảm ơn"
TAP_NOT_TAKEN = "Anh/Chị bấm nhanh quá nên em chưa xử lý lần bấm này; Anh/Chị đợi vài giây rồi bấm lại giúp em."
ADMIN_FILTER_OVERDUE = "quá hạn"
ADMIN_FILTER_ALL = "tất cả"
ADMIN_FILTERS = (
    "Em chưa hiểu bộ lọc này. Anh/Chị dùng: /ds (đang mở), /ds quá hạn, /ds tất cả, /ds kèm một trạng thái "
    "(vd. đã giải quyết, đang xử lý), một lĩnh vực (vd. môi trường, đất đai) hoặc một đơn vị ({units})."
)
EVENT_LABELS = {
    "created": "gửi phản ánh", "info_added": "bổ sung thông tin", "rated": "đánh giá", "replied": "trả lời người dân",
    "personal_data_deleted": "xóa thông tin cá nhân", "escalated": "báo quá hạn lên quản trị viên",
}
ACTOR_SYSTEM = "Hệ thống"
ACTOR_ADMIN = "Quản trị viên ({id})"
ACTOR_CITIZEN = "Người gửi"
ACTOR_STAFF = "Cán bộ {unit} ({id})"
ACTOR_USER = "Người dùng {id}"
ADMIN_DUE = "hạn {due}"
REPORT_OUTCOMES = (
    "Đánh giá của người dân: 👍 đã được giải quyết {satisfied}, 👎 chưa được giải quyết {not_satisfied}; "
    "mở lại vì chưa được giải quyết: {reopened}; quá hạn xử lý (đã hoặc chưa xong): {overdue}."
)
YES, NO = "Có", "Không"
CSV_HEADERS = {
    "code": "Mã", "created_at": "Ngày gửi", "updated_at": "Cập nhật", "status": "Mã trạng thái",
    "status_label": "Trạng thái", "category": "Mã lĩnh vực", "category_label": "Lĩnh vực", "area": "Khu vực",
    "unit_id": "Đơn vị", "complaint": "Khiếu nại/tố cáo", "description": "Nội dung", "place": "Địa điểm",
    "latitude": "Vĩ độ", "longitude": "Kinh độ", "anonymous": "Ẩn danh", "contact_name": "Người liên hệ",
    "contact_phone": "Số điện thoại",
}
NOT_RESOLVED_OFFER = (
    "Em rất tiếc vì vấn đề của Anh/Chị chưa được giải quyết. Phản ánh {code} đang ở trạng thái “Đã giải quyết”: "
    "Anh/Chị bấm nút dưới đây để báo chưa được giải quyết (phản ánh sẽ được mở lại và báo cho đơn vị, quản trị viên), "
    "hoặc bổ sung thông tin."
)
NOT_RESOLVED_YES = "👎 Báo chưa được giải quyết"
CHAT_TELEGRAM_ONLY = (
    "Lệnh này dùng trên Telegram (gửi và theo dõi phản ánh, thời hạn, nhắc việc, quản trị). Ở đây Anh/Chị gõ câu "
    "hỏi về công tác dân vận, /chude để xem chủ đề, /thoat để thoát."
)
CHAT_FALLBACK_REPORT = (
    "Em chưa tìm thấy nội dung này trong các văn bản em đang có. Nếu Anh/Chị muốn báo sự việc này để cơ quan có "
    "trách nhiệm xử lý, Anh/Chị gửi phản ánh trên Telegram bằng lệnh /phananh, em sẽ chuyển đến đơn vị phụ trách."
)
UNIT_REPLY_PENDING = (
    "⏰ Phản ánh {code} vẫn chờ nội dung trả lời người dân ({who} đã bấm trả lời nhưng chưa gửi). "
    "Đề nghị bấm một nút dưới đây để trả lời."
)
ACTOR_SOMEONE = "một cán bộ"

# Errors a person reads on the command line (bot/config.py, bot/cli.py): what is wrong and what to do, one line.
CONFIG_ID_LIST = "{where}: cần là một danh sách mã số Telegram (ví dụ [123456789]); Anh/Chị vui lòng sửa lại"
CONFIG_UNITS_NOT_LIST = "{path}: 'units' cần là một danh sách các đơn vị; Anh/Chị vui lòng sửa lại"
CONFIG_UNIT_NOT_MAPPING = (
    "{where}: mỗi đơn vị cần ghi dạng 'khóa: giá trị' với id, name, chat_id, categories; Anh/Chị vui lòng sửa lại"
)
CONFIG_UNIT_KEY_MISSING = "{where}: thiếu '{key}'; Anh/Chị vui lòng bổ sung"
CONFIG_UNIT_CHAT_ID = (
    "{where}.chat_id: cần là mã nhóm Telegram bằng số (ví dụ -1001234567890); Anh/Chị vui lòng sửa lại"
)
CONFIG_UNIT_CATEGORIES = (
    "{where}.categories: cần là một danh sách mã lĩnh vực (ví dụ [moi-truong]); Anh/Chị vui lòng sửa lại"
)
CONFIG_UNIT_AREAS = "{where}.areas: cần là một danh sách tên khu vực; Anh/Chị vui lòng sửa lại"
CONFIG_UNIT_DUPLICATE = (
    "{where}: mã đơn vị '{id}' đã được dùng cho một đơn vị khác; Anh/Chị đặt cho mỗi đơn vị một mã riêng"
)
CONFIG_HOLIDAYS_NOT_LIST = "{where}: '{key}' cần là một danh sách ngày dạng YYYY-MM-DD; Anh/Chị vui lòng sửa lại"
CONFIG_HOLIDAY_NOT_DATE = (
    "{where}: ngày nghỉ {value!r} không phải là ngày hợp lệ; Anh/Chị ghi theo dạng YYYY-MM-DD, ví dụ 2025-09-02"
)
CONFIG_FILE_MISSING = (
    "DANVAN_CONFIG đang trỏ tới {path}, nhưng đó không phải là một tệp; Anh/Chị kiểm tra lại đường dẫn"
)
CONFIG_FILE_BAD_YAML = "{where}: tệp không đúng cú pháp YAML ({problem}); Anh/Chị vui lòng sửa lại"
CONFIG_FILE_NOT_MAPPING = "{path}: tệp cần ghi dạng 'khóa: giá trị' với 'admins' và 'units'; Anh/Chị vui lòng sửa lại"
CONFIG_FILE_UNKNOWN_KEYS = (
    "{path}: không nhận ra mục {keys} (tệp chỉ dùng 'admins', 'units', 'holidays', 'working_days'); Anh/Chị kiểm tra lại tên mục"
)
CONFIG_TOKEN_MISSING = (
    "Chưa đặt TELEGRAM_BOT_TOKEN: Anh/Chị lấy mã bot từ @BotFather (hoặc chạy 'danvan chat' để trò chuyện trên máy)"
)
CONFIG_TOKEN_MALFORMED = (
    "TELEGRAM_BOT_TOKEN không giống mã bot (dạng '123456:ABC...'); Anh/Chị chép lại đúng mã bot từ @BotFather"
)
CONFIG_API_BASE_URL = (
    "TELEGRAM_API_BASE_URL đang là {value!r}, chưa phải địa chỉ http(s); Anh/Chị đặt lại, ví dụ http://127.0.0.1:8081"
)
CONFIG_WEBHOOK_URL = (
    "DANVAN_WEBHOOK_URL cần bắt đầu bằng https:// (Telegram chỉ gọi webhook qua https); Anh/Chị vui lòng sửa lại"
)
CONFIG_WEBHOOK_PORT = (
    "DANVAN_WEBHOOK_PORT đang là {value!r}, chưa phải số cổng; Anh/Chị đặt một số từ 1 đến 65535, ví dụ 8443"
)
CONFIG_WEBHOOK_SECRET_CHARS = (
    "DANVAN_WEBHOOK_SECRET chỉ được gồm chữ cái không dấu, chữ số, '_' và '-' (từ 1 đến 256 ký tự); "
    "Anh/Chị vui lòng đặt lại"
)
CONFIG_WEBHOOK_SECRET_MISSING = (
    "Chưa đặt DANVAN_WEBHOOK_SECRET: khi dùng DANVAN_WEBHOOK_URL, Anh/Chị cần đặt thêm một mã bí mật "
    "(chữ cái không dấu, chữ số, '_' và '-')"
)
CONFIG_DATABASE_URL = (
    "DANVAN_DATABASE_URL cần có dạng postgresql://NGƯỜI_DÙNG:MẬT_KHẨU@MÁY:CỔNG/TÊN_CSDL; Anh/Chị vui lòng sửa lại "
    "(bỏ trống để dùng tệp SQLite DANVAN_DB)"
)
CONFIG_HEALTH_LISTEN = (
    "DANVAN_HEALTH_LISTEN đang là {value!r}; Anh/Chị đặt dạng MÁY:CỔNG, ví dụ 127.0.0.1:8080 (bỏ trống nếu không cần)"
)
CONFIG_WEB_LISTEN = (
    "DANVAN_WEB_LISTEN đang là {value!r}; Anh/Chị đặt dạng MÁY:CỔNG, ví dụ 127.0.0.1:8090 (bỏ trống nếu không cần "
    "trang quản trị)"
)
CONFIG_WEB_URL = (
    "DANVAN_WEB_URL đang là {value!r}; Anh/Chị đặt địa chỉ đầy đủ của trang quản trị, ví dụ https://danvan.example.vn"
)
CONFIG_WEB_URL_MISSING = (
    "Đã đặt DANVAN_WEB_LISTEN nhưng chưa đặt DANVAN_WEB_URL: Anh/Chị đặt địa chỉ mà cán bộ mở được, ví dụ "
    "http://127.0.0.1:8090 hoặc https://danvan.example.vn, để lệnh /web gửi đúng liên kết"
)
WEB_OFF = "Trang quản trị trên web chưa được bật (cần đặt DANVAN_WEB_LISTEN và DANVAN_WEB_URL). Anh/Chị liên hệ quản trị viên."
WEB_NOT_STAFF = "Lệnh /web dành cho quản trị viên và cán bộ các đơn vị tiếp nhận phản ánh. Anh/Chị không có trong danh sách này."
WEB_PRIVATE_ONLY = "Để giữ an toàn, Anh/Chị nhắn /web cho em trong cuộc trò chuyện riêng (không phải trong nhóm)."
WEB_LINK = (
    "🔐 Liên kết đăng nhập trang quản trị (chỉ dùng được một lần, trong 10 phút; Anh/Chị không chuyển cho người khác):\n"
    "{url}"
)
CONFIG_FLOOD_BURST = (
    "DANVAN_FLOOD_BURST đang là {value!r}, chưa phải số dương; Anh/Chị đặt một số từ 1 trở lên, ví dụ 8"
)
CONFIG_CONCURRENT_UPDATES = "DANVAN_CONCURRENT_UPDATES đang là {value!r}; Anh/Chị đặt một số từ 1 đến 256, ví dụ 4"
CONFIG_UNITS_WITHOUT_ADMINS = (
    "{where}: đã có 'units' nhưng 'admins' còn trống; phản ánh không đơn vị nào nhận và đơn tố cáo đều chuyển đến "
    "quản trị viên, nên Anh/Chị cần ghi ít nhất một mã số Telegram của quản trị viên vào 'admins'"
)
CLI_ASK_NO_QUESTION = "danvan ask: Anh/Chị cần nhập một câu hỏi, hoặc dùng --jsonl để đọc câu hỏi từ đầu vào chuẩn"
CLI_RUN_CONFIG = "danvan run: {error}"
CLI_RUN_DEADLINES = "danvan run: chưa đọc được tệp thời hạn, Anh/Chị sửa lỗi sau rồi chạy lại: {error}"
CLI_CONTENT_INVALID = (
    "danvan: chưa đọc được nội dung, Anh/Chị sửa lỗi sau (chạy 'danvan validate' để kiểm tra lại): {error}"
)
CLI_NO_DATABASE = (
    "danvan: không tìm thấy cơ sở dữ liệu tại {path}; Anh/Chị đặt DANVAN_DB hoặc dùng --db để chỉ đúng tệp"
)
CLI_MIGRATE_NOT_EMPTY = (
    "danvan db migrate-to: cơ sở dữ liệu PostgreSQL này đã có dữ liệu (bảng {table}); để không trộn dữ liệu, "
    "Anh/Chị chọn một cơ sở dữ liệu còn trống"
)
CLI_MIGRATE_UNREACHABLE = "danvan db migrate-to: chưa kết nối được PostgreSQL ({error}); Anh/Chị kiểm tra lại địa chỉ"
CLI_MIGRATE_DONE = "Đã chép {total} dòng từ {source} sang PostgreSQL ({tables})."
CLI_REPORT_DATES = (
    "danvan report: --since và --until cần ngày dạng YYYY-MM-DD, ví dụ --since 2025-01-01 --until 2025-03-31"
)
UNIT_MOVED_ELSEWHERE = "Phản ánh {code} đã được chuyển đến {unit}; đơn vị của Anh/Chị không cần xử lý tiếp."
UNIT_CONFIRM_REPLY = "Gửi cho người dân làm trả lời phản ánh {code}?\n“{text}”"
UNIT_CONFIRM_SEND = "✅ Gửi trả lời này"
UNIT_CONFIRM_NOT = "✋ Không, đây không phải trả lời"
UNIT_CONFIRM_KEPT = "Dạ, em chưa gửi. Phản ánh vẫn chờ nội dung trả lời: Anh/Chị trả lời tin nhắn nhắc của em, hoặc gõ lại rồi bấm “Gửi”."
PETITION_FAQ_DEADLINE = (
    "Phản ánh được chuyển ngay đến đơn vị phụ trách. Đơn vị có {default} ngày làm việc để xử lý và trả lời "
    "({others}); thời hạn tính từ ngày tiếp nhận, không kể thứ Bảy, Chủ nhật và ngày lễ, Tết. Khi gửi xong, em báo "
    "Anh/Chị hạn xử lý cụ thể và báo mỗi khi có cập nhật."
)
PETITION_FAQ_PRIVACY = (
    "🔒 Phản ánh của Anh/Chị chỉ đơn vị được giao xử lý và quản trị viên xem được; số điện thoại chỉ dùng để liên hệ "
    "về phản ánh này, Anh/Chị có thể gửi ẩn danh. Tố cáo không chuyển cho đơn vị có thể liên quan đến nội dung tố cáo. "
    "Khi phản ánh đã đóng, Anh/Chị có thể xóa thông tin cá nhân trong “📋 Phản ánh của tôi”."
)
STATUS_AT_DESK = "Đã chuyển bộ phận tiếp nhận chung (quản trị viên) xử lý"
CONTACT_DELETED = "(người gửi đã xóa thông tin liên hệ)"
UNIT_DESK_SAID = "ℹ️ Quản trị viên đã trả lời người dân về phản ánh {code}:\n{text}"
DATA_DELETE_CONFIRM = (
    "Anh/Chị muốn xóa số điện thoại, địa điểm và ảnh khỏi phản ánh này? Bản đã gửi đơn vị cũng được gỡ; "
    "việc này không hoàn tác được. Nếu không muốn xóa, Anh/Chị bỏ qua tin nhắn này."
)
DATA_DELETE_YES = "🗑 Xóa thông tin cá nhân"
UNIT_TITLE_NEW = "📨 Phản ánh mới"  # while no one has taken it up
UNIT_TITLE = "📋 Phản ánh"
UNIT_CONFIRM_GONE = "Nút này không còn dùng được: câu trả lời đã được gửi, đã bỏ, hoặc là của cán bộ khác."
DATA_ALREADY_DELETED = "Thông tin cá nhân của phản ánh này đã được xóa rồi ạ."
RATE_YES_SHORT = "👍 Đã xong"
RATE_NO_SHORT = "👎 Chưa xong"
DESK_STATUSES = {
    "forwarded": STATUS_AT_DESK,
    "accepted": "Bộ phận tiếp nhận chung đã nhận xử lý",
}
CHAT_FALLBACK = (
    "Xin lỗi Anh/Chị, em chưa tìm thấy nội dung này trong các văn bản em đang có (công tác dân vận của TP. Hồ Chí "
    "Minh, Lai Châu và Đồng Nai).\nAnh/Chị có thể hỏi theo cách khác, gõ /chude để xem các chủ đề, hoặc gửi câu "
    "hỏi thành phản ánh trên Telegram bằng lệnh /phananh để cán bộ trả lời."
)

# --- Report charts (bot/charts.py): titles, axes and legends; keys as in report_charts() ---------

CHART_TITLES: dict[str, str] = {
    "category": "Phản ánh theo lĩnh vực",
    "unit": "Phản ánh theo đơn vị xử lý",
    "status": "Phản ánh theo trạng thái",
    "over_time": "Phản ánh gửi đến theo thời gian, chia theo trạng thái",
    "times": "Thời gian phản hồi và giải quyết phản ánh",
    "overdue": "Phản ánh quá hạn xử lý theo đơn vị (đã hoặc chưa xong)",
}
CHART_PERIOD = "Từ {since} đến {until}"
CHART_NO_DATA = "Chưa có dữ liệu"
CHART_NO_OVERDUE = "Không có phản ánh nào quá hạn"
CHART_COUNT = "Số phản ánh"
CHART_HOURS = "Số giờ"
CHART_BY_DAY = "Ngày gửi"
CHART_BY_MONTH = "Tháng gửi"
CHART_STATUS = "Trạng thái"
CHART_RESPONSE = "Phản hồi\n({count} phản ánh)"
CHART_RESOLUTION = "Giải quyết\n({count} phản ánh)"
CHART_MEDIAN = "trung vị {hours} giờ"
