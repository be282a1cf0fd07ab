"""The admins' command line on a database the test fills: list, CSV export, report (with the votes)."""

from __future__ import annotations

import csv
import re
import datetime as dt
import json
import os
import subprocess
import sys
import warnings
from pathlib import Path

from bot import messages
from bot.config import Unit
from bot.petitions import Actor, NewPetition, Petitions
from bot.reports import report, report_png, report_text
from bot.store import Store
from bot.workdays import day_in_vietnam

ROOT = Path(__file__).resolve().parent.parent
UNITS = (Unit("mt", "Môi trường", -1, ("moi-truong",), staff=(7,)), Unit("ub", "UBND", -2, ("khac",), staff=(8,)))


async def fill(db: Path) -> list[str]:
    async with Store(db) as store:
        petitions = Petitions(store, UNITS, frozenset({9}))
        a = await petitions.create(NewPetition(1, 1, "moi-truong", "Rác ở kênh, “nặng mùi”; xử lý giúp",
                                               contact_phone="+84900000001", contact_name="Hoa"))
        b = await petitions.create(NewPetition(2, 2, "khac", "Đèn đường hỏng, tối om"))
        await petitions.create(NewPetition(3, 3, "moi-truong", "Khói từ xưởng gỗ ban đêm"))
        assert (await petitions.act(Actor(7), a.id, "accept")).done
        assert (await petitions.act(Actor(7), a.id, "resolve", "Đã thu gom")).done
        assert (await petitions.rate(Actor(1), a.id, -1)).petition.status == "reopened"  # "not resolved"
        assert (await petitions.act(Actor(7), a.id, "resolve", "Đã thu gom lần hai")).done
        assert (await petitions.rate(Actor(1), a.id, 1)).done
        assert (await petitions.act(Actor(8), b.id, "reject", "Không thuộc thẩm quyền")).done
        return [a.code, b.code]


def danvan(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k != "DANVAN_CONFIG"} | (env or {})
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=ROOT, capture_output=True, text=True, timeout=60,
                          env=environment)


async def test_list_export_and_report_match_the_database(tmp_path):
    db = tmp_path / "p.db"
    resolved, rejected = await fill(db)

    listed = json.loads(danvan("petitions", "--db", str(db), "list", "--json").stdout)
    assert [r["code"] for r in listed][:2] == [resolved, rejected] and len(listed) == 3
    only = json.loads(danvan("petitions", "--db", str(db), "list", "--json", "--status", "resolved").stdout)
    assert [r["code"] for r in only] == [resolved]

    target = tmp_path / "out.csv"
    result = danvan("petitions", "--db", str(db), "export", "--csv", str(target))
    assert result.returncode == 0, result.stderr
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 only with the byte order mark
    rows = list(csv.DictReader(target.open(encoding="utf-8-sig")))
    # read by people in Excel: Vietnamese column names, Việt Nam's time, Có/Không
    assert rows[0]["Nội dung"] == "Rác ở kênh, “nặng mùi”; xử lý giúp" and rows[0]["Số điện thoại"] == "+84900000001"
    assert {r["Mã trạng thái"] for r in rows} == {"resolved", "rejected", "received"}
    assert re.fullmatch(r"\d\d/\d\d/20\d\d \d\d:\d\d", rows[0]["Ngày gửi"])
    assert {r["Ẩn danh"] for r in rows} == {"Có", "Không"}

    report = json.loads(danvan("report", "--db", str(db), "--since", "2000-01-01", "--until", "2100-01-01",
                               "--json").stdout)
    assert report["total"] == 3
    assert report["by_category"] == {"moi-truong": 2, "khac": 1}
    assert report["by_status"] == {"resolved": 1, "rejected": 1, "received": 1}
    assert report["by_unit"] == {"mt": 2, "ub": 1}
    assert report["response_hours"]["count"] == 2 and report["resolution_hours"]["count"] == 2
    assert (report["satisfied"], report["not_satisfied"], report["reopened"]) == (1, 1, 1)
    config = tmp_path / "units.yaml"
    config.write_text("admins: [9]\nunits:\n  - {id: mt, name: Phòng Môi trường, chat_id: -1, categories: [moi-truong]}\n"
                      "  - {id: ub, name: UBND phường, chat_id: -2, categories: [khac]}\n", encoding="utf-8")
    text = danvan("report", "--db", str(db), "--since", "2000-01-01", "--until", "2100-01-01",
                  env={"DANVAN_CONFIG": str(config)}).stdout
    assert "Rác thải, môi trường: 2" in text and "Đã giải quyết: 1" in text
    assert "Phòng Môi trường: 2" in text and "👍 đã được giải quyết 1" in text and "mở lại vì chưa được giải quyết: 1" in text
    empty = json.loads(danvan("report", "--db", str(db), "--since", "1999-01-01", "--until", "1999-12-31",
                              "--json").stdout)
    assert empty["total"] == 0

    chart = tmp_path / "report.png"
    danvan("report", "--db", str(db), "--since", "2000-01-01", "--until", "2100-01-01", "--png", str(chart))
    from PIL import Image

    with Image.open(chart) as image:
        assert image.format == "PNG" and image.width == 900
        colours = {image.getpixel((x, y))[:3] for x in range(0, image.width, 10) for y in range(0, image.height, 4)}
    assert (58, 123, 213) in colours  # the bars are drawn


def test_a_missing_database_is_one_clear_line(tmp_path):
    result = danvan("petitions", "--db", str(tmp_path / "none.db"), "list")
    assert result.returncode != 0 and "không tìm thấy cơ sở dữ liệu" in result.stderr and "DANVAN_DB" in result.stderr


async def test_the_report_shows_the_votes_on_answers_the_most_disliked_first(tmp_path):
    db = tmp_path / "votes.db"
    async with Store(db) as store:
        for user, intent, value in [(1, "nam-khong", 1), (2, "nam-khong", 1), (3, "nam-khong", -1),
                                    (1, "dan-biet-dan-ban", 1), (1, "dan-biet-dan-ban", -1),  # changed their mind
                                    (2, "dan-biet-dan-ban", -1), (4, "da-bo", 1)]:  # an intent no longer shipped
            await store.vote(user, intent, value)

    period = ("--since", "2000-01-01", "--until", "2100-01-01")
    data = json.loads(danvan("report", "--db", str(db), *period, "--json").stdout)
    assert data["votes"] == [
        {"intent": "dan-biet-dan-ban", "up": 0, "down": 2,
         "title": "Phương châm “Dân biết, dân bàn, dân làm, dân kiểm tra, dân giám sát, dân thụ hưởng”"},
        {"intent": "nam-khong", "up": 2, "down": 1, "title": "Nội dung “5 không” là gì?"},
        {"intent": "da-bo", "up": 1, "down": 0, "title": None},
    ]
    result = danvan("report", "--db", str(db), *period)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[lines.index(messages.REPORT_VOTES) + 1:] == [
        ("  Phương châm “Dân biết, dân bàn, dân làm, dân kiểm tra, dân giám sát, dân thụ hưởng” [dan-biet-dan-ban]: "
         "👍 Hữu ích 0, 👎 Chưa đúng 2"),
        "  Nội dung “5 không” là gì? [nam-khong]: 👍 Hữu ích 2, 👎 Chưa đúng 1",
        "  da-bo [da-bo]: 👍 Hữu ích 1, 👎 Chưa đúng 0",
    ]


async def test_the_report_says_when_no_one_has_voted(tmp_path):
    db = tmp_path / "none.db"
    async with Store(db):
        pass
    data = await report(db, dt.date(2000, 1, 1), dt.date(2100, 1, 1))
    assert data["votes"] == []
    assert report_text(data).endswith(messages.REPORT_VOTES + "\n" + messages.REPORT_NO_VOTES)


async def test_the_report_carries_what_the_charts_draw(tmp_path):
    db = tmp_path / "p.db"
    await fill(db)
    async with Store(db) as store:
        created = [p.created_at for p in await Petitions(store, UNITS, frozenset()).all()]
    data = await report(db, dt.date(2000, 1, 1), dt.date(2100, 1, 1))

    assert data["by_day"] == {day_in_vietnam(created[0]).isoformat(): {"resolved": 1, "rejected": 1, "received": 1}}
    assert len(data["response_values"]) == data["response_hours"]["count"] == 2
    assert len(data["resolution_values"]) == data["resolution_hours"]["count"] == 2
    assert all(isinstance(h, float) and 0 <= h < 1 for h in data["response_values"] + data["resolution_values"])
    assert data["overdue_by_unit"] == {} and data["overdue"] == 0
    json.dumps(data)  # `danvan report --json` prints it all

    # years later the open petition is overdue; the closed two were closed in time
    later = await report(db, dt.date(2000, 1, 1), dt.date(2100, 1, 1), today=dt.date(2100, 1, 1))
    assert later["overdue_by_unit"] == {"mt": 1} and later["overdue"] == 1


async def test_a_petition_counts_on_its_day_in_viet_nam(tmp_path):
    db = tmp_path / "p.db"
    await fill(db)
    async with Store(db) as store:  # 17:30 UTC on 4/5 is 00:30 on 5/5 in Việt Nam
        await store.db.execute("UPDATE petitions SET created_at = ? WHERE id = 3", ("2026-05-04T17:30:00+00:00",))
    fifth = await report(db, dt.date(2026, 5, 5), dt.date(2026, 5, 5))
    assert fifth["total"] == 1 and fifth["by_day"] == {"2026-05-05": {"received": 1}}
    assert (await report(db, dt.date(2026, 5, 4), dt.date(2026, 5, 4)))["total"] == 0


async def test_the_png_report_draws_vietnamese_labels_with_no_glyph_missing(tmp_path):
    from PIL import Image

    db = tmp_path / "p.db"
    await fill(db)
    data = await report(db, dt.date(2000, 1, 1), dt.date(2100, 1, 1))
    target = tmp_path / "report.png"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph ... missing from font(s)" for a letter it lacks
        report_png(data, target, {"mt": "Phòng Tài nguyên và Môi trường", "ub": "UBND phường"})
    with Image.open(target) as image:
        assert image.format == "PNG" and image.width == 900 and 400 <= image.height <= 2000
