"""The `danvan` command line, run as a separate process the way other tools call it."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from pathlib import Path

from bot import messages

ROOT = Path(__file__).resolve().parent.parent


def danvan(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, text=True,
        cwd=ROOT, timeout=60, encoding="utf-8",
    )


def test_ask_json_prints_one_object_in_the_documented_shape():
    result = danvan("ask", "5 khong la gi", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"kind", "answer", "intent", "score", "sources", "options"}
    assert data["kind"] == "answer" and data["intent"] == "nam-khong"
    assert "người nghèo" in data["answer"] and isinstance(data["score"], float)
    assert data["sources"] and data["options"] == []


def test_ask_jsonl_answers_one_line_per_question():
    questions = "phuong cham dan biet dan ban\nGiá vàng hôm nay\n\nxin chào\n"
    result = danvan("ask", "--jsonl", stdin=questions)
    assert result.returncode == 0, result.stderr
    kinds = [json.loads(line)["kind"] for line in result.stdout.splitlines()]
    assert kinds == ["answer", "fallback", "fallback", "smalltalk"]


def test_search_prints_passages_with_citations():
    result = danvan("search", "386-KL/TU", "--json")
    hits = json.loads(result.stdout)
    assert hits[0]["section"] == "hcm-hd11-5khong#khong-3"
    assert "386-KL/TU" in hits[0]["excerpt"] and "mục II.3" in hits[0]["citation"]


def test_validate_passes_on_the_shipped_knowledge():
    result = danvan("validate")
    assert result.returncode == 0, result.stdout
    assert "0 error(s)" in result.stdout


def test_validate_fails_loudly_on_broken_intents(tmp_path):
    intents = tmp_path / "intents"
    intents.mkdir()
    (intents / "x.yaml").write_text("theme: x\nintents:\n  - id: a\n    title: A\n", encoding="utf-8")
    result = danvan("--intents", str(intents), "validate")
    assert result.returncode == 1
    assert "x.yaml:3" in result.stdout and "'answer' is missing" in result.stdout


def test_chat_answers_clarifies_and_browses_topics_by_number():
    script = "5 không là gì\n1\n/chude\n1\n1\nasdf qwerty\n/thoat\n"
    result = danvan("chat", stdin=script)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "người nghèo" in out  # the answer
    assert "Không để người nghèo, người yếu thế tụt hậu" in out  # related topic 1 picked by number
    assert "Các chủ đề" in out  # the topic menu
    assert "chưa tìm thấy" in out  # honest fallback
    assert out.rstrip().endswith(messages.CHAT_BYE)  # the goodbye, last


def test_a_reader_that_stops_early_gets_no_trace():
    # more answers than a pipe holds, read 10 bytes of: the writer meets a closed pipe
    script = (f"yes '5 không là gì' | head -400 | {shlex.quote(sys.executable)} -m bot ask --jsonl | head -c 10; "
              'echo " exit=${PIPESTATUS[2]}"')
    run = subprocess.run(["bash", "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=60,
                         encoding="utf-8")
    assert run.stdout == '{"kind": " exit=0\n'  # the first answer began, and danvan ended well
    assert run.stderr == ""  # no trace, no "Exception ignored ... BrokenPipeError"


def test_the_terminal_chat_says_where_petitions_are_sent():
    result = danvan("chat", stdin="/phananh\n/trangthai ABCD-EFGH\n/thoat\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("Lệnh này dùng trên Telegram") == 2
    assert "bấm nút" not in result.stdout
    unanswered = danvan("chat", stdin="asdf qwerty\n/thoat\n").stdout
    assert "chưa tìm thấy" in unanswered and "/chude" in unanswered and "/phananh" in unanswered
