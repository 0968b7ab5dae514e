"""Charts of the team's history: velocity per closed sprint and the cumulative flow of items by state."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sightline.forecast.chart_layout import (
    RIGHT,
    LegendEntry,
    Plot,
    Scale,
    date_axis,
    every_nth,
    left_margin,
    legend,
    nice_ticks,
    y_axis,
)
from sightline.forecast.svg import (
    ACCENT,
    BAND,
    INK,
    SMALL,
    WARN,
    WIDTH,
    Chart,
    compact,
    day_label,
    empty_chart,
    frame,
    group,
    label,
    line,
    number,
    polygon,
    rect,
    shorten,
    tooltip,
    wrap_two_lines,
)

HEIGHT = 320.0


@dataclass(frozen=True)
class VelocityBar:
    label: str
    points: float
    items: int


def velocity_chart(
    bars: Sequence[VelocityBar],
    *,
    mean: float | None,
    low: float | None,
    high: float | None,
    unit: str = "points",
) -> Chart:
    """Accepted points per closed sprint as bars; the mean of the last 3 (dashed) over their range (band)."""
    header = ("Sprint", f"{unit.capitalize()} accepted", "Items accepted")
    title = f"Velocity: {unit} accepted per sprint"
    if not bars:
        return empty_chart(
            "velocity",
            title=title,
            message="No closed sprints yet",
            header=header,
            detail="Velocity appears once the first sprint closes.",
        )
    top = max([*(bar.points for bar in bars), high or 0, mean or 0])
    ticks = nice_ticks(top * 1.12 if top > 0 else 10)
    left = left_margin(ticks)
    entries = [LegendEntry(f"{unit.capitalize()} accepted", ACCENT, cls="chart-bar")]
    if mean is not None:
        entries.append(LegendEntry(f"Mean of last 3 sprints: {number(mean)}", WARN, "dash", "chart-mean"))
    if low is not None and high is not None:
        entries.append(LegendEntry(f"Range of last 3: {_range(low, high)}", BAND, "band", "chart-band"))
    legend_svg, legend_height = legend(entries, x=left, y=14, width=RIGHT - left)
    plot = Plot(left, 28 + legend_height, RIGHT, HEIGHT - 44)
    y = Scale(0, ticks[-1], plot.bottom, plot.top)

    parts = [legend_svg, y_axis(plot, y, ticks, title=f"{unit.capitalize()} accepted")]
    if low is not None and high is not None:
        band_height = max(y(low) - y(high), 1.5)
        parts.append(
            rect(plot.left, y(high), plot.width, band_height, fill=BAND, fill_opacity=0.6, cls="chart-band")
        )
    parts.append(_bars(bars, plot, y, unit))
    if mean is not None:
        parts.append(
            line(
                plot.left,
                y(mean),
                plot.right,
                y(mean),
                stroke=WARN,
                stroke_width=2,
                stroke_dasharray="6 4",
                cls="chart-mean",
            )
        )
    parts.append(_category_axis(plot, [bar.label for bar in bars]))

    alt = _velocity_alt(bars, mean=mean, low=low, high=high, unit=unit)
    table = (header, *((bar.label, number(bar.points), str(bar.items)) for bar in bars))
    return Chart(frame("velocity", height=HEIGHT, title=title, desc=alt, body="".join(parts)), alt, table)


def _bars(bars: Sequence[VelocityBar], plot: Plot, y: Scale, unit: str) -> str:
    band = plot.width / len(bars)
    width = min(band * 0.62, 64)
    parts = []
    for index, bar in enumerate(bars):
        centre = plot.left + band * (index + 0.5)
        top = y(max(bar.points, 0))
        hint = tooltip(f"{bar.label}: {number(bar.points)} {unit}, {_plural(bar.items, 'item')} accepted")
        shape = rect(centre - width / 2, top, width, plot.bottom - top, rx=2, fill=ACCENT, cls="chart-bar")
        value = ""
        if band >= 26:
            value = label(
                centre, top - 6, compact(bar.points), fill=INK, weight="600", halo=True, cls="chart-value"
            )
        parts.append(group([hint, shape, value], "chart-bar-group"))
    return group(parts, "chart-bars")


def _category_axis(plot: Plot, labels: Sequence[str]) -> str:
    """Labels centred under their bar: on one or two lines, shortened, thinned when bars are narrow."""
    band = plot.width / len(labels)
    every = every_nth(band, 44)
    room = band * every - 6
    parts = [line(plot.left, plot.bottom, plot.right, plot.bottom, stroke="#98a2b3", cls="chart-axis-line")]
    for index, text in enumerate(labels):
        if index % every:
            continue
        centre = plot.left + band * (index + 0.5)
        for number_of_line, part in enumerate(wrap_two_lines(text, room)):
            parts.append(label(centre, plot.bottom + 16 + number_of_line * 13, part, cls="chart-tick"))
    return group(parts, "chart-axis chart-axis-x")


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _range(low: float, high: float) -> str:
    return number(low) if low == high else f"{number(low)}–{number(high)}"


def _velocity_alt(bars: Sequence[VelocityBar], *, mean, low, high, unit: str) -> str:
    values = [bar.points for bar in bars]
    if len(bars) == 1:
        text = f"{bars[0].label} accepted {number(values[0])} {unit} ({_plural(bars[0].items, 'item')})."
    elif min(values) == max(values):
        text = f"Each of the last {len(bars)} closed sprints accepted {number(values[0])} {unit}."
    else:
        text = (
            f"{unit.capitalize()} accepted in the last {len(bars)} closed sprints, between "
            f"{number(min(values))} and {number(max(values))}; the latest, {bars[-1].label}, "
            f"accepted {number(values[-1])}."
        )
    if mean is not None:
        spread = low is not None and high is not None and low != high
        text += f" The mean of the last 3 sprints is {number(mean)}"
        text += f" (from {number(low)} to {number(high)})." if spread else "."
    return text


# --- Cumulative flow ----------------------------------------------------------------------------

# Stronger tones of the status chips in sightline.css, so a state has the same colour everywhere.
STATE_COLOURS = {
    "draft": "#c3cad6",
    "ready": "#8fb0f0",
    "planned": "#b4a2ec",
    "in-progress": "#f2c46d",
    "delivered": "#7cc6c6",
    "rejected": "#ee9b93",
    "accepted": "#74c08d",
}
SPARE_COLOURS = ("#a8b8d8", "#d9b38c", "#9fc5a8", "#d3a4c8", "#b9c2a0")
CFD_HEIGHT = 340.0
LEGEND_WIDTH = 150.0


def state_slug(name: str) -> str:
    """ "In progress" → "in-progress" (the chart-state-* class)."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "state"


def cfd_chart(days: Sequence[date], series: Sequence[tuple[str, Sequence[int]]]) -> Chart:
    """Items in each state per day, stacked: the workflow's first state on top, its last at the bottom."""
    header = ("Date", *(name for name, _ in series))
    title = "Cumulative flow: items in each state per day"
    for name, counts in series:
        if len(counts) != len(days):
            raise ValueError(f"The series {name!r} has {len(counts)} values for {len(days)} days.")
    if not days or not any(any(counts) for _, counts in series):
        return empty_chart(
            "cfd",
            title=title,
            message="No item history yet",
            header=header,
            detail="The diagram fills in as items move through the workflow.",
        )
    totals = [sum(counts[i] for _, counts in series) for i in range(len(days))]
    ticks = nice_ticks(max(totals) * 1.05, integer=True)
    plot = Plot(left_margin(ticks), 24, RIGHT - LEGEND_WIDTH, CFD_HEIGHT - 34)
    # A single day is drawn one day wide, so it still shows as an area.
    first, last = days[0], days[-1] if len(days) > 1 else days[0] + timedelta(days=1)
    x = Scale(first.toordinal(), last.toordinal(), plot.left, plot.right)
    y = Scale(0, ticks[-1], plot.bottom, plot.top)
    colours = _state_colours([name for name, _ in series])

    parts = [y_axis(plot, y, ticks, title="Items")]
    parts.append(_areas(days, series, colours, x, y))
    parts.append(date_axis(plot, x, first, last))
    parts.append(_cfd_legend(series, colours, plot, days[-1]))
    alt = _cfd_alt(days, series)
    rows = (
        (day_label(day, with_year=True), *(str(counts[i]) for _, counts in series))
        for i, day in enumerate(days)
    )
    return Chart(
        frame("cfd", height=CFD_HEIGHT, title=title, desc=alt, body="".join(parts)), alt, (header, *rows)
    )


def _areas(days, series, colours, x: Scale, y: Scale) -> str:
    xs = [x(day) for day in days] if len(days) > 1 else [x.r0, x.r1]
    widen = (lambda values: list(values)) if len(days) > 1 else (lambda values: [values[0], values[0]])
    below = [0] * len(xs)
    parts = []
    for (name, counts), colour in reversed(list(zip(series, colours, strict=True))):
        above = [b + c for b, c in zip(below, widen(counts), strict=True)]
        outline = [(px, y(v)) for px, v in zip(xs, above, strict=True)]
        outline += [(px, y(v)) for px, v in reversed(list(zip(xs, below, strict=True)))]
        hint = tooltip(f"{name}: {number(counts[-1])} on {day_label(days[-1])}")
        parts.append(
            polygon(
                outline,
                hint,
                fill=colour,
                stroke="#fff",
                stroke_width=0.75,
                cls=f"chart-area chart-state-{state_slug(name)}",
            )
        )
        below = above
    return group(parts, "chart-areas")


def _state_colours(names: Sequence[str]) -> list[str]:
    spare = iter(SPARE_COLOURS * (len(names) // len(SPARE_COLOURS) + 1))
    return [STATE_COLOURS.get(state_slug(name)) or next(spare) for name in names]


def _cfd_legend(series, colours, plot: Plot, last_day: date) -> str:
    """The states top to bottom in the order of the stack, each with its count on the last day."""
    x0 = plot.right + 18
    parts = [label(x0, plot.top + 4, f"On {day_label(last_day)}", anchor="start", cls="chart-legend-head")]
    for index, ((name, counts), colour) in enumerate(zip(series, colours, strict=True)):
        middle = plot.top + 26 + index * 20
        slug = state_slug(name)
        parts.append(rect(x0, middle - 6, 14, 12, rx=2, fill=colour, cls=f"chart-swatch chart-state-{slug}"))
        name_text = shorten(name, LEGEND_WIDTH - 62, SMALL)
        parts.append(label(x0 + 20, middle + 4, name_text, anchor="start", fill=INK, cls="chart-legend-text"))
        parts.append(
            label(
                WIDTH - 8,
                middle + 4,
                compact(counts[-1]),
                anchor="end",
                fill=INK,
                weight="600",
                cls="chart-legend-value",
            )
        )
    return group(parts, "chart-legend")


def _cfd_alt(days: Sequence[date], series) -> str:
    latest = ", ".join(f"{number(counts[-1])} {name.lower()}" for name, counts in series if counts[-1])
    span = (
        f"from {day_label(days[0])} to {day_label(days[-1])}" if len(days) > 1 else f"on {day_label(days[0])}"
    )
    return f"Items in each state per day {span}. On {day_label(days[-1])}: {latest or 'no items'}."
