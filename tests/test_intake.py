"""What citizens type at the steps of a petition, read as a desk officer would."""

from __future__ import annotations

import pytest

from bot import intake, messages


@pytest.mark.parametrize("text, key", [("rác", "moi-truong"), ("Môi trường", "moi-truong"), ("moi truong", "moi-truong"),
                                       ("giấy tờ", "thu-tuc"), ("đất đai", "dat-dai"), ("an ninh trật tự", "an-ninh"),
                                       ("vấn đề khác", "khac")])
def test_a_category_named_in_words(text, key):
    assert intake.category_named(text, messages.CATEGORIES) == key


@pytest.mark.parametrize("text", ["cho em hỏi cái này ai xem vậy", "dạ", "giấy tờ nhà đất", "x" * 300])
def test_no_category_when_none_stands_out(text):
    assert intake.category_named(text, messages.CATEGORIES) is None


@pytest.mark.parametrize("text", ["ủa mà phản ánh này ai xem vậy em?", "cho em hoi cai nay ai xem vay",
                                  "bao giờ thì có người xuống xem ạ"])
def test_side_questions_are_not_addresses(text):
    assert intake.looks_like_question(text)


@pytest.mark.parametrize("text", ["Hẻm 12 Lê Lợi, phường Bến Nghé", "Đường số 5, khu phố 3", "ngã tư Lê Lợi và Hai Bà Trưng",
                                  "Trước chợ Bến Thành"])
def test_addresses_are_addresses(text):
    assert not intake.looks_like_question(text)


@pytest.mark.parametrize("text, phone", [("0901 234 567", "0901234567"), ("số tôi là 0901.234.567 nhé", "0901234567"),
                                         ("+84 90 123 4567", "0901234567"), ("84901234567", "0901234567"),
                                         ("hẻm 12", None), ("123", None)])
def test_phone_numbers_typed_out(text, phone):
    assert intake.phone_in(text) == phone


@pytest.mark.parametrize("text, no", [("ko có ạ", True), ("ko có thêm ạ", True), ("không", True), ("bỏ qua", True), ("xong rồi", True),
                                      ("không biết chụp sao", False), ("có", False)])
def test_nothing_more_for_this_step(text, no):
    assert intake.means_no(text) is no
