"""Reasons to fall back, apart from scoring: small named checks run in order by the assistant.

The matcher and the passage search only score.  Whether a question asks for
something the documents cannot answer (another place, another year, who holds an
office now, fines, fees and procedures, a document they never mention, today's
news) is decided here, on the question alone.
"""

from __future__ import annotations

import datetime as dt
import re

from bot import places
from bot.text import accented_words as accented_words_of, fold, lower

# Places the documents speak for, and places they do not (folded): one table, in bot/places.py.
OWN_LOCALITIES = {place.code: place.said for place in places.PLACES}
OTHER_LOCALITIES = places.OTHER_PLACES


# Place names that are also ordinary words ("tự diễn biến", "diễn biến hòa bình"):
# they count as places only after a word that introduces a place.
AMBIGUOUS_PLACES = frozenset({"dien bien", "hoa binh", "long an", "lam dong", "ha nam", "binh dinh", "gia lai"})
_PLACE_WORDS = ("tinh uy", "thanh uy", "tinh", "o", "tai", "cua", "thanh pho", "tp")
_YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")


_OWN_RE = {code: re.compile(r"\b(?:" + "|".join(names) + r")\b") for code, names in OWN_LOCALITIES.items()}
_OTHER_RE = re.compile(r"\b(?:(" + "|".join(_PLACE_WORDS) + r") )?(" + "|".join(n.strip() for n in OTHER_LOCALITIES) + r")\b")


def without_localities(folded: str) -> str:
    """A folded text with the names of the documents' own localities taken out."""
    for pattern in _OWN_RE.values():
        folded = pattern.sub(" ", folded)
    return " ".join(folded.split())


def localities_in(folded: str) -> tuple[set[str], list[str]]:
    """Own locality codes and other place names a folded question mentions."""
    own = {code for code, pattern in _OWN_RE.items() if pattern.search(folded)}
    others = [
        name for introduced, name in _OTHER_RE.findall(folded) if introduced or name not in AMBIGUOUS_PLACES
    ]
    return own, others


# "Ai là bí thư ... hiện nay?": the documents say what an office does, never who holds it.
_OFFICES = (
    "bi thu|pho bi thu|chu tich|pho chu tich|giam doc|truong ban|pho truong ban|truong phong|thu tuong|"
    "tong bi thu|chanh an|vien truong|bo truong|truong cong an|to truong|truong ap|"
    "truong khu pho|truong thon|truong ban nhan dan|dai bieu quoc hoi|chu nhiem"
)
_OFFICE_HOLDER = re.compile(
    rf"\bai (?:hien nay |hien |bay gio |gio )?(?:la|dang la|lam|dang lam|giu|dang giu|duoc bau lam) (?:chuc )?(?:{_OFFICES})\b"
    rf"|\bten (?:cua )?(?:ong |ba |dong chi )?(?:{_OFFICES})\b|\b(?:{_OFFICES})\b.* (?:la ai|ten (?:la )?gi)\b"
)


_SENTENCES = re.compile(r"(?<=[.!?…])\s+|\n+")
# "Tôi là phó chủ tịch Hội Nông dân" says who the asker is, up to a comma or what they go on to ask.
_SELF = re.compile(
    r"^\s*(?:tôi|em|mình|cháu|con|tui|toi|minh|chau) (?:là|làm|đang làm|được bầu làm|la|lam|dang lam|duoc bau lam)\b"
    r".*?(?=,|;|\s(?:và|va|cho|muốn|muon|nên|nen|thì|thi)\s|$)"
)


def asks_office_holder(text: str) -> bool:
    """Whether a question asks who holds an office (a name the documents never give); what the asker
    says of themselves ("Tôi là phó chủ tịch Hội Nông dân, ...") asks nothing."""
    return any(_OFFICE_HOLDER.search(fold(_SELF.sub(" ", lower(s)))) for s in _SENTENCES.split(text) if s.strip())


# Fines: the documents ask people to keep the traffic law and not to litter, and never say
# what breaking it costs ("phạt" appears in none of them; folded, it is also "phát").
_FINE_TYPED = re.compile(r"\bphạt\b")
_FINE_FOLDED = re.compile(r"\b(?:muc phat|tien phat|bi phat|xu phat|phat bao nhieu|phat nguoi|phat tien)\b")


def asks_about_fines(text: str) -> bool:
    """Whether a question asks about fines (lower-cased as typed, then folded)."""
    return _FINE_TYPED.search(lower(text)) is not None or _FINE_FOLDED.search(fold(text)) is not None


def years_in(text: str) -> set[int]:
    return {int(y) for y in _YEAR.findall(text)}


_PERIOD = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\s*[-–]\s*(19[5-9]\d|20[0-4]\d)\b")


_COMPARED_WITH = re.compile(r"\bso (?:với|voi|vs)\s+(?:(?:năm|nam)\s+)?(?:19|20)\d\d\b", re.IGNORECASE)


def years_asked(text: str) -> set[int]:
    """The years a question asks about: a term "2025-2030" is the years after the one it starts in
    (2025 ends the term before), so that it is not taken for a question about 2025."""
    text = _COMPARED_WITH.sub(" ", text)  # "có gì mới so với năm 2023": 2023 is the base, not the year asked
    periods = [(int(a), int(b)) for a, b in _PERIOD.findall(text) if int(a) < int(b)]
    inside = {y for a, b in periods for y in (a, b)}
    return {y for y in years_in(text) if y not in inside} | {y for a, b in periods for y in range(a + 1, b + 1)}




# A district's or commune's own Party committee ("Huyện ủy Sìn Hồ") has plans of its own
# that the documents are not; "tôi ở quận Bình Thạnh" only says where the asker lives.
_LOCAL_COMMITTEE = re.compile(
    r"\b(?:huyện ủy|quận ủy|thị ủy|huyện uỷ|quận uỷ|thị uỷ|huyen uy|quan uy|thi uy)\s+"
    r"(?!(?:huyện|quận|thị|thành|ủy|uỷ|huyen|quan|thi|thanh|uy|phải|phai|cấp|cap|các|cac|và|va|cần|can|có|co|được|duoc|"
    r"thực|thuc|làm|lam|trong|nào|nao|đã|da|sẽ|se|"
    # what a committee does ("quận ủy, huyện ủy báo cáo kết quả"), not its name
    r"báo|bao|gửi|gui|triển|trien|tổ|chỉ|lãnh|lanh|chủ|phối|phoi|tham|kiểm|kiem|xây|xay|tuyên|tuyen|"
    r"vận|đề|với|voi|là|la|ban|nắm|thường|thuong|họp|hop|đánh|danh|sơ|so|tổng|tong)\b)(\w+(?:\s+\w+)?)"
)


def local_committee(text: str) -> str | None:
    """The name of a district-level Party committee the question asks about, as typed."""
    found = _LOCAL_COMMITTEE.search(lower(text))
    if not found:
        return None
    typed = " ".join(text[found.start():found.end()].split())
    return typed[:1].upper() + typed[1:]


# Amounts of money, fees, procedures and paperwork: the documents set tasks, not tariffs.
_PROCEDURE = re.compile(
    r"\b(?:thu tuc (?:thanh lap|dang ky|cap|xin|lam|ly hon|ket hon|chuyen|doi|tach)|thu tuc (?!hanh chinh)\w+.*\b(?:the nao|ra sao|gom|can|o dau|bao lau|buoc)|ho so (?:gom|can|xin|nhung gi|gi)|"
    r"(?:can|mang theo|nhung) giay to|giay to gi|bao nhieu tien|muc dong|muc huong|muc chi|muc ho tro|"
    r"lai suat|luong toi thieu|luong co so|luong huu|tro cap|phu cap|diem chuan|gia vang|gia boi thuong|"
    r"gia den bu|trieu dong|dinh muc|kinh phi to chuc|dong bao nhieu|mat bao lau|mat bao nhieu ngay|"
    r"bao nhieu ngay lam|dang ky (?:xe|tam tru|ho kinh doanh|ket hon|khai sinh)|quy trinh (?!ve thu tuc)\w+|"
    r"visa|ho chieu|thi thuc|ty dong|tien thuong|muc thuong|nhieu tien|bao nhieu ty|may ty|bao nhieu trieu|"
    r"ngan sach (?:\w+ ){0,8}bao nhieu|hoc phi|tuyen sinh|han nop ho so|nop ho so (?:o dau|khi nao|the nao)|"
    # a law's deadlines for a complaint, and days off work, are not in the documents
    r"thoi han (?:nop don|khieu nai|giai quyet (?:don|khieu nai|to cao|ho so))|thoi hieu|han nop don|"
    r"duoc nghi (?:lam|hoc|le)|nghi lam (?:khong|ko))\b"
)


def asks_procedure(folded: str) -> bool:
    """Whether a folded question asks for a fee, an amount, a procedure or paperwork."""
    return _PROCEDURE.search(folded) is not None


# Facts of today: the documents are dated.  "Hôm nay", "tối nay", "ngày mai" ask for today whatever
# follows; "năm nay", "hiện nay" only with a request for a figure, a name, a place or a date
# ("tình hình hiện nay có khó khăn gì" is a question the documents answer).
_TODAY = re.compile(r"\b(?:hom nay|toi nay|ngay mai|bay gio|hien gio)\b")
# ("mấy năm nay", "những năm nay" are the past few years, not this year)
_NOW = re.compile(r"(?<!may )(?<!nhung )(?<!cac )\b(?:nam nay|hien nay|thang nay|quy nay|hien hanh|moi nhat|sap toi)\b")
_NOW_ASKS = re.compile(r"\b(?:bao nhieu|may|la ai|o dau|khi nao|chua|lich|cung cap)\b")
# Contact details: the documents give none.
_CONTACT = re.compile(
    r"\b(?:tru so (?:o|nam o|tai) (?:dau|duong nao|so may)|tru so o|dia chi|so dien thoai|dien thoai|hotline|duong day nong|email|website|fanpage|gio lam viec|"
    r"vao thu may|thu may hang|gio tiep (?:cong )?dan|la may (?:h|gio)|may gio (?:thi )?(?:mo|lam)|can dat lich|dat lich (?:truoc|hen))\b"
)


# History and geography: when something was founded, how many districts a province has.
_HISTORY = re.compile(
    r"\b(?:thanh lap (?:vao )?(?:nam|ngay|khi) nao|ra doi (?:vao )?(?:nam|ngay|khi) nao|ngay truyen thong|"
    r"ket thuc (?:vao )?ngay nao|dien ra (?:vao )?khi nao|viet bai bao|co bao nhieu (?:huyen|quan|xa|phuong|tinh)|"
    r"dan so (?:cua|la|bao nhieu|hien|khoang)|dien tich|co bao nhieu (?:nguoi )?dan(?! (?:toc|van|chu|quan|cu))|"
    r"bao nhieu phuong,? xa)\b"
)


_CLAUSES = re.compile(r"[,;:!?…\n]+|\.\s")  # not the "." of "TP.HCM"


def asks_today(text: str) -> bool:
    """Whether a question asks for a fact of today, of history or geography, or for contact details;
    "năm nay" with a request in the same clause ("năm nay có bao nhiêu", not "năm nay em được giao
    xây dựng mô hình, ... báo cáo khi nào")."""
    folded = fold(text)
    if _CONTACT.search(folded) or _HISTORY.search(folded) or _TODAY.search(folded):
        return True
    return any(_NOW.search(c) and _NOW_ASKS.search(c) for c in map(fold, _CLAUSES.split(lower(text))))


# Results a plan cannot report: how far a target was reached, whether a review was held, what was done.
_RESULTS = re.compile(
    r"\b(?:so voi chi tieu|(?:vuot|dat|hoan thanh) chi tieu(?: \w+){0,4} (?:chua|hay chua|khong|ko)|da so ket|ket qua thuc te|so lieu thuc te|thuc te da|da (?:\w+ ){1,3}duoc bao nhieu|"
    r"cung cap so lieu|so lieu thong ke|ket qua (?:so ket|tong ket)|ket qua (?:nhu the nao|ra sao|the nao)|"
    r"tinh den (?:ngay|thang|nam|thoi diem|cuoi)|tong so (?:\w+ ){1,4}(?:tren dia ban|hien co)|"
    # who won: a contest's results are not in the plans that call it
    r"ai (?:duoc|dc|doat|dat|gianh|gianh duoc|nhan) giai|(?:giai nhat|giai cao nhat) (?:la|thuoc ve|ve tay) (?:ai|don vi nao))\b"
)
# A past year with "how many were done": a result, unless a target is asked ("phấn đấu", "chỉ tiêu").
_PAST_COUNT = re.compile(r"\bnam (20[12]\d)\b.*\b(?:duoc|dat) bao nhieu (?:cuoc|lan|buoi|mo hinh|vu|luot|hoi nghi|dot|"
                         r"nguoi|ho|diem|cong trinh)\b")
_TARGET = re.compile(r"\b(?:phan dau|chi tieu|muc tieu|de ra|dat ra|giao)\b")
# "đạt bao nhiêu phần trăm" asks a result, "đặt bao nhiêu phần trăm" a target: both fold to "dat",
# so only as typed with diacritics.
_REACHED = re.compile(r"\b(?:đạt|đạt được|đã đạt) (?:bao nhiêu phần trăm|bao nhiêu %|(?:những |các )?chỉ tiêu)")


def asks_results(text: str) -> bool:
    folded = fold(text)
    past = _PAST_COUNT.search(folded)
    if past and int(past.group(1)) < dt.date.today().year and not _TARGET.search(folded):
        return True
    return _RESULTS.search(folded) is not None or _REACHED.search(lower(text)) is not None


# A law's own provisions: the documents name laws, never quote their articles or dates of effect.
_LAW_DETAILS = re.compile(
    r"\b(?:luat|nghi dinh|thong tu|phap lenh)\b(?:\s\w+){0,8}\s(?:co hieu luc|hieu luc thi hanh|hieu luc tu)\b"
)
# Articles and clauses: of a law named in the question ("5 không gồm mấy điều" counts the five points).
_LAW_WORD = re.compile(r"\b(?:luat|nghi dinh|thong tu|phap lenh|hien phap|quy che)\b")
_ARTICLES = re.compile(r"\b(?:bao nhieu dieu|bao nhieu chuong(?! trinh)|gom may dieu|dieu may|khoan may|dieu bao nhieu|tai dieu nao)\b")


# The 2025 reorganisation (provinces merged, districts abolished): the documents predate it.
_REORGANISED = re.compile(
    r"\b(?:sau (?:khi )?(?:sap nhap|sat nhap|hop nhat)|sau (?:khi )?sap xep (?:lai )?(?:don vi hanh chinh|tinh|xa|phuong)"
    r"|sau (?:ngay )?1 7 2025|khong con cap huyen|bo cap huyen)\b"
)


def asks_after_reorganisation(folded: str) -> bool:
    """Whether a question asks how things are after the 2025 reorganisation of the administrative map."""
    return _REORGANISED.search(folded) is not None


def asks_law_details(folded: str) -> bool:
    """Whether a folded question asks for a law's articles or the date it takes effect."""
    return _LAW_DETAILS.search(folded) is not None or (
        _LAW_WORD.search(folded) is not None and _ARTICLES.search(folded) is not None)


_KINDS = {
    "nghi quyet": "NQ", "chi thi": "CT", "ket luan": "KL", "quyet dinh": "QĐ", "huong dan": "HD",
    "ke hoach": "KH", "thong tri": "TT", "de an": "ĐA", "quy dinh": "QĐi", "thong bao": "TB",
    "chuong trinh": "CTr", "cong van": "CV", "phap lenh": "PL",
}
# "hướng dẫn 5 không" names the "5 không", not a document numbered 5.
_ASKED_DOCUMENT = re.compile(r"\b(" + "|".join(_KINDS) + r")\s+(?:so\s+)?(\d{1,4})\b(?!\s+(?:khong|diem|noi|muc|y)\b)")
_DOCUMENT_AFTER = re.compile(r"\b(\d{1,4})\s+(?:" + "|".join(_KINDS) + r")\b")


def document_numbers(folded: str) -> list[str]:
    """The numbers of the documents a folded question names: "kế hoạch 41", "41-KH/ThU" (folded "41 ke hoach")."""
    found = [n for _, n in _ASKED_DOCUMENT.findall(folded)] + _DOCUMENT_AFTER.findall(folded)
    return list(dict.fromkeys(found))


_CITED_SUFFIX = re.compile(r"\b(\d{1,4})(?:/\d+)*-(NQ|CT|KL|QĐi|QĐ|HD|KH|TT|ĐA|TB|CTr)\b")
_CITED_NAMED = re.compile(r"\b(" + "|".join(_KINDS) + r") (?:so )?(\d{1,4})\b")
# "Luật Đất đai" names a law; "pháp luật", "luật cho dân", "luật sư" do not.
_LAW = re.compile(
    r"(?<!phap )\b(?:luat|bo luat|nghi dinh|thong tu)\s+(?!so\b|la\b|co\b|quy\b|nao\b|noi\b|cam\b|bat\b|ve\b|cho\b|su\b)(\w+\s+\w+)"
)


class DocumentIndex:
    """The documents and laws the content mentions, to tell a question about another one."""

    def __init__(self, texts: list[str]) -> None:
        self.cited: set[tuple[str, int]] = set()
        for text in texts:
            for number, suffix in _CITED_SUFFIX.findall(text):
                self.cited.add((suffix, int(number)))
            for kind, number in _CITED_NAMED.findall(fold(text)):
                self.cited.add((_KINDS[kind], int(number)))
        self.laws = {fold(m) for text in texts for m in re.findall(r"Luật [^,;.()“”]{3,40}", text)}

    def unknown_document(self, folded: str) -> str | None:
        """How the question names a document (or law) the content never mentions, if it does."""
        for kind, number in _ASKED_DOCUMENT.findall(folded):
            if (_KINDS[kind], int(number)) not in self.cited:
                return f"{kind} {number}"
        law = _LAW.search(folded)
        if law and not any(law.group(1) in known for known in self.laws):
            return law.group(0)
        return None


# The document's own particulars (number, date, signer, recipients): the "Thông tin văn bản" section
# answers these, and only these; its title words would otherwise match any question about the document.
_PARTICULARS_FOLDED = re.compile(
    r"\b(?:ai ky|nguoi ky|ky ten|do ai|ban hanh|ngay nao|so may|so hieu|so den|ngay den|nam nao|"
    r"gui (?:cho|toi|den|ve)|noi nhan|kinh gui|giai doan nao|nhiem ky nao|hoi nao|khi nao)\b"
)


# A named document's own particulars, asked of it and of no document it cites ("dẫn Quyết định nào,
# ban hành ngày nào" asks for the cited one's date).
_OWN_PARTICULARS = re.compile(
    r"\b(?:ai ky|nao ky|nguoi ky|ky ngay|ky ten|ban hanh (?:vao )?(?:ngay|nam|thang|khi|luc|hoi)|ngay ban hanh|"
    r"so hieu|so may|so bao nhieu|nhiem ky nao|giai doan nao|(?:ap dung|thuc hien) (?:cho |trong )?(?:nhiem ky|giai doan) nao)\b"
)
_KIND_WORDS = re.compile(r"\b(?:" + "|".join(_KINDS) + r"|luat|nghi dinh)\b")


_RECIPIENTS = re.compile(
    r"\b(?:gui (?:cho|toi|den)|noi nhan|kinh gui|gui (?:nhung|cac) (?:noi|don vi|co quan)|(?:ai|don vi nao|noi nao) nhan)\b"
)


def asks_recipients(rest: str) -> bool:
    """Whether a folded question asks whom a document was sent to (not where a report it asks for goes:
    "báo cáo gửi về ban nào")."""
    return _RECIPIENTS.search(rest) is not None and "bao cao" not in rest


def asks_own_particulars(text: str, rest: str) -> bool:
    """Whether a question asks a named document's number, date, signer or period; ``rest``: the folded
    question without the document's names (any other document named in it is the one asked about)."""
    asked = _asks_signer(text) or _OWN_PARTICULARS.search(rest) is not None
    return asked and _KIND_WORDS.search(rest) is None


def asks_particulars(text: str) -> bool:
    """Whether a question asks for a document's number, date, signer or recipients."""
    return _asks_signer(text) or _PARTICULARS_FOLDED.search(fold(text)) is not None


_NOT_SIGNING = frozenset({"đăng", "thư"})  # "đăng ký" registers, "thư ký" is a secretary


def _asks_signer(text: str) -> bool:
    """Whether a question speaks of signing ("ai ký", "ký ngày nào"), not of registering ("được đăng ký")."""
    words = accented_words_of(text)
    return any(w == "ký" and (i == 0 or words[i - 1] not in _NOT_SIGNING) for i, w in enumerate(words))
