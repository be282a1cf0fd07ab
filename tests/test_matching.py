"""What a user sees for questions typed the way people type them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot import messages
from bot.assistant import Assistant
from bot.content import load_library
from bot.evaluation import Row, is_right
from bot.intents import Intent

ROOT = Path(__file__).resolve().parent.parent
# A copy of ../shared/eval/sample_qa.jsonl (the 10 sample questions, not the field_qa development set),
# kept in the repository so this test runs, and can fail, whatever is beside the checkout.
SAMPLE = ROOT / "tests" / "data" / "sample_qa.jsonl"


@pytest.mark.parametrize(
    ("question", "intent", "phrases"),
    [
        ("5 không là gì vậy", "nam-khong", ["người nghèo", "phiền hà", "xả rác", "giao thông", "tụ tập"]),
        ("5 khong la gi", "nam-khong", ["kênh rạch"]),
        ("phương châm dân biết dân bàn gồm mấy ý", "dan-biet-dan-ban", ["dân thụ hưởng"]),
        ("phuong cham hanh dong cua dong nai", "phuong-cham-dong-nai", ["SÂU SÁT - PHÙ HỢP - THỰC CHẤT - ĐỒNG THUẬN"]),
        ("ai phát động cuộc vận động cán bộ nói không với tiêu cực", "noi-khong-tieu-cuc", ["Tổng Liên đoàn Lao động Việt Nam"]),
        ("hoi nong dan tp hcm dc giao nv gi", "nhiem-vu-hoi-nong-dan", ["nông thôn mới"]),
        ("lai chau tap hop quan chung vao doan the bao nhieu phan tram", "chi-tieu-tap-hop-quan-chung", ["85%"]),
        ("năm 2022 bao nhiêu tập thể đăng ký mô hình dân vận khéo", "ket-qua-5-khong", ["7.593"]),
    ],
)
def test_questions_get_the_right_answer_with_its_citation(assistant, question, intent, phrases):
    reply = assistant.ask(question)
    assert reply.kind == "answer"
    assert reply.intent == intent
    for phrase in phrases:
        assert phrase.lower() in reply.answer.lower()
    assert "📄 Nguồn:" in reply.answer
    assert reply.sources and all(s in assistant.library.sections for s in reply.sources)


@pytest.mark.parametrize(
    "question",
    ["Giá cà phê hôm nay thế nào?", "cho hỏi thủ tục làm căn cước cho con", "tôi bị mất ví thì báo ai", "asdfgh qwerty"],
)
def test_out_of_scope_questions_fall_back_honestly(assistant, question):
    reply = assistant.ask(question)
    assert reply.kind == "fallback"
    assert "phản ánh" in reply.answer  # offers to pass the question on
    assert reply.intent is None


@pytest.mark.parametrize("message", ["nhà tôi bị ngập nước mỗi khi mưa", "duong hu hong lau roi khong ai sua"])
def test_a_problem_told_rather_than_asked_is_pointed_to_a_petition(assistant, message):
    reply = assistant.ask(message)
    assert reply.kind == "fallback" and reply.answer == messages.FALLBACK_REPORT


def test_greetings_are_small_talk(assistant):
    reply = assistant.ask("xin chào")
    assert reply.kind == "smalltalk"


def test_empty_and_symbol_only_messages_get_a_prompt(assistant):
    for text in ("", "   ", "???", "🙂", "1", "2023", "a b c"):
        reply = assistant.ask(text)
        assert reply.kind == "fallback"
        assert reply.answer


def test_a_place_the_documents_do_not_cover_is_not_answered_with_another_place(assistant):
    reply = assistant.ask("chỉ tiêu dân vận khéo của Hà Nội là bao nhiêu")
    assert reply.kind == "fallback"
    assert "Hà Nội" in reply.answer  # the place as the user wrote it, diacritics and all
    assert "60%" not in reply.answer and "80%" not in reply.answer


def test_a_year_the_figures_are_not_for_is_not_answered_with_them(assistant):
    reply = assistant.ask("chỉ tiêu tập hợp quần chúng của Lai Châu năm 2025")
    assert reply.kind == "fallback"
    assert "85%" not in reply.answer


@pytest.mark.parametrize("question", ["ai là bí thư thành ủy tp hcm hiện nay", "chu tich ubnd tinh lai chau la ai"])
def test_who_holds_an_office_is_not_answered_with_what_the_office_does(assistant, question):
    reply = assistant.ask(question)
    assert reply.kind == "fallback"
    assert "không nêu tên người" in reply.answer and "phản ánh" in reply.answer


def test_what_an_office_does_is_still_answered(assistant):
    reply = assistant.ask("chủ tịch ubnd có trách nhiệm gì khi tiếp dân")
    assert reply.kind == "answer"


@pytest.mark.parametrize("question", ["mức phạt không đội mũ bảo hiểm", "vuot den do bi phat bao nhieu tien"])
def test_fines_the_documents_never_state_are_not_answered(assistant, question):
    reply = assistant.ask(question)
    assert reply.kind == "fallback"


def test_a_word_typed_with_diacritics_is_not_corrected_into_another_word(assistant):
    query = assistant.matcher.query("vượt đèn đỏ")
    assert "vuot" in query.toks and "vuon" not in query.toks  # not "vườn"
    assert "truoc" in assistant.matcher.query("đi trớc một bước").toks  # a slip is still corrected


def test_two_filler_words_that_name_a_thing_count(assistant):
    reply = assistant.ask("báo chí có trách nhiệm gì")  # not the "bao" of "bao nhiêu"
    assert reply.intent == "bao-chi-truyen-thong"


def test_a_follow_up_naming_another_place_asks_the_previous_topic_about_it(assistant):
    reply = assistant.ask("còn ở Lai Châu thì sao?", previous="chi-tieu-hcm")
    assert reply.intent == "chi-tieu-laichau" and "85%" in reply.answer
    same = assistant.ask("con dong nai thi sao", previous="nhiem-vu-hoi-phu-nu")  # its answer covers Đồng Nai
    assert same.intent == "nhiem-vu-hoi-phu-nu"
    nothing = assistant.ask("còn Lai Châu thì sao", previous="nam-khong")  # "5 không" is TP.HCM's alone
    assert nothing.kind == "fallback" and "không nêu riêng cho TP. Lai Châu" in nothing.answer
    unrelated = assistant.ask("còn ở Lai Châu thì sao?", previous="nhiem-vu-hoi-nong-dan")
    assert unrelated.kind == "fallback"  # not another organisation's duties
    fresh = assistant.ask("con dong nai thi sao")  # nothing asked before
    assert fresh.kind == "fallback" and "Đồng Nai" in fresh.answer
    assert assistant.ask("chỉ tiêu của lai châu", previous="chi-tieu-hcm").intent == "chi-tieu-laichau"


def test_place_names_inside_ordinary_words_are_not_places(assistant):
    reply = assistant.ask("tự diễn biến tự chuyển hóa là gì")
    assert reply.kind == "answer" and reply.intent == "tu-dien-bien"


def test_a_question_naming_a_locality_prefers_that_localitys_answer(assistant):
    reply = assistant.ask("chỉ tiêu dân vận của đồng nai")
    assert reply.intent == "chi-tieu-dong-nai"
    assert "80%" in reply.answer


def test_specifics_no_intent_lists_are_answered_from_the_passage(assistant):
    reply = assistant.ask("quyết định 1291/QĐ-UBND là gì")
    assert reply.kind == "answer" and reply.intent is None
    assert "Giảm nghèo bền vững" in reply.answer
    assert reply.sources == ("hcm-hd11-5khong#khong-1",)


def _intent(id_: str, examples: list[str]) -> Intent:
    return Intent(
        id=id_, title=id_, answer=f"trả lời {id_}", theme="t", sources=("hcm-hd11-5khong#5-khong",),
        locality="hcm", audience="both", related=(), examples=tuple(examples),
    )


def test_two_equally_close_intents_get_a_clarifying_question():
    library = load_library(ROOT / "content")
    twins = Assistant(library, [
        _intent("a", ["mẫu biểu zeta omega gửi khi nào", "hạn nộp mẫu zeta"]),
        _intent("b", ["mẫu biểu zeta omega gửi khi nào", "hạn nộp mẫu zeta"]),
        _intent("c", ["phong trào thi đua yêu nước", "cuộc vận động"]),
    ])
    reply = twins.ask("mẫu biểu zeta omega gửi khi nào")
    assert reply.kind == "clarify"
    assert set(reply.options) == {"a", "b"}
    assert "1." in reply.answer and "2." in reply.answer


def test_a_passage_that_answers_settles_two_close_intents():
    library = load_library(ROOT / "content")
    twins = Assistant(library, [
        _intent("a", ["báo cáo kết quả dân vận gửi khi nào", "hạn nộp báo cáo"]),
        _intent("b", ["báo cáo kết quả dân vận gửi khi nào", "hạn nộp báo cáo"]),
        _intent("c", ["phong trào thi đua yêu nước", "cuộc vận động"]),
    ])
    reply = twins.ask("báo cáo kết quả thực hiện 5 không gửi về đâu, khi nào")
    assert reply.kind == "answer"
    assert "Định kỳ 06 tháng" in reply.answer and "📄 Nguồn:" in reply.answer


def test_the_shared_sample_questions(assistant):
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 10
    for line in lines:
        data = json.loads(line)
        row = Row(data["id"], data["q"], data["expect"], tuple(data["must"]))
        reply = assistant.ask(row.q)
        assert is_right(row, reply.kind, reply.answer), (row.id, row.q, reply.kind, reply.answer[:120])


def test_a_follow_up_finds_the_other_places_own_answer_on_the_topic(assistant):
    first = assistant.ask("các chỉ tiêu dân vận của Lai Châu năm 2023")
    dong_nai = assistant.ask("còn ở Đồng Nai thì sao?", previous=first.intent)
    assert dong_nai.kind == "answer" and "trên 80%" in dong_nai.answer and "TP. Lai Châu" not in dong_nai.answer
    hcm = assistant.ask("con tp hcm thi sao", previous=first.intent)
    assert hcm.kind == "answer" and hcm.answer.lstrip().startswith("Các văn bản của TP. Hồ Chí Minh")


@pytest.mark.parametrize("question", [
    "năm 2022 hội phụ nữ lai châu tổ chức được bao nhiêu cuộc đối thoại, kq ntn",  # a past year's results
    "Chỉ tiêu dân vận của Đồng Nai nhiệm kỳ 2025-2030 là gì?",  # the next term: not in the documents
    "Kết quả tổng kết phong trào dân vận khéo của Lai Châu ra sao?",
    "giờ tiếp công dân của ubnd tỉnh đồng nai là mấy giờ",  # office hours: contact details
    "Học phí lớp bồi dưỡng cán bộ dân vận ở TP.HCM là bao nhiêu, khi nào tuyển sinh?",
    "Tổng số hội viên nông dân trên địa bàn Lai Châu tính đến cuối năm 2023?",
])
def test_results_terms_hours_fees_and_totals_fall_back(assistant, question):
    assert assistant.ask(question).kind == "fallback"


def test_the_documents_own_term_is_still_answered(assistant):
    reply = assistant.ask("mục tiêu công tác dân vận của TP.HCM giai đoạn 2020-2025 là gì")
    assert reply.kind == "answer"


def test_the_one_sentence_that_says_what_is_asked_is_quoted_with_its_section(assistant):
    # The plan's purpose answers "what does the plan speak of"; only one sentence, in another
    # section, names the pedestrian street.
    reply = assistant.ask("kế hoạch dân vận lai châu có nói tới phố đi bộ nào không")
    assert reply.kind == "answer"
    assert "Hoàng Diệu" in reply.answer
    assert "laichau-2023#nv-2-4" in reply.sources
    assert "mục II.2.4" in reply.answer


def test_registering_is_not_signing(assistant):
    # "được đăng ký" counts models registered; it does not ask who signed the guidance.
    reply = assistant.ask("theo hướng dẫn 11 thì lĩnh vực an sinh xã hội được đăng ký bao nhiêu mô hình năm 2022")
    assert reply.kind == "answer"
    assert "6.213" in reply.answer
    assert not reply.answer.startswith(messages.CARD_HEADER)


@pytest.mark.parametrize("question", [
    "ai ký chương trình hành động về dân vận của thành ủy tp hcm",
    "chuong trinh hanh dong ve dan van tphcm ai ky",
])
def test_a_documents_name_said_with_or_without_its_linking_words_is_that_document(assistant, question):
    reply = assistant.ask(question)
    assert reply.kind == "answer"
    assert "Nguyễn Hồ Hải" in reply.answer


def test_calling_on_everyone_is_not_a_word_of_the_question(assistant):
    # "mn" (mọi người) addresses the readers; the documents never use it, so it must not count against.
    reply = assistant.ask("cho mk hỏi 5 ko là j v mn")
    assert reply.kind == "answer"
    assert reply.intent == "nam-khong"


def test_which_office_handles_religion_in_dong_nai_is_named(assistant):
    reply = assistant.ask("ở đồng nai cơ quan nào lo quản lý nhà nước về tôn giáo vậy ạ")
    assert reply.kind == "answer"
    assert "Ban Tôn giáo (Sở Nội vụ)" in reply.answer


def test_a_documents_particulars_are_never_quoted_as_its_words(assistant):
    # The header card is composed from the document's particulars ("người ký: ..."): it may be shown,
    # under its own heading, but never inside «» as the document's own words.
    reply = assistant.ask("chương trình đại đoàn kết của tp hcm có nhắc 20 năm làm theo nghị quyết cũ, nghị quyết đó số mấy")
    assert reply.kind == "answer"
    assert "23-NQ/TW" in reply.answer
    quoted = " ".join(part.split("»")[0] for part in reply.answer.split("«")[1:])
    assert "người ký" not in quoted


@pytest.mark.parametrize("question", [
    "ai hiện đang là chủ tịch ủy ban mặt trận tổ quốc tp hcm",  # who holds it now: no name in the documents
    "đồng nai năm 2022 có bao nhiêu mô hình dân vận khéo được khen thưởng",  # a target share is no count
    "năm 2023 tp hcm có bao nhiêu tập thể được tuyên dương điển hình dân vận khéo",  # the counts are 2022's
    "luật thực hiện dân chủ ở cơ sở gồm bao nhiêu điều",
])
def test_specifics_the_documents_do_not_give_fall_back(assistant, question):
    assert assistant.ask(question).kind == "fallback"


@pytest.mark.parametrize(("question", "phrase"), [
    ("5 không gồm mấy điều", "xả rác"),  # the five points, not a law's articles
    ("năm 2022 tp hcm tuyên dương bao nhiêu tập thể điển hình dân vận khéo", "5.461"),
    ("lai chau nam 2023 chi tieu tap hop quan chung vao doan the la bao nhieu", "85%"),  # a share answers "bao nhiêu"
])
def test_specifics_the_documents_give_are_answered(assistant, question, phrase):
    reply = assistant.ask(question)
    assert reply.kind == "answer"
    assert phrase in reply.answer


def test_a_question_naming_a_document_gets_that_documents_words(assistant):
    # The campaign against litter is named one way in the "5 không" guidance and another in the
    # Resolution 43 programme: asked of the programme, the reply quotes the programme's name for it.
    reply = assistant.ask("cuoc van dong khong xa rac trong chuong trinh thuc hien nghi quyet 43 cua tp hcm ten la gi")
    assert reply.kind == "answer"
    assert "giảm ngập nước" in reply.answer
    assert any(source.startswith("hcm-nq43#") for source in reply.sources)


def test_a_numbered_document_only_another_place_has_is_not_answered_for_this_place(assistant):
    reply = assistant.ask("chương trình hành động thực hiện nghị quyết 43 của tỉnh đồng nai có những nhiệm vụ gì")
    assert reply.kind == "fallback"
    assert "Đồng Nai" in reply.answer and "TP. Hồ Chí Minh" in reply.answer
    assert assistant.ask("chương trình hành động thực hiện nghị quyết 43 của tp hcm có những nhiệm vụ gì").kind == "answer"


@pytest.mark.parametrize("question", [
    "muốn khiếu nại quyết định thu hồi đất thì thời hạn nộp đơn là bao lâu",  # the law's deadlines
    "ngày hội đại đoàn kết ở khu phố có được nghỉ làm không",
    "năm 2022 đồng nai vượt chỉ tiêu dân vận khéo chưa",  # a result the plans cannot report
])
def test_what_the_law_or_the_results_say_falls_back(assistant, question):
    assert assistant.ask(question).kind == "fallback"


def test_every_year_in_a_story_asks_no_year(assistant):
    # "năm nào cũng về" says "every year": the question asks what the city does for overseas Vietnamese.
    reply = assistant.ask("Chú tôi ở Úc hơn 20 năm, năm nào cũng về quê ăn Tết. Tôi muốn biết thành phố "
                          "Hồ Chí Minh có chủ trương gì với kiều bào không?")
    assert reply.kind == "answer"
    assert "kiều bào" in reply.answer


def test_what_a_district_committee_does_is_no_committee_name(assistant):
    # "quận ủy, huyện ủy báo cáo" says who reports; "Huyện ủy Sìn Hồ" names a committee with its own plans.
    reply = assistant.ask("theo hướng dẫn 5 không, mttq và quận ủy huyện ủy báo cáo kết quả vào ngày nào")
    assert reply.kind == "answer"
    assert "18" in reply.answer
    assert assistant.ask("kế hoạch dân vận của huyện ủy sìn hồ năm 2023 có gì").kind == "fallback"


@pytest.mark.parametrize("question", [
    "noi dung 5 khong nam 2025 co gi moi so voi nam 2023",  # 2023 is the base of the comparison
    "Em đã đọc hướng dẫn 5 không năm 2023 rồi. Giờ em cần so sánh. Hướng dẫn 5 không năm 2024 có gì mới ạ?",
])
def test_the_five_noes_of_another_year_are_not_the_2023_guidance(assistant, question):
    reply = assistant.ask(question)
    assert reply.kind == "fallback"
    assert "2023" in reply.answer


def test_the_five_noes_of_2023_are_answered(assistant):
    assert assistant.ask("5 không năm 2023 gồm những gì").kind == "answer"


@pytest.mark.parametrize("question", [
    "nghị quyết 43 xác định tất cả bao nhiêu quan điểm chỉ đạo",  # no number of viewpoints is given
    "quy chế 06-QC/TU của lai châu quy định người đứng đầu đối thoại với dân mấy lần một năm",
])
def test_a_count_of_a_thing_needs_a_number_of_that_thing(assistant, question):
    assert assistant.ask(question).kind == "fallback"


@pytest.mark.parametrize(("question", "phrase"), [
    ("mỗi địa phương ở lai châu phải có bao nhiêu điển hình dân vận khéo", "01 - 02 điển hình"),
    ("mấy mô hình điểm dân vận khéo ở lai châu làm về những lĩnh vực gì", "phát triển kinh tế"),  # "mấy": which
])
def test_a_count_of_a_thing_given_is_answered(assistant, question, phrase):
    reply = assistant.ask(question)
    assert reply.kind == "answer"
    assert phrase in reply.answer


def test_the_role_asked_of_leaders_is_quoted(assistant):
    reply = assistant.ask("theo chương trình hành động về dân vận của tp hcm, người đứng đầu địa phương, đơn vị "
                          "có vai trò gì trong thực hiện quy chế dân chủ ở cơ sở")
    assert reply.kind == "answer"
    assert "tấm gương" in reply.answer
