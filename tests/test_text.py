from bot.text import fold, has_diacritics, strip_accents


def test_diacritics_and_d_are_folded():
    assert fold("Đảng ủy") == "dang uy"
    assert strip_accents("Đồng Nai") == "Dong Nai"
    assert fold("Ủy ban") == fold("Ủy ban")  # precomposed and decomposed forms agree


def test_abbreviations_and_teencode_are_expanded():
    assert fold("MTTQ ko đc j") == "mat tran to quoc khong duoc gi"
    assert fold("ubnd, hđnd, lđlđ") == "uy ban nhan dan hoi dong nhan dan lien doan lao dong"
    assert fold("tp hcm") == "thanh pho ho chi minh"
    assert fold("HTCT triển khai CTMTQG") == "he thong chinh tri trien khai chuong trinh muc tieu quoc gia"
    assert fold("5 khôgn gồm nhưgn gì") == fold("5 không gồm những gì")  # two keys swapped


def test_words_typed_with_diacritics_are_never_taken_for_abbreviations():
    assert fold("cả nước") == "ca nuoc"  # "ca" alone would not be "công an" either, but "cả" must stay "ca"
    assert fold("Cán bộ CĐ") == "can bo cong doan"


def test_repeated_letters_numbers_and_punctuation():
    assert fold("khônggggg!!!") == "khong"
    assert fold("7.593 tập thể") == "7593 tap the"
    assert fold("5 không?") == "5 khong"
    assert fold("năm không") == "5 khong"
    assert fold("năm 2023") == "nam 2023"


def test_zero_width_and_empty_input():
    assert fold("dân\u200b vận") == "dan van"
    assert fold("   ") == ""
    assert fold("🙂🙂") == ""
    assert has_diacritics("dân") and not has_diacritics("dan")


def test_fancy_unicode_letters_read_as_plain_ones():
    assert fold("𝐱𝐢𝐧 𝐜𝐡𝐚̀𝐨") == "xin chao"
    assert fold("ＭＴＴＱ ｋｏ") == "mat tran to quoc khong"
