"""The report's charts: PNG images a person can read, every label in Vietnamese with no letter missing."""

from __future__ import annotations

import datetime as dt
import gc
import io
import os
import subprocess
import sys
import warnings
import weakref
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

import matplotlib
import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text
from PIL import Image

from bot import charts, messages
from bot.charts import CHART_TITLES, report_charts
from bot.petitions import ADMINS_UNIT
from bot.reports import report
from bot.store import Store
from tests.test_reports import ROOT, fill

NAMES = {"mt": "Phòng Tài nguyên và Môi trường", "ub": "UBND phường Bến Nghé"}
EVERYWHEN = (dt.date(2000, 1, 1), dt.date(2100, 1, 1))


@contextmanager
def no_missing_glyph() -> Iterator[None]:
    """matplotlib warns "Glyph ... missing from font(s)" for each letter its font lacks: here that fails."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> list[Figure]:
    """The figures drawn, each with the texts it showed kept, as they are when it is cleared after its PNG."""
    figures: list[Figure] = []
    render = charts._png

    def keep(figure: Figure) -> bytes:
        clear = figure.clear

        def keep_texts_and_clear() -> None:
            figure.texts_drawn = [t.get_text() for t in figure.findobj(Text) if t.get_text()]  # type: ignore[attr-defined]
            clear()

        figure.clear = keep_texts_and_clear  # type: ignore[method-assign]
        figures.append(figure)
        return render(figure)

    monkeypatch.setattr(charts, "_png", keep)
    return figures


def texts(figure: Figure) -> str:
    return "\n".join(figure.texts_drawn)  # type: ignore[attr-defined]


async def filled_report(tmp_path: Any, today: dt.date | None = None) -> dict[str, Any]:
    db = tmp_path / "p.db"
    await fill(db)
    return await report(db, *EVERYWHEN, today=today)


def check_png(image: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(image)) as opened:
        assert opened.format == "PNG"
        opened.load()
        return opened.size


async def test_every_chart_is_a_readable_png_labelled_in_vietnamese(tmp_path, drawn):
    data = await filled_report(tmp_path, today=dt.date(2100, 1, 1))  # the open petition is overdue by then
    with no_missing_glyph():
        images = report_charts(data, NAMES)

    assert list(images) == list(CHART_TITLES) == ["category", "unit", "status", "over_time", "times", "overdue"]
    for image in images.values():
        width, height = check_png(image)
        assert width == 800 and 400 <= height <= 1200
    shown = dict(zip(images, map(texts, drawn)))
    for key, title in CHART_TITLES.items():
        assert title in shown[key] and "Từ 01/01/2000 đến 01/01/2100" in shown[key]
    assert "Rác thải, môi trường" in shown["category"] and "Vấn đề khác" in shown["category"]
    assert "Phòng Tài nguyên và Môi trường" in shown["unit"] and "UBND phường Bến Nghé" in shown["unit"]
    assert "Đã giải quyết" in shown["status"] and "Đã tiếp nhận" in shown["status"]
    day = dt.date.fromisoformat(next(iter(data["by_day"])))
    assert day.strftime("%d/%m") in shown["over_time"] and messages.CHART_BY_DAY in shown["over_time"]
    assert "Phản hồi\n(2 phản ánh)" in shown["times"] and "Giải quyết\n(2 phản ánh)" in shown["times"]
    assert messages.CHART_HOURS in shown["times"]
    assert "Phòng Tài nguyên và Môi trường" in shown["overdue"] and messages.CHART_NO_DATA not in shown["overdue"]


async def test_an_empty_report_draws_charts_that_say_there_is_no_data(tmp_path, drawn):
    db = tmp_path / "empty.db"
    async with Store(db):
        pass
    with no_missing_glyph():
        images = report_charts(await report(db, *EVERYWHEN), {})
    assert set(images) == set(CHART_TITLES) and all(check_png(image) == (800, 400) for image in images.values())
    assert all(messages.CHART_NO_DATA in texts(figure) for figure in drawn)


async def test_a_report_with_nothing_overdue_says_so(tmp_path, drawn):
    with no_missing_glyph():
        report_charts(await filled_report(tmp_path), NAMES)
    assert messages.CHART_NO_OVERDUE in texts(drawn[-1])


def sample(days: list[str], response: list[float] | None = None) -> dict[str, Any]:
    return {"since": days[0], "until": days[-1], "total": len(days), "by_category": {"khac": len(days)},
            "by_unit": {ADMINS_UNIT.id: len(days)}, "by_status": {"received": len(days)},
            "by_day": {day: {"received": 1} for day in days}, "response_values": response or [],
            "resolution_values": [], "overdue_by_unit": {}}


def test_the_desk_is_named_and_a_long_span_is_drawn_by_month(drawn):
    with no_missing_glyph():
        report_charts(sample(["2026-01-30", "2026-02-02", "2026-06-01"], [0.5, 1234.5]), {})
    unit, over_time, times = drawn[1], drawn[3], drawn[4]
    assert ADMINS_UNIT.name in texts(unit).replace("\n", " ")  # (a long label wraps)
    assert {"01/2026", "02/2026", "06/2026", messages.CHART_BY_MONTH} <= set(over_time.texts_drawn)
    assert "30/01" not in over_time.texts_drawn
    # one series only, with its median in Vietnamese: a decimal comma, a dot between thousands
    assert "Phản hồi\n(2 phản ánh)\ntrung vị 617,5 giờ" in texts(times) and "Giải quyết" not in texts(times)
    assert "1.200" in times.texts_drawn


def test_a_font_without_vietnamese_letters_would_be_caught():
    # cmr10, shipped with matplotlib, has no "ả": this is the warning no_missing_glyph() turns into a failure
    lacking = {"font.family": "cmr10", "axes.formatter.use_mathtext": True}  # (cmr10 asks for mathtext)
    with matplotlib.rc_context(lacking), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        report_charts(sample(["2026-05-05"]), NAMES)
    assert any(str(w.message).startswith("Glyph 7843 (\\N{LATIN SMALL LETTER A WITH HOOK ABOVE}) missing from font")
               for w in caught)
    with matplotlib.rc_context(lacking), no_missing_glyph(), pytest.raises(UserWarning, match="missing from font"):
        report_charts(sample(["2026-05-05"]), NAMES)


def test_no_figure_outlives_its_png(monkeypatch):
    alive: list[weakref.ref[Figure]] = []
    render = charts._png
    monkeypatch.setattr(charts, "_png", lambda figure: alive.append(weakref.ref(figure)) or render(figure))
    report_charts(sample(["2026-05-05", "2026-05-06"], [1.0, 2.0]), NAMES)
    gc.collect()
    assert len(alive) == len(CHART_TITLES) and all(ref() is None for ref in alive)


def test_charts_drawn_in_worker_threads_are_the_same_as_in_one():
    data = sample(["2026-05-01", "2026-05-03", "2026-05-09"], [1.5, 3.0, 30.0])
    alone = report_charts(data, NAMES)
    with ThreadPoolExecutor(4) as pool:
        together = list(pool.map(lambda _: report_charts(data, NAMES), range(4)))
    assert all(images == alone for images in together)


def test_drawing_leaves_pyplot_and_any_display_alone():
    code = ("import sys; from bot.charts import report_charts; from tests.test_charts import sample; "
            "report_charts(sample(['2026-05-05']), {}); print('matplotlib.pyplot' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
                            env=os.environ | {"MPLBACKEND": "TkAgg"})  # a display backend is asked for, and not used
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
