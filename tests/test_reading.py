"""Questions as people ask them: stories, openers, specifics, everyday words, and honest refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import messages
from bot.assistant import asked_part
from bot.paraphrase import ParaphraseError, load_paraphrases
from bot.text import fold
from bot.validate import validate

ROOT = Path(__file__).resolve().parent.parent


def test_a_specific_question_gets_the_sentence_that_holds_it(assistant):
    reply = assistant.ask("ai ký công văn 199 của liên đoàn lao động")
    assert reply.kind == "answer"
    assert "Phùng Thái Quang" in reply.answer  # the signer, which no intent's answer says
    assert "hcm-ldld-199#thong-tin" in reply.sources
    assert "Thông tin văn bản" in reply.answer  # cited, like every quotation


def test_whom_a_document_was_sent_to_is_answered_from_its_recipients(assistant):
    reply = assistant.ask("công văn 199 của liên đoàn lao động thành phố gửi cho những đơn vị nào")
    assert reply.kind == "answer"
    assert "Tổng Công ty" in reply.answer and "hcm-ldld-199#noi-nhan" in reply.sources


def test_a_story_before_the_question_does_not_hide_it(assistant):
    story = (
        "Tôi là bà nội trợ ở quận 3, sáng nào cũng đi chợ sớm. Tối nào hẻm nhà tôi cũng có người mang "
        "rác ra đổ bậy, nói hoài mà không ai nghe, tôi bực lắm. Thành phố có phong trào gì về chuyện xả rác không?"
    )
    assert asked_part(story).startswith("Tối nào hẻm") or asked_part(story).startswith("Thành phố")
    reply = assistant.ask(story)
    # the question, not the story, is answered: from the rubbish section of "5 không"
    assert reply.kind == "answer" and "rác" in reply.answer and "hcm-hd11-5khong#khong-3" in reply.sources


def test_everyday_words_reach_the_documents_words(assistant):
    reply = assistant.ask("cán bộ phường cứ làm khó, hẹn lên hẹn xuống thì văn bản nói sao")
    assert reply.kind == "answer" and "phiền hà" in reply.answer


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("nghị quyết 68 về kinh tế tư nhân nói gì", messages.FALLBACK_DOCUMENT.format(name="Nghị Quyết 68")),
        ("thủ tục đăng ký tạm trú cần giấy tờ gì", messages.FALLBACK_PROCEDURE),
        ("Huyện ủy Mường Tè đặt chỉ tiêu dân vận khéo bao nhiêu",
         messages.FALLBACK_LOCAL_COMMITTEE.format(name="Huyện ủy Mường Tè")),
        ("Mặt trận Tổ quốc Việt Nam thành lập năm nào", messages.FALLBACK_TODAY),
        ("số điện thoại ban dân vận thành ủy là bao nhiêu", messages.FALLBACK_TODAY),
        ("ban dân vận tiếp dân vào thứ mấy hằng tuần", messages.FALLBACK_TODAY),
        ("năm ngoái lai châu đã vận động được bao nhiêu hộ tham gia", messages.FALLBACK_RESULTS),
        ("kinh phí ngân sách cho phong trào dân vận khéo là bao nhiêu tỷ", messages.FALLBACK_PROCEDURE),
        ("luật thực hiện dân chủ ở cơ sở gồm mấy chương, bao nhiêu điều", messages.FALLBACK_LAW),
        ("sau sáp nhập thì ủy ban mặt trận phường có mấy phó chủ tịch", messages.FALLBACK_REORGANISED),
        ("đề nghị cung cấp số liệu hộ nghèo của lai châu năm 2022", messages.FALLBACK_RESULTS),
        ("cuộc thi dân vận khéo ở đồng nai năm rồi ai đoạt giải vậy", messages.FALLBACK_RESULTS),
        ("đồng nai bây giờ có bao nhiêu người dân", messages.FALLBACK_TODAY),
        ("Tôi ở Cần Thơ, có đọc kế hoạch của Lai Châu rồi. Vậy Thành ủy Cần Thơ giao chỉ tiêu dân vận gì?",
         messages.FALLBACK_OTHER_PLACE.format(place="Cần Thơ")),
    ],
)
def test_questions_the_documents_cannot_answer_say_why(assistant, question, expected):
    reply = assistant.ask(question)
    assert reply.kind == "fallback" and reply.answer == expected


def test_counts_of_programmes_are_not_articles_of_a_law(assistant):
    reply = assistant.ask("mặt trận đồng nai mỗi năm chọn bao nhiêu chương trình, dự án để giám sát")
    assert reply.kind == "answer"


def test_this_year_in_a_story_is_not_a_question_about_today(assistant):
    story = ("toi la can bo dan van o xa, nam nay duoc giao xay dung mo hinh dan van kheo, "
             "cho hoi tieu chi danh gia mo hinh dan van kheo cua thanh pho la gi")
    assert assistant.ask(story).answer != messages.FALLBACK_TODAY


def test_now_asks_for_today_only_with_a_request_for_a_figure_or_a_name(assistant):
    assert assistant.ask("tình hình dân vận hiện nay có khó khăn gì").kind == "answer"
    assert assistant.ask("tối nay có gì vui không").answer == messages.FALLBACK_TODAY


def test_a_document_the_content_cites_is_not_refused(assistant):
    reply = assistant.ask("chỉ thị 18 về an toàn giao thông nói gì")
    assert reply.kind == "answer" and "18-CT/TW" in reply.answer


@pytest.mark.parametrize("opener", ["em ơi", "cho chị hỏi", "ad ơi", "cho em hoi voi"])
def test_an_opener_alone_gets_a_short_prompt(assistant, opener):
    reply = assistant.ask(opener)
    assert (reply.kind, reply.answer) == ("smalltalk", messages.OPENER)


@pytest.mark.parametrize("insult", ["bot ngu vl", "dm", "đm bot"])
def test_rudeness_gets_one_calm_line_and_no_petition_offer(assistant, insult):
    reply = assistant.ask(insult)
    assert (reply.kind, reply.answer) == ("smalltalk", messages.RUDE)


def test_words_that_fold_onto_rude_or_small_talk_ones_are_not_taken_for_them(assistant):
    assert assistant.ask("cho tôi hỏi 5 không là gì").kind == "answer"  # "cho" is not "chó"
    assert assistant.ask("Giá vàng hôm nay").kind == "fallback"  # "vàng" is not "vâng"


def test_a_numbered_question_is_read_without_its_number(assistant):
    assert assistant.ask("câu 6: 5 không là gì").intent == assistant.ask("5 không là gì").intent


def test_a_very_long_message_is_answered_from_its_end(assistant):
    story = "Nhà tôi ở gần chợ, bà con trong xóm sống với nhau lâu năm, rất tình nghĩa. " * 25
    reply = assistant.ask(story + "Cho tôi hỏi nội dung 5 không là gì?")
    assert reply.kind == "answer" and "người nghèo" in reply.answer


def test_paraphrase_entries_that_lead_nowhere_fail_validation(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    for path in (ROOT / "content").glob("*.md"):
        (content / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (content / "paraphrases.yaml").write_text(
        "paraphrases:\n  - say: [làm khó]\n    docs: [gây phiền hà]\n  - say: [lương]\n    docs: [mức lương tối thiểu vùng]\n",
        encoding="utf-8",
    )
    errors = [p for p in validate(content, ROOT / "intents") if p.level == "error"]
    assert [str(p) for p in errors if "paraphrases" in p.where] == [
        f"{content / 'paraphrases.yaml'}: entry 2: error: “mức lương tối thiểu vùng” does not occur in the documents"
    ]


def test_a_malformed_paraphrase_file_is_one_clear_error(tmp_path):
    (tmp_path / "paraphrases.yaml").write_text("paraphrases:\n  - say: làm khó\n", encoding="utf-8")
    with pytest.raises(ParaphraseError, match="entry 1: 'say' and 'docs' must be non-empty lists"):
        load_paraphrases(tmp_path)


def test_a_choice_is_picked_by_its_number_only_while_it_is_on_offer():
    from bot.dialogue import Dialogue

    now = [0.0]
    dialogue = Dialogue(window=30, clock=lambda: now[0])
    assert dialogue.pick(1, "2") is None  # nothing offered
    dialogue.offered(1, ("a", "b"))
    assert (dialogue.pick(1, "2"), dialogue.pick(1, "số 1"), dialogue.pick(1, "3")) == ("b", "a", None)
    dialogue.unanswered(1, "mấy cái điều không")
    now[0] = 10
    assert dialogue.together(1, "là những gì") == "mấy cái điều không là những gì"
    now[0] = 50  # too long ago to be one question
    assert dialogue.together(1, "là những gì") is None
    dialogue.answered(1)
    assert dialogue.pick(1, "2") is None


def test_both_spellings_of_a_tone_mark_are_one_word(assistant):
    from bot.text import lower

    assert lower("Hoà giải, thuỷ lợi, khoẻ") == lower("Hòa giải, thủy lợi, khỏe") == "hòa giải, thủy lợi, khỏe"
    assert lower("quà, toàn, thuở") == "quà, toàn, thuở"  # marks already where they belong stay
    assert assistant.ask("uỷ ban mặt trận tổ quốc có nhiệm vụ gì").intent == assistant.ask(
        "ủy ban mặt trận tổ quốc có nhiệm vụ gì").intent


def test_a_figure_asked_for_is_given_or_honestly_missing(assistant):
    share = assistant.ask("lai châu đặt chỉ tiêu bao nhiêu phần trăm quần chúng vào đoàn thể")
    assert share.kind == "answer" and "85%" in share.answer
    assert messages.QUOTE_HEADER not in share.answer  # the answer has the share: no unrelated quote above it
    assert assistant.ask("thành phố Lai Châu có bao nhiêu hộ nghèo").kind == "fallback"


def test_a_question_that_names_a_place_gets_that_places_lines_only(assistant):
    reply = assistant.ask("thời hạn báo cáo dân vận ở đồng nai")
    assert "Đồng Nai" in reply.answer and "Lai Châu" not in reply.answer and "TP. Hồ Chí Minh:" not in reply.answer
    assert all(assistant.library.sections[s].doc.area == "dongnai" for s in reply.sources)


def test_a_place_whose_documents_say_nothing_is_told_so_first(assistant):
    reply = assistant.ask("liên đoàn lao động lai châu có nhiệm vụ gì")
    body = reply.answer.split(messages.QUOTE_HEADER)[-1]
    assert messages.PLACE_NOT_SAID.format(place="TP. Lai Châu") in body
    assert "TP. Hồ Chí Minh" in body  # then, labelled, what another place's document says


def test_the_users_own_place_comes_first_when_the_question_names_none(assistant):
    lines = [l for l in assistant.ask("thời hạn báo cáo công tác dân vận", locality="dongnai").answer.split("\n")
             if l.startswith("• ")]
    assert lines[0].startswith("• Đồng Nai")


def test_another_place_after_an_answer_gets_that_places_part_not_the_same_answer(assistant):
    first = assistant.ask("thời hạn báo cáo công tác dân vận")
    again = assistant.ask("còn ở Lai Châu thì sao?", previous=first.intent)
    assert again.answer != first.answer and "Lai Châu" in again.answer and "Đồng Nai:" not in again.answer


def test_a_year_no_cited_document_covers_is_refused_and_a_plain_query_is_not_a_report(assistant):
    reply = assistant.ask("chỉ tiêu dân vận khéo của đồng nai năm 2027")
    assert reply.kind == "fallback" and "2027" in reply.answer and "2020 - 2025" in reply.answer
    assert assistant.ask("nhà tôi bị ngập nước mỗi khi mưa").answer == messages.FALLBACK_REPORT


def test_the_5_of_5_khong_is_not_a_document_number(assistant):
    reply = assistant.ask("đoàn viên dùng mạng xã hội thì hướng dẫn 5 không dặn gì")
    assert reply.kind == "answer" and reply.intent == "mang-xa-hoi"
    assert assistant.ask("kế hoạch 41-KH/ThU của thành ủy lai châu về việc gì").intent is None  # a passage: no intent says 41


def test_an_abbreviation_typed_against_its_number_is_two_words(assistant):
    from bot.text import tokens

    assert tokens("nq43 và kh109") == ("nghi", "quyet", "43", "va", "ke", "hoach", "109")
    assert tokens("covid19") == ("covid19",)  # not an abbreviation: left alone


def test_the_law_in_general_is_not_a_named_law(assistant):
    reply = assistant.ask("ở đồng nai ai lo phổ biến pháp luật cho dân")
    assert "không nhắc đến" not in reply.answer


@pytest.mark.parametrize(
    ("question", "not_theirs"),
    [
        ("mỗi đơn vị ở đồng nai có mấy điển hình dân vận khéo", "01 - 02"),  # Lai Châu's
        ("lai châu có bao nhiêu phần trăm cơ sở thực hiện tốt quy chế dân chủ", "trên 80%"),  # Đồng Nai's
        ("hạn báo cáo 6 tháng ở đồng nai", "18 tháng 5"),  # TP. Hồ Chí Minh's
        ("đồng nai phấn đấu bao nhiêu phần trăm điểm ô nhiễm rác được giải quyết", "100%"),  # TP. Hồ Chí Minh's
        ("thời hạn kế hoạch nghị quyết 43 ở đồng nai", "quý I"),  # TP. Hồ Chí Minh's
    ],
)
def test_a_question_that_names_a_place_never_gets_another_places_figures(assistant, question, not_theirs):
    assert not_theirs not in assistant.ask(question).answer


def test_another_places_answer_is_labelled_when_the_named_place_has_none(assistant):
    reply = assistant.ask("thư xin lỗi ở đồng nai")
    assert reply.answer.startswith(messages.PLACE_NOT_SAID_OTHER.format(place="Đồng Nai", other="TP. Hồ Chí Minh"))


@pytest.mark.parametrize(
    "question",
    ["giờ làm việc của ubnd phường", "chính sách visa cho người nước ngoài", "sdt ban dân vận là bao nhiêu"],
)
def test_hours_visas_and_phone_numbers_are_not_in_the_documents(assistant, question):
    assert assistant.ask(question).kind == "fallback"


def test_spoken_plurals_are_not_counts(assistant):
    reply = assistant.ask("ở lai châu mấy cái đạo lạ thì kế hoạch dân vận nói phải làm sao")
    assert reply.kind == "answer"


def test_a_document_number_asked_for_is_found_in_the_passage_that_holds_it(assistant):
    reply = assistant.ask("thành ủy lai châu có quy định về việc bí thư tiếp dân, đối thoại với dân, số mấy")
    assert reply.kind == "answer" and "2021-QĐ/ThU" in reply.answer


def test_these_past_years_are_not_this_year(assistant):
    from bot.guards import asks_today
    from bot.text import fold

    assert not asks_today(fold("mấy năm nay nhà tôi được hỗ trợ nhiều, quyết định nào phê duyệt"))
    assert asks_today(fold("năm nay hỗ trợ bao nhiêu"))


def test_the_province_of_lai_chau_is_told_the_plan_is_the_citys(assistant):
    reply = assistant.ask("tỉnh lai châu đặt chỉ tiêu dân vận năm 2023 thế nào")
    assert reply.kind == "answer" and reply.answer.startswith(messages.LAI_CHAU_IS_THE_CITY)
    assert "TP. Lai Châu" in assistant.ask("thời hạn báo cáo công tác dân vận").answer


@pytest.mark.parametrize(("question", "area", "into"), [
    ("Tỉnh Bình Dương đặt chỉ tiêu bao nhiêu phần trăm dân vận khéo", "Bình Dương", "TP. Hồ Chí Minh"),
    ("binh phuoc co ke hoach dan van gi", "Binh Phuoc", "Đồng Nai"),
])
def test_an_area_merged_in_2025_is_told_the_documents_predate_it(assistant, question, area, into):
    reply = assistant.ask(question)
    assert reply.kind == "fallback" and reply.answer == messages.FALLBACK_MERGED.format(area=area, into=into)


def test_the_document_a_question_names_is_searched_for_what_is_asked_of_it(assistant):
    scope = assistant.names.scope(
        fold("Trong chương trình thực hiện nghị quyết 43 của TP.HCM, ban dân vận thành ủy làm gì"), {"hcm"},
    )
    assert scope.documents == {"hcm-nq43"}
    assert "nghi quyet" not in scope.rest and "ho chi minh" not in scope.rest and "ban dan van" in scope.rest
    # the longest name wins, and only a document of the place asked about counts
    assert assistant.names.scope(fold("kế hoạch dân vận năm 2023 của lai châu"), {"laichau"}).documents == {"laichau-2023"}
    assert assistant.names.scope(fold("kế hoạch dân vận của lai châu"), {"laichau"}).documents == set()
    reply = assistant.ask("chương trình thực hiện nghị quyết 43 của thành phố giao ban tổ chức thành ủy việc gì")
    assert "3. Giao Ban Tổ chức Thành ủy chủ trì" in reply.answer and "hcm-nq43#tc-3" in reply.sources


def test_a_lawyer_is_not_a_law(assistant):
    reply = assistant.ask("Tôi là luật sư ở quận 3. Chương trình dân vận TP.HCM nói gì về phản biện xã hội?")
    assert reply.kind == "answer" and "phản biện xã hội" in reply.answer


def test_other_places_are_named_as_written(assistant):
    assert "Hải Phòng" in assistant.ask("hai phong co dat chi tieu dan van kheo khong").answer
    assert "Hà Nội" in assistant.ask("ha noi co phong trao dan van kheo khong").answer
    # "hn" in a chat is "hôm nay" as often as Hà Nội: not taken for a place
    assert "Hà Nội" not in assistant.ask("hn có họp tổ dân phố không").answer


def test_a_named_documents_date_is_its_own_as_written_not_one_it_cites(assistant):
    reply = assistant.ask("Kế hoạch 109-KH/ThU của Thành ủy Lai Châu ký ngày tháng năm nào")
    assert reply.kind == "answer"
    assert "ngày 10 tháng 01 năm 2023 (10/01/2023)" in reply.answer  # as the header writes it, then as a date
    assert messages.CARD_HEADER in reply.answer and "«Kế hoạch số 109" not in reply.answer  # not quoted as text
    # a document the plan cites: not the plan's own date
    assert "10/01/2023" not in assistant.ask("chỉ thị 13-CT/TU của thành ủy tphcm ra ngày nào").answer


def test_a_footnote_answers_with_the_text_that_refers_to_it(assistant):
    reply = assistant.ask("kết luận 386-KL/TU của thành ủy tphcm gắn với cuộc vận động nào")
    assert reply.kind == "answer" and "386-KL/TU" in reply.answer
    assert "hcm-hd11-5khong#khong-3" in reply.sources and "xây dựng nông thôn mới" in reply.answer


def test_an_asker_saying_what_office_they_hold_is_not_asking_who_holds_it(assistant):
    story = "Tôi là phó chủ tịch Hội Nông dân xã. Phong trào dân vận khéo ở TP.HCM có tên gọi đầy đủ là gì?"
    assert assistant.ask(story).answer != messages.FALLBACK_PERSON
    for asked in ("ai là chủ tịch ubnd tp hcm hiện nay", "Tôi là người dân, chủ tịch UBND phường là ai?",
                  "Em là đoàn viên, cho em hỏi bí thư thành ủy lai châu là ai",
                  "Tôi là đảng viên và muốn biết chủ tịch mặt trận phường là ai"):
        assert assistant.ask(asked).answer == messages.FALLBACK_PERSON, asked


def test_no_example_of_an_intent_is_refused_by_a_guard(assistant):
    refusals = {messages.FALLBACK_PERSON, messages.FALLBACK_PROCEDURE, messages.FALLBACK_TODAY,
                messages.FALLBACK_RESULTS, messages.FALLBACK_LAW, messages.FALLBACK_REORGANISED}
    refused = [e for i in assistant.intents.values() if i.kind == "answer" for e in i.examples
               if assistant.ask(e).answer in refusals]
    assert not refused


def test_stock_phrases_are_not_taken_for_a_laws_or_the_maps_change(assistant):
    assert assistant.ask("nghị quyết 43 có hiệu lực, hiệu quả thế nào trong đại đoàn kết").answer != messages.FALLBACK_LAW
    assert assistant.ask("Sau khi sắp xếp tổ chức bộ máy, công tác dân vận có nhiệm vụ gì").answer != messages.FALLBACK_REORGANISED


def test_a_programme_for_a_resolution_does_not_lend_the_resolution_its_signer(assistant):
    # Nguyễn Phước Lộc signed the city's programme, not the Central Committee's resolution it implements
    assert "Nguyễn Phước Lộc" not in assistant.ask("Nghị quyết 43-NQ/TW do ai ký").answer
    assert "Nguyễn Phước Lộc" in assistant.ask("chương trình thực hiện nghị quyết 43 do ai ký").answer


def test_a_year_word_is_not_a_count_asked_for(assistant):
    # Đồng Nai's plan sets no number of "Dân vận khéo" models per unit; "hàng năm" in its text is no count
    reply = assistant.ask("mỗi đơn vị ở đồng nai có mấy điển hình dân vận khéo")
    assert reply.kind == "fallback" and "01 - 02" not in reply.answer


def test_lai_chaus_plan_names_whom_it_was_sent_to(assistant):
    # its "Nơi nhận" was lost in the conversion; asked without "cho" it was not read as recipients
    reply = assistant.ask("kế hoạch dân vận năm 2023 của lai châu gửi những nơi nào")
    assert "Thường trực Tỉnh ủy (b/c)" in reply.answer and "laichau-2023#noi-nhan" in reply.sources


def test_a_document_without_a_date_is_said_to_give_none(assistant):
    reply = assistant.ask("ngày ban hành kế hoạch của đồng nai")
    assert reply.answer.startswith(messages.NO_DATE_GIVEN) and "Hồ Thanh Sơn" in reply.answer


def test_every_everyday_phrase_is_found_wherever_it_stands():
    # Entries are tried only on questions holding the first word of one of their phrases: each
    # phrase, alone, in a sentence, and typed without diacritics, still brings its documents' words.
    from bot.paths import content_dir

    paraphrases = load_paraphrases(content_dir())
    assert paraphrases.entries
    for entry in paraphrases.entries:
        for say in entry.say:
            for text in (say, f"cho em hỏi, {say} thì sao ạ", fold(f"Ủa {say}?")):
                expanded = paraphrases.expand(text)
                assert all(doc in expanded or fold(doc) in fold(text) for doc in entry.docs), (say, text)


def test_an_asking_sentence_too_thin_to_name_its_subject_takes_the_one_before():
    story = ("Con tôi học lớp 8, cháu phải làm bài về truyền thống đoàn kết của dân tộc. "
             "Tôi muốn kể cho cháu nghe về các giá trị truyền thống mà thành phố đề cao. "
             "Văn bản nêu những điều gì?")
    assert "giá trị truyền thống" not in (asked_part(story) or "")  # tried alone first
    asked = asked_part(story, widen=True)
    assert asked is not None
    assert "giá trị truyền thống" in asked and "lớp 8" not in asked
