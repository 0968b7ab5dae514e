"""Layout for the forecast charts: scales, round ticks, date ticks, axes, legends and labelled markers."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape

from sightline.forecast.svg import (
    AXIS,
    GRID,
    INK,
    LINE_HEIGHT,
    MUTED,
    SMALL,
    WIDTH,
    compact,
    day_label,
    element,
    fmt,
    group,
    label,
    line,
    rect,
    text_width,
)

RIGHT = WIDTH - 18.0  # the plot's right edge


@dataclass(frozen=True)
class Scale:
    """Maps a domain [d0, d1] linearly onto a range [r0, r1]; dates map through their ordinal."""

    d0: float
    d1: float
    r0: float
    r1: float

    def __call__(self, value: float | date) -> float:
        v = value.toordinal() if isinstance(value, date) else value
        if self.d1 == self.d0:
            return (self.r0 + self.r1) / 2
        return self.r0 + (v - self.d0) / (self.d1 - self.d0) * (self.r1 - self.r0)


@dataclass(frozen=True)
class Plot:
    """The plotting area inside the SVG."""

    left: float
    top: float
    right: float
    bottom: float

    @property
    def width(self) -> float:
        return self.right - self.left


# --- Ticks --------------------------------------------------------------------------------------


def nice_ticks(high: float, *, count: int = 5, integer: bool = False) -> list[float]:
    """Round ticks from 0 to at least ``high``: steps of 1, 2, 2.5 or 5 × 10^k (whole when ``integer``)."""
    if not math.isfinite(high) or high <= 0:
        high = count if integer else 1.0
    magnitude = 10 ** math.floor(math.log10(high / count))
    step = 10 * magnitude
    for multiple in (1, 2, 2.5, 5, 10):
        candidate = multiple * magnitude
        if integer and (candidate < 1 or candidate != int(candidate)):
            continue
        if candidate * count >= high:
            step = candidate
            break
    if integer:
        step = max(1.0, float(round(step)))
    return [round(i * step, 10) for i in range(math.ceil(high / step - 1e-9) + 1)]


def date_ticks(start: date, end: date, *, max_ticks: int) -> list[date]:
    """Calendar ticks from start to end (days, Mondays, fortnights, months...), at most ``max_ticks``."""
    span = (end - start).days
    if span <= 0:
        return [start]
    for step in (1, 2, 7, 14, 28):
        if span // step + 1 <= max_ticks:
            first = start if step < 7 else start + timedelta(days=(7 - start.weekday()) % 7)
            return [first + timedelta(days=i) for i in range(0, (end - first).days + 1, step)]
    for months in (1, 2, 3, 6, 12, 24, 60):
        ticks = []
        year, month = start.year, start.month
        while (tick := date(year, month, 1)) <= end:
            if tick >= start and (year * 12 + month - 1) % months == 0:
                ticks.append(tick)
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        if len(ticks) <= max_ticks:
            return ticks
    return [start, end]


def date_tick_labels(ticks: Sequence[date]) -> list[str]:
    """Labels for date ticks; when they span years, the year shows on the first tick and where it changes."""
    spans_years = len({tick.year for tick in ticks}) > 1
    labels, year = [], None
    for tick in ticks:
        labels.append(day_label(tick, with_year=spans_years and tick.year != year))
        year = tick.year
    return labels


def every_nth(slot: float, needed: float) -> int:
    """Show every n-th label so that each gets ``needed`` width when positions are ``slot`` apart."""
    return max(1, math.ceil(needed / slot)) if slot > 0 else 1


def place_in_rows(spans: Sequence[tuple[float, float]], gap: float = 6) -> list[int]:
    """A row for each (left, right) span so that spans in one row never overlap (greedy, left to right)."""
    rows: list[float] = []
    result = [0] * len(spans)
    for index in sorted(range(len(spans)), key=lambda i: spans[i][0]):
        left, right = spans[index]
        for row, last_right in enumerate(rows):
            if left >= last_right + gap:
                rows[row], result[index] = right, row
                break
        else:
            rows.append(right)
            result[index] = len(rows) - 1
    return result


# --- Axes ---------------------------------------------------------------------------------------


def left_margin(ticks: Sequence[float], tick_text: Callable[[float], str] = compact) -> float:
    """Room for the widest tick label and the turned axis title."""
    return max(56.0, max(text_width(tick_text(tick), SMALL) for tick in ticks) + 34)


def y_axis(plot: Plot, scale: Scale, ticks: Sequence[float], *, title: str, tick_text=compact) -> str:
    """Horizontal grid lines with their values on the left, and the axis title turned along the axis."""
    parts = []
    for tick in ticks:
        y = scale(tick)
        parts.append(line(plot.left, y, plot.right, y, stroke=GRID, stroke_width=1, cls="chart-grid"))
        parts.append(label(plot.left - 8, y + 4, tick_text(tick), anchor="end", cls="chart-tick"))
    middle = (plot.top + plot.bottom) / 2
    turned = f"rotate(-90 14 {fmt(middle)})"
    parts.append(
        element(
            "text",
            escape(title),
            x=14.0,
            y=middle,
            font_size=SMALL,
            text_anchor="middle",
            fill=MUTED,
            transform=turned,
            cls="chart-axis-title",
        )
    )
    return group(parts, "chart-axis chart-axis-y")


def tick_row(plot: Plot, ticks: Sequence[tuple[float, str]]) -> str:
    """The baseline with a tick mark and a label at each (x, text); labels stay inside the picture."""
    parts = [line(plot.left, plot.bottom, plot.right, plot.bottom, stroke=AXIS, cls="chart-axis-line")]
    for x, text in ticks:
        parts.append(line(x, plot.bottom, x, plot.bottom + 4, stroke=AXIS, cls="chart-tick-mark"))
        half = text_width(text, SMALL) / 2
        parts.append(label(min(max(x, half + 2), WIDTH - half - 2), plot.bottom + 17, text, cls="chart-tick"))
    return group(parts, "chart-axis chart-axis-x")


def date_axis(plot: Plot, scale: Scale, start: date, end: date) -> str:
    """Calendar ticks ("12 Jan"), as many as fit without the labels touching."""
    widest = text_width("30 Sep 2027" if start.year != end.year else "30 Sep", SMALL) + 14
    ticks = date_ticks(start, end, max_ticks=max(2, int(plot.width // widest)))
    labels = date_tick_labels(ticks)
    return tick_row(plot, [(scale(tick), text) for tick, text in zip(ticks, labels, strict=True)])


# --- Legend and markers -------------------------------------------------------------------------


@dataclass(frozen=True)
class LegendEntry:
    text: str
    colour: str
    shape: str = "box"  # box | line | dash | band
    cls: str = ""


def legend(entries: Sequence[LegendEntry], *, x: float, y: float, width: float) -> tuple[str, float]:
    """A legend laid out left to right, wrapping into rows within ``width``; returns (svg, height used)."""
    parts, cursor, row = [], x, 0
    for entry in entries:
        item_width = 22 + text_width(entry.text, SMALL) + 18
        if cursor > x and cursor + item_width > x + width:
            cursor, row = x, row + 1
        middle = y + row * 18
        parts.append(_swatch(entry, cursor, middle))
        parts.append(
            label(cursor + 22, middle + 4, entry.text, anchor="start", fill=INK, cls="chart-legend-text")
        )
        cursor += item_width
    return group(parts, "chart-legend"), (row + 1) * 18.0 if entries else 0.0


def _swatch(entry: LegendEntry, x: float, middle: float) -> str:
    cls = f"chart-swatch {entry.cls}".strip()
    if entry.shape in ("line", "dash"):
        dashed = entry.shape == "dash"
        return line(
            x,
            middle,
            x + 16,
            middle,
            stroke=entry.colour,
            stroke_width=2 if dashed else 2.5,
            stroke_dasharray="4 3" if dashed else None,
            cls=cls,
        )
    opacity = 0.6 if entry.shape == "band" else None
    return rect(x, middle - 5, 14, 10, rx=2, fill=entry.colour, fill_opacity=opacity, cls=cls)


@dataclass(frozen=True)
class Marker:
    """A vertical line on a time axis (a percentile, the target, today), labelled above the plot."""

    x: float
    text: str
    colour: str
    cls: str
    dash: str | None = None


@dataclass(frozen=True)
class Header:
    """The top of a time chart: the legend, then rows of marker labels, then the plot."""

    legend: str
    rows: list[int]
    labels_bottom: float
    plot: Plot


def header_layout(
    entries: Sequence[LegendEntry], marks: Sequence[Marker], *, left: float, bottom: float
) -> Header:
    """Lay out the legend and as many rows of marker labels as needed so that none overlap."""
    legend_svg, legend_height = legend(entries, x=left, y=14, width=RIGHT - left)
    spans = []
    for mark in marks:
        half = text_width(mark.text, SMALL) / 2 + 2
        centre = min(max(mark.x, half), WIDTH - half)
        spans.append((centre - half, centre + half))
    rows = place_in_rows(spans)
    labels_bottom = 14 + legend_height + 16 + max(rows, default=-1) * LINE_HEIGHT
    return Header(legend_svg, rows, labels_bottom, Plot(left, labels_bottom + 10, RIGHT, bottom))


def markers(header: Header, marks: Sequence[Marker]) -> str:
    """The vertical lines, each with its label in its row above the plot (rows counted upwards)."""
    parts = []
    for mark, row in zip(marks, header.rows, strict=True):
        y_text = header.labels_bottom - row * LINE_HEIGHT
        half = text_width(mark.text, SMALL) / 2 + 2
        x_text = min(max(mark.x, half), WIDTH - half)
        parts.append(
            line(
                mark.x,
                y_text + 4,
                mark.x,
                header.plot.bottom,
                stroke=mark.colour,
                stroke_width=1.5,
                stroke_dasharray=mark.dash,
                cls=f"chart-marker {mark.cls}",
            )
        )
        parts.append(
            label(
                x_text,
                y_text,
                mark.text,
                fill=mark.colour,
                weight="600",
                halo=True,
                cls=f"chart-marker-label {mark.cls}",
            )
        )
    return group(parts, "chart-markers")
