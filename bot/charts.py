"""The report's charts as PNG images labelled in Vietnamese, for the web dashboard and ``danvan report --png``.

Drawn on matplotlib's ``Figure`` directly, never through pyplot: pyplot keeps every figure in a global
registry until closed and picks a display backend, while a bare ``Figure`` renders with Agg and may be
drawn in a worker thread.  matplotlib's default font, its bundled DejaVu Sans, has every Vietnamese letter.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import statistics
import textwrap
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from bot import messages
from bot.petitions import ADMINS_UNIT, CATEGORIES, STATUSES
from bot.workdays import date_vn

CHART_TITLES = messages.CHART_TITLES  # chart key -> its title, for the page's captions
DPI = 100
WIDTH, HEIGHT = 8.0, 4.0  # inches: 800 x 400 px, legible on a desk and still on a phone's screen
BAR, LATE, OTHER = "#3a7bd5", "#c0504d", "#b0b0b0"
STATUS_COLOURS = {
    "received": "#8c8c8c", "forwarded": "#5b9bd5", "accepted": "#2e75b6", "in_progress": "#f4b183",
    "resolved": "#3a9d5d", "rejected": "#c0504d", "redirected": "#8e7cc3", "reopened": "#e69f00",
}
LABEL_WIDTH = 30  # characters on one line of a bar's label; longer labels wrap
DAILY_UP_TO = 62  # days shown one bar each; a longer span goes by month, or the bars would be slivers
MOST_TICKS = 16  # dates under the time chart; more would overlap at 800 px


def report_charts(data: dict[str, Any], unit_names: Mapping[str, str]) -> dict[str, bytes]:
    """PNG images of ``report()``'s data by chart key (see ``CHART_TITLES``); units by name (id -> name)."""
    units = {ADMINS_UNIT.id: ADMINS_UNIT.name, **unit_names}
    period, titles = _period(data), CHART_TITLES
    no_overdue = messages.CHART_NO_OVERDUE if data["total"] else messages.CHART_NO_DATA
    drawings: dict[str, Callable[[], Figure]] = {  # drawn one at a time: one figure in memory at once
        "category": lambda: _bar_figure(titles["category"], period, data["by_category"], CATEGORIES, BAR),
        "unit": lambda: _bar_figure(titles["unit"], period, data["by_unit"], units, BAR),
        "status": lambda: _bar_figure(titles["status"], period, data["by_status"], STATUSES, STATUS_COLOURS),
        "over_time": lambda: _over_time_figure(titles["over_time"], period, data["by_day"]),
        "times": lambda: _times_figure(titles["times"], period, data["response_values"], data["resolution_values"]),
        "overdue": lambda: _bar_figure(titles["overdue"], period, data["overdue_by_unit"], units, LATE, no_overdue),
    }
    return {key: _png(draw()) for key, draw in drawings.items()}


def summary_png(data: dict[str, Any], unit_names: Mapping[str, str] | None = None) -> bytes:
    """The report's counts by category, unit and status in one image, 900 px wide (``danvan report --png``)."""
    units = {ADMINS_UNIT.id: ADMINS_UNIT.name, **(unit_names or {})}
    sections = [(messages.REPORT_BY_CATEGORY, data["by_category"], CATEGORIES, BAR),
                (messages.REPORT_BY_UNIT, data["by_unit"], units, BAR),
                (messages.REPORT_BY_STATUS, data["by_status"], STATUSES, STATUS_COLOURS)]
    rows = [max(1, len(counts)) for _, counts, _, _ in sections]
    figure = Figure(figsize=(9.0, 1.2 + 0.5 * sum(rows) + 0.6 * len(rows)), dpi=DPI, layout="constrained")
    figure.suptitle(messages.REPORT_HEADER.format(since=date_vn(data["since"]), until=date_vn(data["until"]),
                                                  total=data["total"]), fontsize=13)
    for axes, (title, counts, labels, colours) in zip(figure.subplots(len(rows), 1, height_ratios=rows), sections):
        axes.set_title(title, loc="left", fontsize=11, color="#1f3b73")
        if counts:
            _bars(axes, counts, labels, colours)
        else:
            _say(axes, messages.REPORT_NONE.strip())
    return _png(figure)


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    try:
        figure.savefig(buffer, format="png", dpi=DPI)
    finally:
        figure.clear()  # as pyplot's close would: the artists go now, not at the next garbage collection
    return buffer.getvalue()


def _period(data: dict[str, Any]) -> str:
    return messages.CHART_PERIOD.format(since=date_vn(data["since"]), until=date_vn(data["until"]))


def _figure(title: str, period: str, height: float = HEIGHT) -> Figure:
    figure = Figure(figsize=(WIDTH, height), dpi=DPI, layout="constrained")
    figure.suptitle(f"{title}\n{period}", fontsize=12)
    return figure


def _say(axes: Axes, text: str) -> None:
    """A chart with nothing to draw says so, in the middle of where it would be."""
    axes.set_axis_off()
    axes.text(0.5, 0.5, text, ha="center", va="center", fontsize=14, color="#777777", transform=axes.transAxes)


def _number(value: float) -> str:
    """A number as written in Vietnamese: 1.234 for thousands, 2,5 for a half (one decimal at most)."""
    text = f"{value:,.1f}".removesuffix(".0")
    return text.translate(str.maketrans(",.", ".,"))


def _tidy(axes: Axes) -> None:
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)


def _bar_figure(title: str, period: str, counts: Mapping[Any, int], labels: Mapping[str, str],
                colours: str | Mapping[str, str], empty: str = messages.CHART_NO_DATA) -> Figure:
    figure = _figure(title, period, max(HEIGHT, 1.5 + 0.45 * len(counts)))
    axes = figure.add_subplot()
    if counts:
        _bars(axes, counts, labels, colours)
    else:
        _say(axes, empty)
    return figure


def _bars(axes: Axes, counts: Mapping[Any, int], labels: Mapping[str, str], colours: str | Mapping[str, str]) -> None:
    """Horizontal bars, the first key on top, each with its count at its end."""
    keys, values = list(counts), list(counts.values())
    names = [textwrap.fill(labels.get(key, str(key)), LABEL_WIDTH) for key in keys]
    colour = [colours if isinstance(colours, str) else colours.get(key, OTHER) for key in keys]
    bars = axes.barh(range(len(keys)), values, color=colour, height=0.65)
    axes.set_yticks(range(len(keys)), names, fontsize=9)
    axes.invert_yaxis()
    axes.bar_label(bars, labels=[_number(v) for v in values], padding=3, fontsize=9)
    axes.set_xlim(0, (max(values) or 1) * 1.15)  # room for the count beside the longest bar
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_xlabel(messages.CHART_COUNT)
    _tidy(axes)


def _over_time_figure(title: str, period: str, by_day: Mapping[str, Mapping[str, int]]) -> Figure:
    """Petitions created per day (per month over a long span), stacked by their status now."""
    if not by_day:
        figure = _figure(title, period)
        _say(figure.add_subplot(), messages.CHART_NO_DATA)
        return figure
    days = sorted(dt.date.fromisoformat(day) for day in by_day)
    daily = (days[-1] - days[0]).days < DAILY_UP_TO
    buckets = _days(days[0], days[-1]) if daily else _months(days[0], days[-1])
    counts: dict[dt.date, Counter[str]] = {bucket: Counter() for bucket in buckets}
    for day, statuses in by_day.items():
        date = dt.date.fromisoformat(day)
        counts[date if daily else date.replace(day=1)].update(statuses)
    seen = {status for statuses in by_day.values() for status in statuses}
    statuses = [s for s in STATUSES if s in seen] + sorted(seen - STATUSES.keys())
    figure = _figure(title, period, HEIGHT + 0.25 * math.ceil(len(statuses) / 2))
    axes = figure.add_subplot()
    bottom = [0] * len(buckets)
    for status in statuses:
        heights = [counts[bucket][status] for bucket in buckets]
        axes.bar(range(len(buckets)), heights, bottom=bottom, width=0.8, label=STATUSES.get(status, status),
                 color=STATUS_COLOURS.get(status, OTHER))
        bottom = [below + height for below, height in zip(bottom, heights)]
    step = math.ceil(len(buckets) / MOST_TICKS)
    axes.set_xticks(range(0, len(buckets), step),
                    [bucket.strftime("%d/%m" if daily else "%m/%Y") for bucket in buckets[::step]], fontsize=8)
    axes.set_xlabel(messages.CHART_BY_DAY if daily else messages.CHART_BY_MONTH)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_ylabel(messages.CHART_COUNT)
    _tidy(axes)
    figure.legend(loc="outside lower center", ncols=2, fontsize=8, frameon=False,
                  title=messages.CHART_STATUS, title_fontsize=8)
    return figure


def _days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


def _months(first: dt.date, last: dt.date) -> list[dt.date]:
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


def _times_figure(title: str, period: str, response: Sequence[float], resolution: Sequence[float]) -> Figure:
    """A box plot each for response and resolution times, side by side, each on its own scale: a unit
    answers in hours and resolves in days, so on one scale the answers would be a flat line."""
    figure = _figure(title, period)
    series = [(label.format(count=len(hours)), hours) for label, hours in
              ((messages.CHART_RESPONSE, response), (messages.CHART_RESOLUTION, resolution)) if hours]
    if not series:
        _say(figure.add_subplot(), messages.CHART_NO_DATA)
        return figure
    for axes, (label, hours) in zip(figure.subplots(1, len(series), squeeze=False)[0], series):
        _box(axes, label, hours)
    return figure


def _box(axes: Axes, label: str, hours: Sequence[float]) -> None:
    axes.boxplot([hours], widths=0.5, showfliers=False, patch_artist=True,
                 boxprops={"facecolor": "#d6e4f7", "edgecolor": BAR}, medianprops={"color": LATE, "linewidth": 2})
    # every petition as a dot beside the box: with a handful of them, the box alone would mislead
    spread = [1 + 0.18 * ((n * 0.618) % 1 - 0.5) for n in range(len(hours))]
    axes.scatter(spread, hours, s=12, color=BAR, alpha=0.5, zorder=3)
    median = messages.CHART_MEDIAN.format(hours=_number(statistics.median(hours)))
    axes.set_xticks([1], [f"{label}\n{median}"], fontsize=9)
    axes.set_ylim(bottom=0)
    axes.set_ylabel(messages.CHART_HOURS)
    axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: _number(value)))
    _tidy(axes)
