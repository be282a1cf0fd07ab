"""Reading what a citizen types at a step of the petition conversation, the way a desk officer would:
a category named in words, a phone number typed out, "không có ảnh", a side-question that is not an
address.  Plain functions over text, tested without Telegram."""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from bot.text import fold

# Words by which people name each category (folded), beside its label.
CATEGORY_WORDS: dict[str, tuple[str, ...]] = {
    "thu-tuc": ("thu tuc", "giay to", "ho so", "mot cua", "phien ha", "can bo"),
    "moi-truong": ("rac", "moi truong", "o nhiem", "nuoc thai", "khoi", "bui", "mui hoi"),
    "giao-thong": ("giao thong", "duong", "via he", "den duong", "xe", "lan chiem"),
    "an-ninh": ("an ninh", "trom", "cuop", "trat tu", "danh nhau", "ma tuy"),
    "an-sinh": ("ngheo", "kho khan", "tro cap", "khuyet tat", "nguoi gia", "yeu the"),
    "dat-dai": ("dat", "boi thuong", "tai dinh cu", "giai toa", "so do"),
    "lao-dong": ("lao dong", "luong", "cong nhan", "bao hiem", "viec lam"),
    "gop-y": ("gop y", "xay dung dang", "chinh quyen"),
    "khac": ("khac",),
}
_NO = re.compile(r"^(khong|ko|k|kg|hong|chua|khong co|ko co|k co|bo qua|thoi|tiep|tiep tuc|xong|het|vay thoi)"
                 r"( (a|nha|nhe|co|anh|em|roi|gi|dau|them|nua|het|ca|a em))*[.!]*$")
_ANONYMOUS = re.compile(r"\b(an danh|giau ten|khong de (lai )?(so|sdt|ten)|khong muon de (lai )?(so|sdt))\b")
_OTHER_AREA = re.compile(r"\b(khac|khong ro|khong biet|ko biet|k biet|chua ro)\b")
_PHONE = re.compile(r"(?<!\d)(?:\+?84|0)(?:[\s.\-]?\d){8,10}(?!\d)")
_QUESTION_START = re.compile(r"^(ai|sao|tai sao|vi sao|the nao|lam sao|bao gio|bao lau|khi nao|co phai|cho (em|toi|minh|chau) hoi|"
                             r"hoi|u ma|ua|the|vay)\b")
_QUESTION_END = re.compile(r"(\?|\b(khong|ko|chua|the nao|sao|gi|nao|dau|a|ha|vay)\s*\??)\s*$")


def category_named(text: str, labels: dict[str, str]) -> str | None:
    """The category a short typed text names ("rác", "môi trường", "giấy tờ"), when one stands out."""
    folded = fold(text)
    if not folded or len(folded.split()) > 8:
        return None
    scores = {}
    for key, label in labels.items():
        words = (fold(label), *CATEGORY_WORDS.get(key, ()))
        scores[key] = max(100 if re.search(rf"\b{re.escape(w)}\b", folded) else fuzz.ratio(folded, w) for w in words)
    best = sorted(scores.items(), key=lambda item: -item[1])
    if best[0][1] >= 85 and (len(best) == 1 or best[1][1] < best[0][1]):
        return best[0][0]
    return None


_QUESTION_WORD = re.compile(r"\b(ai|gi|sao|bao lau|bao gio|bao nhieu|the nao|o dau|khi nao|may ngay|co phai|duoc khong)\b")
_PARTICLE_END = re.compile(r"\b(vay|va|a|ha|khong|ko|chua|nhi|nhe|the|z)\s*$")
# ("chợ" and "tổ" fold to "cho" and "to", words of every question: left out)
_ADDRESS = re.compile(r"\d|\b(hem|duong|pho|phuong|quan|huyen|ap|khu pho|kp|ngo|ngach|thon|xa|cau|nga tu|"
                      r"nga ba|truoc|gan|canh|doi dien|chung cu|block)\b")


def looks_like_question(text: str) -> bool:
    """A side-question ("ủa mà phản ánh này ai xem vậy em?", "phản ánh thì ai xem vậy"), not an
    address: a question mark, or a question word with a particle at the end, and nothing of a place."""
    folded = fold(text)
    if text.strip().endswith("?"):
        return True
    asks = bool(_QUESTION_START.search(folded)) and bool(_QUESTION_END.search(folded)) or \
        bool(_QUESTION_WORD.search(folded)) and bool(_PARTICLE_END.search(folded))
    return asks and not _ADDRESS.search(folded)


_SEND = re.compile(r"^(ok|oke|okay|dong y|gui|gui di|gui luon|xac nhan|duoc roi|dung roi)( (gui|di|luon|nha|nhe|a|em|roi))*$")
_CANCEL = re.compile(r"^(huy|huy bo|huy phan anh|thoi khoi|khong gui( nua)?|ko gui( nua)?|dung lai|bo di|thoi khong gui( nua)?)"
                     r"( (nha|nhe|a|em|nua|di|roi))*$")


def means_send(text: str) -> bool:
    """"ok gửi đi", "gửi", "đồng ý" at the review: send it."""
    return bool(_SEND.match(" ".join(fold(text).replace(",", " ").split())))


def means_cancel(text: str) -> bool:
    """"huỷ", "thôi khỏi, ko gửi nữa": the citizen no longer wants to send it."""
    words = " ".join(fold(text).replace(",", " ").split())
    return bool(_CANCEL.match(words)) or words.startswith("thoi khoi") or words in ("thoi ko gui nua", "thoi khong gui")


def means_no(text: str) -> bool:
    """"không có", "ko", "bỏ qua", "xong": nothing more for this step."""
    return bool(_NO.match(fold(text).strip()))


def wants_anonymous(text: str) -> bool:
    return means_no(text) or bool(_ANONYMOUS.search(fold(text)))


def phone_in(text: str) -> str | None:
    """A Vietnamese phone number typed out ("0901 234 567", "+84 90 123 4567"), as digits."""
    found = _PHONE.search(text)
    if not found:
        return None
    digits = re.sub(r"\D", "", found.group(0))
    if digits.startswith("84"):
        digits = "0" + digits[2:]
    return digits if len(digits) in (10, 11) else None


def other_area(text: str) -> bool:
    """"khu vực khác", "không rõ": the ward is none of the listed ones."""
    return bool(_OTHER_AREA.search(fold(text)))


_NOT_RESOLVED = re.compile(r"\b(chua (duoc )?(giai quyet|xu ly|xong|sua|don|thu gom)|van (con|chua|nhu cu|the)|"
                           r"sao (lai )?bao (la )?(da )?(giai quyet|xong)|khong (he )?(giai quyet|xu ly)|"
                           r"bao (la )?(da )?(giai quyet|xong) (ma|nhung))\b")
_OWN_PETITION = re.compile(r"\b(phan anh|kien nghi|don|ho so phan anh)( cua)? (toi|em|minh|tui|chau|con)\b|"
                           r"\b(toi|em|minh|tui) (da )?gui (phan anh|kien nghi|don)\b")
_HOW_IS_IT = re.compile(r"\b(sao roi|den dau|the nao|ra sao|toi dau|tinh hinh|xu ly chua|giai quyet chua|chua|duoc chua|"
                        r"trang thai|co ai)\b")


def says_not_resolved(text: str) -> bool:
    """"vẫn còn rác mà, sao lại báo đã giải quyết???": a citizen saying their petition is not resolved."""
    return bool(_NOT_RESOLVED.search(fold(text)))


def asks_own_status(text: str) -> bool:
    """"phản ánh của tôi sao rồi": a citizen asking after their own petition."""
    folded = fold(text)
    return bool(_OWN_PETITION.search(folded)) and bool(_HOW_IS_IT.search(folded))


_WHEN_HANDLED = re.compile(r"\b(bao lau|khi nao|may ngay|bao gio|bao nhieu ngay)\b.*\b(xu ly|giai quyet|tra loi|co nguoi|xuong)\b|"
                           r"\b(xu ly|giai quyet|tra loi)\b.*\b(bao lau|mat may ngay|trong bao lau|khi nao)\b")
_WHO_SEES = re.compile(r"\bai (xem|doc|biet|thay)\b|\b(lo|bi lo) (ten|thong tin|danh tinh|so dien thoai)\b|\bbi lo\b|"
                       r"\bgiu bi mat\b|\bbao mat\b")
_ABOUT_PETITIONS = re.compile(r"\b(phan anh|kien nghi|to cao|don|cai nay)\b")


def petition_question(text: str, in_petition: bool) -> str | None:
    """A question about petitions themselves: "deadline" (how long until it is handled) or "privacy"
    (who sees it, will my name leak); asked while writing one, or naming petitions."""
    folded = fold(text)
    if not in_petition and not _ABOUT_PETITIONS.search(folded):
        return None
    if _WHEN_HANDLED.search(folded):
        return "deadline"
    if _WHO_SEES.search(folded):
        return "privacy"
    return None
