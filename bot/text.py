"""Vietnamese text normalisation for matching.

Everything the matcher compares goes through :func:`fold`: Unicode NFKC, lower
case, diacritics removed (with đ -> d, which NFD decomposition does not do),
punctuation dropped, letters typed repeatedly ("khônggg") collapsed, numbers
with thousands separators joined ("7.593" -> "7593"), and the abbreviations and
teencode people type on phones expanded ("ko" -> "khong", "mttq" -> "mat tran to
quoc").  :func:`lower` keeps the diacritics for the places where they help.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_D_MAP = str.maketrans({"đ": "d", "Đ": "D"})
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_NUMBER_SEP = re.compile(r"(?<=\d)[.,](?=\d{3}(?!\d))")
_NON_WORD = re.compile(r"[^\w%]+")
_REPEATS = re.compile(r"([a-z])\1{2,}")
_WORD_END_DOUBLE = re.compile(r"([a-np-z])\1\b")  # "khongg" -> "khong"; keeps "oo" (xoong)

# Abbreviations and teencode, in folded form (no diacritics).  Multi-word
# expansions are fine: they are split into tokens afterwards.
ABBREVIATIONS: dict[str, str] = {
    # organisations
    "mttq": "mat tran to quoc",
    "mttqvn": "mat tran to quoc viet nam",
    "ubmttq": "uy ban mat tran to quoc",
    "ubnd": "uy ban nhan dan",
    "hdnd": "hoi dong nhan dan",
    "ldld": "lien doan lao dong",
    "tldld": "tong lien doan lao dong",
    "cd": "cong doan",
    "cdcs": "cong doan co so",
    "hlhpn": "hoi lien hiep phu nu",
    "lhpn": "lien hiep phu nu",
    "hpn": "hoi phu nu",
    "hnd": "hoi nong dan",
    "hccb": "hoi cuu chien binh",
    "ccb": "cuu chien binh",
    "dtn": "doan thanh nien",
    "tncs": "thanh nien cong san",
    "btv": "ban thuong vu",
    "bch": "ban chap hanh",
    "bdv": "ban dan van",
    "bdvtu": "ban dan van thanh uy",
    "btg": "ban tuyen giao",
    "vks": "vien kiem sat",
    "vksnd": "vien kiem sat nhan dan",
    "tand": "toa an nhan dan",
    "ctv": "cong tac vien",
    "lltv": "luc luong vu trang",
    "llvt": "luc luong vu trang",
    "qcdc": "quy che dan chu",
    "dvk": "dan van kheo",
    "dv": "dan van",
    "ctdv": "cong tac dan van",
    "cbcc": "can bo cong chuc",
    "cbccvc": "can bo cong chuc vien chuc",
    "cb": "can bo",
    "cc": "cong chuc",
    "dvien": "dang vien",
    "tthc": "thu tuc hanh chinh",
    "cchc": "cai cach hanh chinh",
    "atgt": "an toan giao thong",
    "antt": "an ninh trat tu",
    "dtts": "dan toc thieu so",
    "ntm": "nong thon moi",
    "nq": "nghi quyet",
    "kl": "ket luan",
    "ct": "chi thi",
    "qc": "quy che",
    "qdi": "quy dinh",
    "tb": "thong bao",
    "cv": "cong van",
    "tt": "thong tri",
    "qd": "quyet dinh",
    "kh": "ke hoach",
    "ctr": "chuong trinh",
    "cthd": "chuong trinh hanh dong",
    "hd": "huong dan",
    "nv": "nhiem vu",
    "tw": "trung uong",
    # places
    "tp": "thanh pho",
    "tphcm": "thanh pho ho chi minh",
    "hcm": "ho chi minh",
    "sg": "sai gon",
    # teencode and chat shorthand
    "ko": "khong", "k": "khong", "5k": "5 khong", "kg": "khong", "khg": "khong", "hok": "khong",
    "hk": "khong", "kh0ng": "khong",
    "dc": "duoc", "dk": "duoc", "duoc": "duoc", "đc": "duoc",
    "j": "gi", "ji": "gi", "z": "vay", "v": "vay", "zay": "vay", "zi": "gi",
    "ntn": "nhu the nao", "bn": "bao nhieu", "bnh": "bao nhieu", "kq": "ket qua",
    "ng": "nguoi", "nguoi": "nguoi",
    "wa": "qua", "oy": "roi", "r": "roi", "ik": "di", "dzi": "di",
    "mik": "minh", "mk": "minh", "tui": "toi", "bik": "biet", "bit": "biet",
    "lm": "lam", "ntn?": "nhu the nao", "sdt": "so dien thoai", "dt": "dien thoai", "vs": "voi", "trc": "truoc",
    "sd": "su dung", "ql": "quan ly", "pt": "phat trien", "vd": "vi du",
    "xh": "xa hoi", "ktxh": "kinh te xa hoi", "gqkn": "giai quyet khieu nai",
    # officials' shorthand for what the documents name in full
    "htct": "he thong chinh tri", "ctmtqg": "chuong trinh muc tieu quoc gia", "qppl": "quy pham phap luat",
    "ubkt": "uy ban kiem tra", "tcd": "tiep cong dan", "bcs": "ban can su", "bct": "bo chinh tri",
    "antq": "an ninh to quoc", "qpan": "quoc phong an ninh", "dbqh": "dai bieu quoc hoi",
    "csxh": "chinh sach xa hoi", "ansx": "an sinh xa hoi", "vh": "van hoa",
    "bc": "bao cao", "sl": "so luong", "tcxh": "to chuc xa hoi", "ctxh": "chinh tri xa hoi",
    "cnh": "cong nghiep hoa", "hdh": "hien dai hoa", "nsnn": "ngan sach nha nuoc",
    # dropped letters, as typed in a hurry
    "cug": "cung", "xog": "xong", "sog": "song",
}

NUMBER_WORDS: dict[str, str] = {
    "mot": "1", "hai": "2", "ba": "3", "bon": "4", "nam": "5",
    "sau": "6", "bay": "7", "tam": "8", "chin": "9", "muoi": "10",
}
_ORDINALS = {**NUMBER_WORDS, "nhat": "1", "tu": "4"}
# Everyday words for what the documents name otherwise (folded word pairs).
SYNONYMS: dict[tuple[str, str], tuple[str, str]] = {
    ("vut", "rac"): ("xa", "rac"),
    ("do", "rac"): ("xa", "rac"),
    ("quang", "rac"): ("xa", "rac"),
    ("den", "bu"): ("boi", "thuong"),
}
# Two filler words that together name a thing ("báo chí" is neither the "bao" of "bao nhiêu"
# nor the "chi" of "làm chi"): one token, which weighs like any other word.
COMPOUNDS: dict[tuple[str, str], str] = {("bao", "chi"): "baochi"}
# Number words are only turned into digits before these words: "năm không"
# is "5 không", but "năm 2023" and "hai bên" must stay as they are.
_COUNTED = {"khong", "diem", "noi", "muc", "y", "nhiem", "chi", "tieu", "phong", "sach", "dan"}


# Two spellings of one word: the tone mark on the first or the second vowel of "oa", "oe", "uy"
# at the end of a syllable ("hoà" / "hòa", "khoẻ" / "khỏe", "thuỷ" / "thủy").  One is kept.
_OLD_TONE = re.compile("([oOuU])([aAeEyY])([\u0300\u0301\u0303\u0309\u0323])(?![a-zA-Z])")


# An abbreviation typed against its number ("nq43", "kh109", "hd11"): two words.
_GLUED = re.compile(r"\b([a-zđ]{1,5})(\d{1,4})\b")


def _unglue(match: re.Match[str]) -> str:
    letters, digits = match.groups()
    return f"{letters} {digits}" if letters.replace("đ", "d") in ABBREVIATIONS else match.group(0)


def lower(text: str) -> str:
    """NFKC (so that 𝐁𝐨𝐥𝐝 or full-width letters from keyboard apps read as plain ones), zero-width
    characters removed, case folded, one spelling of tone placement; Vietnamese diacritics kept."""
    folded = unicodedata.normalize("NFKC", text).translate(_ZERO_WIDTH).casefold()
    if not folded.isascii():
        decomposed = unicodedata.normalize("NFD", folded)
        folded = unicodedata.normalize("NFC", _OLD_TONE.sub(_new_tone, decomposed))
    return folded


def _new_tone(match: re.Match[str]) -> str:
    first, second, tone = match.groups()
    if first.lower() == "u" and second.lower() != "y":  # "uà", "uế": the mark is where it belongs
        return match.group(0)
    if first.lower() == "o" and second.lower() == "y":
        return match.group(0)
    return f"{first}{tone}{second}"


@lru_cache(maxsize=65536)
def strip_accents(text: str) -> str:
    """Remove Vietnamese diacritics, mapping đ/Đ to d."""
    decomposed = unicodedata.normalize("NFD", text.translate(_D_MAP))
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


def has_diacritics(text: str) -> bool:
    return strip_accents(lower(text)) != lower(text)


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Folded, tokenised form used for matching: ``"Ủy ban MTTQ ko?"`` -> ``"uy ban mat tran to quoc khong"``."""
    return " ".join(tokens(text))


@lru_cache(maxsize=65536)
def accented_words(text: str) -> tuple[str, ...]:
    """Lower-case words with their diacritics, as typed (no abbreviation expansion)."""
    raw = _NUMBER_SEP.sub("", lower(text))
    return tuple(_NON_WORD.sub(" ", raw.replace("_", " ")).split())


@lru_cache(maxsize=65536)
def tokens(text: str) -> tuple[str, ...]:
    """Folded tokens, abbreviations expanded, number words before counted nouns as digits."""
    raw = _NUMBER_SEP.sub("", lower(text))
    raw = _NON_WORD.sub(" ", raw.replace("_", " "))
    out: list[str] = []
    for typed in _GLUED.sub(_unglue, raw).split():
        word = strip_accents(typed)
        word = _WORD_END_DOUBLE.sub(r"\1", _REPEATS.sub(r"\1", word))
        if word.endswith("gn"):  # "khôgn": two keys swapped (no Vietnamese word ends in "gn")
            word = word[:-2] + "ng"
        # Expand only what was typed without diacritics ("đ" aside): "cả" is
        # never an abbreviation, "ko" and "đc" are.
        if typed.replace("đ", "d").isascii():
            out.extend(ABBREVIATIONS.get(word, word).split())
        else:
            out.append(word)
    for i in range(len(out) - 1):
        pair = SYNONYMS.get((out[i], out[i + 1]))
        if pair:
            out[i], out[i + 1] = pair
        if out[i] in NUMBER_WORDS and out[i + 1] in _COUNTED:
            out[i] = NUMBER_WORDS[out[i]]
        elif out[i] == "thu" and out[i + 1] in _ORDINALS:  # "thứ ba" -> "thu 3"
            out[i + 1] = _ORDINALS[out[i + 1]]
    merged: list[str] = []
    for tok in out:
        if merged and (merged[-1], tok) in COMPOUNDS:
            merged[-1] = COMPOUNDS[merged[-1], tok]
        else:
            merged.append(tok)
    return tuple(merged)


def utf16_len(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units): what its limits are in."""
    return len(text.encode("utf-16-le")) // 2
