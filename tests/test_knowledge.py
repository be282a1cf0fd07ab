"""Loading content/ and intents/, and `danvan validate` on good and broken knowledge."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot import messages
from bot.content import ContentError, load_library
from bot.intents import IntentError, load_intents
from bot.validate import validate

ROOT = Path(__file__).resolve().parent.parent


def test_every_document_is_loaded_with_its_citation_metadata():
    library = load_library(ROOT / "content")
    assert set(library.documents) == {
        "hcm-danvan", "hcm-nq43", "laichau-2023", "hcm-ldld-199", "hcm-hd11-5khong", "dongnai-danvan",
    }
    section = library.sections["laichau-2023#mt-1-5"]
    # kind, number, date and issuer, then the section as numbered, with its heading
    assert section.citation == (
        "Kế hoạch số 109-KH/ThU ngày 10/01/2023 của Ban Thường vụ Thành ủy Lai Châu, "
        "mục II.1.5 “Tập hợp quần chúng vào các tổ chức đoàn thể”"
    )
    assert "85%" in section.text
    assert library.documents["dongnai-danvan"].years == range(2020, 2026)


def test_a_citation_that_misses_or_changes_the_documents_number_or_date_is_refused(tmp_path):
    for f in (ROOT / "content").glob("*.md"):
        (tmp_path / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    plan = tmp_path / "laichau-2023.md"
    plan.write_text(plan.read_text(encoding="utf-8").replace("ngày 10/01/2023 của", "ngày 11/01/2023 của", 1),
                    encoding="utf-8")
    with pytest.raises(ContentError, match="10/01/2023"):
        load_library(tmp_path)


def test_sources_are_grouped_by_document(assistant):
    reply = assistant.ask("thời hạn báo cáo công tác dân vận")
    sources = reply.answer.split(messages.SOURCE_HEADER)[1].strip().split("\n")
    documents = [line.split(":")[0] for line in sources]
    assert len(documents) == len(set(documents)) and all(line.startswith("• ") for line in sources)
    assert any("Kế hoạch số 109-KH/ThU ngày 10/01/2023" in line and "mục III “Tổ chức thực hiện”" in line
               for line in sources)


def test_the_shipped_knowledge_validates_without_errors():
    problems = validate(ROOT / "content", ROOT / "intents")
    assert [str(p) for p in problems if p.level == "error"] == []


@pytest.fixture
def knowledge(tmp_path: Path) -> tuple[Path, Path]:
    content, intents = tmp_path / "content", tmp_path / "intents"
    shutil.copytree(ROOT / "content", content)
    shutil.copytree(ROOT / "intents", intents)
    return content, intents


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _errors(content: Path, intents: Path) -> list[str]:
    return [str(p) for p in validate(content, intents) if p.level == "error"]


def test_a_dangling_source_is_reported_with_file_and_line(knowledge):
    content, intents = knowledge
    _edit(intents / "02-phuong-cham.yaml", "sources: [laichau-2023#nv-2-1, hcm-hd11-5khong#khong-2]",
          "sources: [laichau-2023#khong-co, hcm-hd11-5khong#khong-2]")
    errors = _errors(content, intents)
    assert len(errors) == 1
    assert "02-phuong-cham.yaml:" in errors[0] and "laichau-2023#khong-co" in errors[0]


def test_the_same_example_in_two_intents_is_reported(knowledge):
    content, intents = knowledge
    _edit(intents / "02-phuong-cham.yaml", '      - "dan la goc"\n', '      - "5 không là gì"\n')
    errors = _errors(content, intents)
    assert any("5 không là gì" in e and "nam-khong" in e for e in errors)


def test_an_example_another_intent_answers_is_reported(knowledge):
    content, intents = knowledge
    # An example about the Farmers' Association's movement placed under the Veterans' intent.
    _edit(intents / "07-to-chuc.yaml", '      - "cựu chiến binh gương mẫu"\n',
          '      - "cựu chiến binh gương mẫu"\n      - "nông dân thi đua sản xuất kinh doanh giỏi giúp nhau làm giàu"\n')
    errors = _errors(content, intents)
    assert any("nông dân thi đua sản xuất" in e and "nhiem-vu-hoi-nong-dan" in e for e in errors)


def test_an_answer_too_long_for_telegram_is_reported(knowledge):
    content, intents = knowledge
    _edit(intents / "02-phuong-cham.yaml", "    answer: |\n      Phương châm gồm 6 ý",
          "    answer: |\n      " + "Rất dài. " * 600 + "\n      Phương châm gồm 6 ý")
    errors = _errors(content, intents)
    assert any("dan-biet-dan-ban" in e and "4096" in e for e in errors)


def test_a_dangling_related_intent_is_reported(knowledge):
    content, intents = knowledge
    _edit(intents / "02-phuong-cham.yaml", "related: [dan-chu-co-so, dang-lanh-dao-nha-nuoc-quan-ly]",
          "related: [khong-ton-tai]")
    assert any("khong-ton-tai" in e for e in _errors(content, intents))


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("    locality: all\n    audience: both\n    sources: [hcm-danvan#muc-tieu",
         "    locality: hanoi\n    audience: both\n    sources: [hcm-danvan#muc-tieu", "'locality' must be one of"),
        ("  - id: dan-la-goc\n", "  - id: dan-biet-dan-ban\n", "is already used at"),
        ("    title: \"“Dân là gốc”", "    tieu_de: \"“Dân là gốc”", "unknown key"),
    ],
)
def test_schema_errors_name_the_file_and_line(knowledge, old, new, message):
    content, intents = knowledge
    _edit(intents / "02-phuong-cham.yaml", old, new)
    with pytest.raises(IntentError, match=message) as caught:
        load_intents(intents)
    assert "02-phuong-cham.yaml:" in str(caught.value)
    assert any(message in e for e in _errors(content, intents))


def test_broken_yaml_is_one_clear_error(knowledge):
    content, intents = knowledge
    (intents / "50-hong.yaml").write_text("theme: x\nintents:\n  - id: [unclosed\n", encoding="utf-8")
    with pytest.raises(IntentError, match="50-hong.yaml: not valid YAML"):
        load_intents(intents)


def test_content_errors_name_the_file_and_line(knowledge):
    content, _ = knowledge
    _edit(content / "laichau-2023.md", "## II. Nội dung {#noi-dung}", "## II. Nội dung")
    with pytest.raises(ContentError, match=r"laichau-2023.md:\d+: heading without an id"):
        load_library(content)


def test_duplicate_section_ids_are_refused(knowledge):
    content, _ = knowledge
    _edit(content / "laichau-2023.md", "{#muc-dich}", "{#noi-dung}")
    with pytest.raises(ContentError, match="section id 'laichau-2023#noi-dung' is used twice"):
        load_library(content)


@pytest.mark.parametrize(("file", "old", "new", "claim"), [
    # a wrong figure
    ("08-chi-tieu-thoi-han.yaml", "tập hợp trên 85% quần chúng vào các tổ chức đoàn thể; trên 90%",
     "tập hợp trên 88% quần chúng vào các tổ chức đoàn thể; trên 90%", "88%"),
    # a title not quoted as the document writes it
    ("03-dan-van-kheo.yaml", "tổ chức hội thi “Cán bộ làm công tác dân vận khéo”.",
     "tổ chức hội thi “Cán bộ dân vận khéo”.", "“Cán bộ dân vận khéo”"),
    # a right figure cited to a section that does not state it
    ("08-chi-tieu-thoi-han.yaml", "sources: [laichau-2023#mt-1-5, laichau-2023#mt-1-6,",
     "sources: [laichau-2023#mt-1-4, laichau-2023#mt-1-6,", "85%"),
])
def test_validate_finds_a_claim_its_cited_sections_do_not_make(knowledge, file, old, new, claim):
    content, intents = knowledge
    assert not _errors(content, intents)
    _edit(intents / file, old, new)
    errors = _errors(content, intents)
    assert any(f"says {claim}, which none of its cited sections does" in e for e in errors), errors


def test_validate_reports_how_every_section_is_reached(knowledge):
    content, intents = knowledge
    problems = validate(content, intents)
    coverage = next(p.message for p in problems if p.level == "info" and p.message.startswith("coverage:"))
    reached, total = (int(n) for n in coverage.split(":")[1].split("sections")[0].split(" of "))
    assert reached == total  # every section with text: cited by an intent, or answered from when asked
    # a section nobody could ask for is reported by name
    _edit(content / "laichau-2023.md", "## III. Tổ chức thực hiện {#to-chuc}",
          "## Phụ lục {#phu-luc}\n\nxyz xyz xyz.\n\n## III. Tổ chức thực hiện {#to-chuc}")
    warned = [p.message for p in validate(content, intents) if p.level == "warning"]
    assert any("section 'laichau-2023#phu-luc' is cited by no intent" in m for m in warned)


def test_names_in_front_matter_must_be_a_list(knowledge):
    content, _ = knowledge
    _edit(content / "laichau-2023.md", 'names:\n  - "Kế hoạch số 109-KH/ThU"', 'names: "Kế hoạch 109"\nold_names:\n  - "Kế hoạch số 109-KH/ThU"')
    with pytest.raises(ContentError, match="'names' must be a list of phrases"):
        load_library(content)
