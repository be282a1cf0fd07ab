"""The ``danvan`` command line: ask, chat, search, validate (and run, for Telegram)."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from bot import messages
from bot.assistant import Assistant, Reply
from bot.content import ContentError
from bot.intents import IntentError
from bot.paths import content_dir, intents_dir
from bot.petitions import STATUSES


def load_assistant(args: argparse.Namespace) -> Assistant:
    return Assistant.load(Path(args.content or content_dir()), Path(args.intents or intents_dir()))


def _print_json(data: object) -> None:
    print(json.dumps(data, ensure_ascii=False))


def cmd_ask(args: argparse.Namespace) -> int:
    assistant = load_assistant(args)
    if args.jsonl:
        for line in sys.stdin:
            question = line.rstrip("\n")
            _print_json(assistant.ask(question).to_json())
            sys.stdout.flush()
        return 0
    if args.question is None:
        print(messages.CLI_ASK_NO_QUESTION, file=sys.stderr)
        return 2
    reply = assistant.ask(args.question)
    if args.json:
        _print_json(reply.to_json())
    else:
        print(reply.answer)
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    assistant = load_assistant(args)
    hits = assistant.search(args.query, limit=args.limit)
    if args.json:
        _print_json([
            {"section": h.passage.section.id, "citation": h.passage.section.citation,
             "score": round(h.score, 3), "excerpt": h.excerpt}
            for h in hits
        ])
        return 0
    if not hits:
        print(messages.SEARCH_NONE.format(query=args.query))
        return 0
    print(messages.SEARCH_HEADER.format(query=args.query))
    for number, hit in enumerate(hits, 1):
        print(f"\n{number}. {hit.passage.section.citation}\n   {hit.excerpt}")
    return 0


def _learned(args: argparse.Namespace) -> list:
    """What admins taught the assistant on the dashboard, from --db, or the configured database when there is one."""
    import asyncio

    from bot.store import Store

    target = args.db or os.environ.get("DANVAN_DATABASE_URL") or os.environ.get("DANVAN_DB") or "danvan.db"
    if not args.db and not target.startswith(("postgresql://", "postgres://")) and not Path(target).exists():
        return []

    async def read() -> list:
        async with Store(_db(args) if args.db else target) as store:
            return await store.learned()

    return asyncio.run(read())


def cmd_validate(args: argparse.Namespace) -> int:
    from bot.validate import validate

    problems = validate(Path(args.content or content_dir()), Path(args.intents or intents_dir()), strict=args.strict,
                        learned=_learned(args))
    for problem in problems:
        print(problem)
    errors = sum(p.level == "error" for p in problems)
    warnings = sum(p.level == "warning" for p in problems)
    print(f"{errors} error(s), {warnings} warning(s)")
    return 1 if errors else 0


TELEGRAM_ONLY = frozenset({"/phananh", "/phananhcuatoi", "/trangthai", "/huy", "/thoihan", "/nhacviec", "/tracuu",
                           "/ds", "/xem", "/chuyen", "/traloi", "/dong", "/taplai", "/vaitro", "/start", "/menu", "/web"})


class TerminalChat:
    """The assistant in a terminal: questions, clarifications and the topic menu by number."""

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant
        self.options: list[str] = []  # intent ids (or themes) the user may pick by number
        self.picking_theme = False
        self.topic: str | None = None  # the last intent answered, for "còn ở Lai Châu thì sao?"

    def themes(self) -> list[str]:
        return list(dict.fromkeys(i.theme for i in self.assistant.intents.values() if i.kind == "answer"))

    def respond(self, text: str) -> str:
        text = text.strip()
        if text.split(maxsplit=1)[:1] and text.split(maxsplit=1)[0].lower() in TELEGRAM_ONLY:
            return messages.CHAT_TELEGRAM_ONLY  # petitions are sent and followed on Telegram
        if text.lower() in ("/chude", "/chủ đề", "/topics"):
            self.options, self.picking_theme = self.themes(), True
            return messages.CHAT_TOPICS + "\n" + "\n".join(f"{n}. {t}" for n, t in enumerate(self.options, 1))
        if text.isdigit() and self.options:
            number = int(text)
            if not 1 <= number <= len(self.options):
                return messages.CHAT_NO_OPTION.format(number=number)
            choice = self.options[number - 1]
            if self.picking_theme:
                self.picking_theme = False
                self.options = [i.id for i in self.assistant.intents.values() if i.theme == choice]
                return f"{choice}:\n" + "\n".join(
                    f"{n}. {self.assistant.intents[i].title}" for n, i in enumerate(self.options, 1)
                )
            return self.render(self.assistant.answer_intent(choice))
        return self.render(self.assistant.ask(text, previous=self.topic))

    def render(self, reply: Reply) -> str:
        self.picking_theme = False
        # they speak of a topic list and of petitions the terminal offers differently
        terminal = {messages.FALLBACK_REPORT: messages.CHAT_FALLBACK_REPORT, messages.FALLBACK: messages.CHAT_FALLBACK}
        if reply.answer in terminal:
            return terminal[reply.answer]
        if reply.kind == "answer" and reply.intent:
            self.topic = reply.intent
        self.options = list(reply.options) or list(reply.related)
        if reply.related and reply.kind == "answer":
            titles = [self.assistant.intents[r].title for r in reply.related]
            return reply.answer + "\n\nXem thêm (gõ số):\n" + "\n".join(f"{n}. {t}" for n, t in enumerate(titles, 1))
        return reply.answer


def cmd_chat(args: argparse.Namespace) -> int:
    chat = TerminalChat(load_assistant(args))
    print(messages.CHAT_WELCOME)
    while True:
        try:
            line = input("\nAnh/Chị: ")
        except (EOFError, KeyboardInterrupt):
            print()
            break
        if line.strip().lower() in ("/thoat", "/thoát", "/quit", "/exit"):
            break
        print("\nTrợ lý: " + chat.respond(line))
    print(messages.CHAT_BYE)
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from bot.config import ConfigError, load_settings
    from bot.deadlines import DeadlineError, load_deadlines

    try:
        settings = load_settings()
    except ConfigError as exc:
        print(messages.CLI_RUN_CONFIG.format(error=exc), file=sys.stderr)
        return 2
    assistant = load_assistant(args)
    try:
        deadlines = load_deadlines(Path(args.content or content_dir()) / "deadlines.yaml", assistant.library)
    except DeadlineError as exc:  # the details are for whoever edits deadlines.yaml
        print(messages.CLI_RUN_DEADLINES.format(error=exc), file=sys.stderr)
        return 2
    from bot.telegram.app import run

    handler = logging.StreamHandler()
    handler.setFormatter(JsonLines(settings.process_name))
    logging.basicConfig(level=os.environ.get("DANVAN_LOG_LEVEL", "INFO").upper(), handlers=[handler])
    logging.getLogger("httpx").setLevel(logging.WARNING)  # its request lines carry the token
    run(settings, assistant, deadlines)
    return 0


class JsonLines(logging.Formatter):
    """One JSON object a line, with the process's name (to tell apart the processes of one bot)."""

    def __init__(self, process: str) -> None:
        super().__init__()
        self.process = process

    def format(self, record: logging.LogRecord) -> str:
        line = {"time": self.formatTime(record), "process": self.process, "level": record.levelname,
                "logger": record.name, "message": record.getMessage()}
        if record.exc_info:
            line["error"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def _db(args: argparse.Namespace) -> Path | str:
    """The database to read: --db (a file or a postgresql:// URL), else DANVAN_DATABASE_URL, else DANVAN_DB."""
    target = args.db or os.environ.get("DANVAN_DATABASE_URL") or os.environ.get("DANVAN_DB") or "danvan.db"
    if target.startswith(("postgresql://", "postgres://")):
        return target
    path = Path(target)
    if not path.exists():
        raise SystemExit(messages.CLI_NO_DATABASE.format(path=path))
    return path


def cmd_db_migrate_to(args: argparse.Namespace) -> int:
    import asyncio

    from bot.dbcopy import NotEmpty, migrate_to

    if not args.url.startswith(("postgresql://", "postgres://")):
        print(messages.CONFIG_DATABASE_URL, file=sys.stderr)
        return 2
    source = Path(args.db or os.environ.get("DANVAN_DB") or "danvan.db")
    if not source.exists():
        print(messages.CLI_NO_DATABASE.format(path=source), file=sys.stderr)
        return 2
    try:
        copied = asyncio.run(migrate_to(source, args.url))
    except NotEmpty as exc:
        print(messages.CLI_MIGRATE_NOT_EMPTY.format(table=exc), file=sys.stderr)
        return 1
    except OSError as exc:  # the server cannot be reached
        print(messages.CLI_MIGRATE_UNREACHABLE.format(error=exc), file=sys.stderr)
        return 1
    print(messages.CLI_MIGRATE_DONE.format(total=copied.total, source=source,
                                           tables=", ".join(f"{t} {n}" for t, n in copied.tables.items() if n)))
    return 0


def cmd_petitions_list(args: argparse.Namespace) -> int:
    import asyncio

    from bot.reports import list_petitions

    rows = asyncio.run(list_petitions(_db(args), status=args.status, unit_id=args.unit, category=args.category))
    if args.json:
        _print_json(rows)
    else:
        for row in rows:
            print(f"{row['code']}  {row['created_at'][:10]}  {row['status_label']:<32} {row['category_label']}")
    return 0


def cmd_petitions_export(args: argparse.Namespace) -> int:
    import asyncio

    from bot.reports import export_csv

    count = asyncio.run(export_csv(_db(args), Path(args.csv)))
    print(f"{count} phản ánh đã xuất ra {args.csv}")
    return 0


def _unit_names() -> dict[str, str]:
    """Units' names from DANVAN_CONFIG, for people reading a report (ids when there is none)."""
    from bot.config import ConfigError, load_settings

    try:
        return {unit.id: unit.name for unit in load_settings(require_token=False).units}
    except ConfigError:
        return {}


def cmd_report(args: argparse.Namespace) -> int:
    import asyncio
    import datetime as dt

    from bot.intents import load_intents
    from bot.reports import report, report_text

    try:
        since, until = dt.date.fromisoformat(args.since), dt.date.fromisoformat(args.until)
    except ValueError:
        print(messages.CLI_REPORT_DATES, file=sys.stderr)
        return 2
    titles = {i.id: i.title for i in load_intents(Path(args.intents or intents_dir()))}  # for the votes
    data = asyncio.run(report(_db(args), since, until, titles))
    print(json.dumps(data, ensure_ascii=False) if args.json else report_text(data, _unit_names()))
    if args.png:
        from bot.reports import report_png

        report_png(data, Path(args.png), _unit_names())
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="danvan", description="Trợ lý công tác dân vận")
    parser.add_argument("--content", help="thư mục content/ (mặc định: bên cạnh mã nguồn)")
    parser.add_argument("--intents", help="thư mục intents/ (mặc định: bên cạnh mã nguồn)")
    sub = parser.add_subparsers(dest="command", required=True)

    ask = sub.add_parser("ask", help="trả lời một câu hỏi")
    ask.add_argument("question", nargs="?")
    ask.add_argument("--json", action="store_true", help="in một đối tượng JSON")
    ask.add_argument("--jsonl", action="store_true", help="đọc mỗi dòng một câu hỏi, in mỗi dòng một JSON")
    ask.set_defaults(func=cmd_ask)

    chat = sub.add_parser("chat", help="trò chuyện trong cửa sổ dòng lệnh")
    chat.set_defaults(func=cmd_chat)

    search = sub.add_parser("search", help="tìm đoạn văn bản phù hợp")
    search.add_argument("query")
    search.add_argument("--limit", type=int, default=5)
    search.add_argument("--json", action="store_true")
    search.set_defaults(func=cmd_search)

    run = sub.add_parser("run", help="chạy bot Telegram (cần TELEGRAM_BOT_TOKEN)")
    run.set_defaults(func=cmd_run)

    petitions = sub.add_parser("petitions", help="phản ánh: liệt kê, xuất CSV")
    petitions.add_argument("--db", help="tệp SQLite hoặc địa chỉ postgresql:// (mặc định DANVAN_DATABASE_URL, DANVAN_DB hoặc danvan.db)")
    petitions_sub = petitions.add_subparsers(dest="action", required=True)
    listing = petitions_sub.add_parser("list", help="liệt kê phản ánh")
    listing.add_argument("--json", action="store_true")
    listing.add_argument("--status", choices=sorted(STATUSES))
    listing.add_argument("--unit")
    listing.add_argument("--category")
    listing.set_defaults(func=cmd_petitions_list)
    export = petitions_sub.add_parser("export", help="xuất toàn bộ phản ánh ra CSV (mở được bằng Excel)")
    export.add_argument("--csv", required=True, metavar="FILE")
    export.set_defaults(func=cmd_petitions_export)

    report = sub.add_parser("report", help="báo cáo phản ánh theo lĩnh vực, đơn vị, trạng thái")
    report.add_argument("--db", help="tệp SQLite hoặc địa chỉ postgresql:// (mặc định DANVAN_DATABASE_URL, DANVAN_DB hoặc danvan.db)")
    report.add_argument("--since", required=True, help="YYYY-MM-DD")
    report.add_argument("--until", required=True, help="YYYY-MM-DD")
    report.add_argument("--json", action="store_true")
    report.add_argument("--png", metavar="FILE", help="cũng vẽ biểu đồ ra tệp PNG")
    report.set_defaults(func=cmd_report)

    database = sub.add_parser("db", help="cơ sở dữ liệu: chuyển sang PostgreSQL")
    database_sub = database.add_subparsers(dest="action", required=True)
    move = database_sub.add_parser("migrate-to", help="chép toàn bộ dữ liệu từ tệp SQLite sang PostgreSQL")
    move.add_argument("url", help="postgresql://NGƯỜI_DÙNG:MẬT_KHẨU@MÁY:CỔNG/TÊN_CSDL (cơ sở dữ liệu còn trống)")
    move.add_argument("--db", help="tệp SQLite nguồn (mặc định DANVAN_DB hoặc danvan.db)")
    move.set_defaults(func=cmd_db_migrate_to)

    validate = sub.add_parser("validate", help="kiểm tra intents và content")
    validate.add_argument("--strict", action="store_true", help="liệt kê cả các ví dụ đơn lẻ")
    validate.add_argument("--db", help="kiểm tra cả các câu hỏi đã gắn trên trang quản trị, trong tệp SQLite hoặc "
                                       "postgresql:// này (mặc định: cơ sở dữ liệu đang cấu hình, nếu có)")
    validate.set_defaults(func=cmd_validate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (ContentError, IntentError) as exc:  # the details are for whoever edits content/ and intents/
        print(messages.CLI_CONTENT_INVALID.format(error=exc), file=sys.stderr)
        return 1
    except BrokenPipeError:  # "danvan ask ... | head": the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
