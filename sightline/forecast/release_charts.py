"""Charts of a release's forecast: the burn-up with the forecast cone, and the histogram of finish dates."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sightline.forecast.chart_layout import (
    RIGHT,
    Header,
    LegendEntry,
    Marker,
    Plot,
    Scale,
    date_axis,
    date_tick_labels,
    every_nth,
    header_layout,
    left_margin,
    markers,
    nice_ticks,
    tick_row,
    y_axis,
)
from sightline.forecast.svg import (
    ACCENT,
    ACCENT_DARK,
    ACCENT_SOFT,
    DANGER,
    INK,
    LATE,
    MUTED,
    SMALL,
    Chart,
    day_label,
    element,
    empty_chart,
    frame,
    group,
    line,
    number,
    percent,
    polygon,
    polyline,
    rect,
    text_width,
    tooltip,
)

HEIGHT = 320.0
BURNUP_HEIGHT = 340.0


@dataclass(frozen=True)
class BurnupPoint:
    day: date
    done: float
    scope: float


def _percentiles(p50: date | None, p85: date | None, p95: date | None) -> list[tuple[str, date]]:
    return [(name, day) for name, day in (("P50", p50), ("P85", p85), ("P95", p95)) if day is not None]


def _percentile_marks(forecast: Sequence[tuple[str, date]]) -> list[tuple[str, date, str]]:
    """Percentiles on the same date share one marker: ("P85/P95", day, "chart-p85 chart-p95")."""
    by_day: dict[date, list[str]] = {}
    for name, day in forecast:
        by_day.setdefault(day, []).append(name)
    return [
        ("/".join(names), day, " ".join(f"chart-{name.lower()}" for name in names))
        for day, names in by_day.items()
    ]


def _target_marker(x: Scale, target_date: date) -> Marker:
    return Marker(x(target_date), f"Target {day_label(target_date)}", DANGER, "chart-target", "6 3")


# --- Burn-up ------------------------------------------------------------------------------------


def burnup_chart(
    points: Sequence[BurnupPoint],
    *,
    today: date,
    p50: date | None,
    p85: date | None,
    p95: date | None,
    target_date: date | None,
    unit: str = "points",
) -> Chart:
    """Done and scope over time; from today's done, the forecast cone to P50, P85 and P95 at today's scope."""
    header = ("Date", f"Done ({unit})", f"Scope ({unit})")
    title = f"Burn-up: {unit} done against scope, with the forecast"
    if not points:
        return empty_chart(
            "burnup",
            title=title,
            message="No history yet",
            header=header,
            detail="The burn-up appears once the release has history.",
        )
    points = sorted(points, key=lambda point: point.day)
    now = next((point for point in reversed(points) if point.day <= today), points[-1])
    forecast = _percentiles(p50, p85, p95)
    ticks = nice_ticks(max(max(p.scope for p in points), max(p.done for p in points)) * 1.08)
    left = left_margin(ticks)
    start = points[0].day
    end = max([points[-1].day, today, *(day for _, day in forecast), *([target_date] if target_date else [])])
    end = max(end, start + timedelta(days=7))
    pad = timedelta(days=max(1, round((end - start).days * 0.03)))
    x = Scale(start.toordinal(), (end + pad).toordinal(), left, RIGHT)

    entries = [
        LegendEntry("Done", ACCENT, "line", "chart-done"),
        LegendEntry("Scope", INK, "line", "chart-scope"),
    ]
    if forecast:
        entries.append(LegendEntry("Forecast (P50–P95)", ACCENT_SOFT, "band", "chart-cone"))
    marks = _burnup_marks(x, today, forecast, target_date)
    layout = header_layout(entries, marks, left=left, bottom=BURNUP_HEIGHT - 34)
    y = Scale(0, ticks[-1], layout.plot.bottom, layout.plot.top)
    parts = [
        layout.legend,
        y_axis(layout.plot, y, ticks, title=unit.capitalize()),
        _lines(points, x, y, layout.plot),
        markers(layout, marks),
        _cone(x, y, today, now, forecast),
        date_axis(layout.plot, x, start, end),
    ]
    alt = _burnup_alt(now, forecast, target_date, unit)
    table = (header, *((day_label(p.day, with_year=True), number(p.done), number(p.scope)) for p in points))
    return Chart(
        frame("burnup", height=BURNUP_HEIGHT, title=title, desc=alt, body="".join(parts)), alt, table
    )


def _burnup_marks(x: Scale, today: date, forecast, target_date: date | None) -> list[Marker]:
    marks = [Marker(x(today), "Today", MUTED, "chart-today", "2 3")]
    marks += [
        Marker(x(day), f"{names} {day_label(day)}", ACCENT_DARK, f"chart-percentile {classes}", "2 3")
        for names, day, classes in _percentile_marks(forecast)
    ]
    if target_date is not None:
        marks.append(_target_marker(x, target_date))
    return marks


def _lines(points: Sequence[BurnupPoint], x: Scale, y: Scale, plot: Plot) -> str:
    scope = [(x(p.day), y(p.scope)) for p in points]
    done = [(x(p.day), y(p.done)) for p in points]
    under_done = [*done, (done[-1][0], plot.bottom), (done[0][0], plot.bottom)]
    return group(
        [
            polygon(under_done, fill=ACCENT, fill_opacity=0.08, cls="chart-done-area"),
            polyline(scope, stroke=INK, stroke_width=2, cls="chart-scope"),
            polyline(done, stroke=ACCENT, stroke_width=2.5, cls="chart-done"),
        ],
        "chart-history",
    )


def _cone(x: Scale, y: Scale, today: date, now: BurnupPoint, forecast: Sequence[tuple[str, date]]) -> str:
    """The shaded cone from (today, done) to the percentile dates at today's scope; the scope carried on."""
    if not forecast:
        return ""
    origin = (x(today), y(now.done))
    days = [day for _, day in forecast]
    scope_y = y(now.scope)
    cone = [origin, (x(min(days)), scope_y), (x(max(days)), scope_y)]
    parts = [
        polygon(cone, fill=ACCENT_SOFT, fill_opacity=0.35, cls="chart-cone"),
        line(
            x(today),
            scope_y,
            x(max(days)),
            scope_y,
            stroke=INK,
            stroke_width=1.5,
            stroke_dasharray="4 4",
            cls="chart-scope chart-projection",
        ),
    ]
    dashed = {"stroke": ACCENT_DARK, "stroke_width": 1, "stroke_opacity": 0.7, "stroke_dasharray": "3 3"}
    parts += [line(*origin, x(day), scope_y, cls="chart-cone-line", **dashed) for day in days]
    parts += [
        element(
            "circle",
            cx=x(day),
            cy=scope_y,
            r=4,
            fill="#fff",
            stroke=ACCENT_DARK,
            stroke_width=2,
            cls=f"chart-percentile chart-{name.lower()}",
        )
        for name, day in forecast
    ]
    return group(parts, "chart-forecast")


def _burnup_alt(now: BurnupPoint, forecast, target_date: date | None, unit: str) -> str:
    text = f"{number(now.done)} of {number(now.scope)} {unit} done on {day_label(now.day)}."
    days = {day for _, day in forecast}
    if len(days) == 1:
        names = _and([name for name, _ in forecast])
        text += f" The forecast finishes on {day_label(forecast[0][1])} ({names})."
    elif forecast:
        (first_name, first_day), (last_name, last_day) = forecast[0], forecast[-1]
        p85 = dict(forecast).get("P85")
        text += (
            f" The forecast finishes between {day_label(first_day)} ({first_name}) and {day_label(last_day)} "
        )
        text += f"({last_name}), {day_label(p85)} at 85 % confidence." if p85 else f"({last_name})."
    if target_date is not None:
        text += f" The target date is {day_label(target_date)}."
    return text


def _and(words: Sequence[str]) -> str:
    """["half", "85 %", "95 %"] → "half, 85 % and 95 %"."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


# --- Forecast histogram -------------------------------------------------------------------------


def histogram_chart(
    bins: Sequence[tuple[date, int]],
    *,
    p50: date | None,
    p85: date | None,
    p95: date | None,
    target_date: date | None,
    trials: int,
    period: str = "sprint",
) -> Chart:
    """Trials finishing in each period (a bar at the period's end date), the percentiles and the target."""
    header = ("Finishes by", "Trials", "Share", "Cumulative share")
    title = "Forecast: when the release finishes across the simulated trials"
    bins = sorted(bins)
    if not bins or trials <= 0 or not any(count for _, count in bins):
        return empty_chart(
            "histogram",
            title=title,
            message="No forecast yet",
            header=header,
            detail="The forecast needs remaining scope and a velocity to simulate.",
        )
    days = [day for day, _ in bins]
    gap = min(((b - a).days for a, b in zip(days, days[1:], strict=False)), default=14) or 1
    forecast = _percentiles(p50, p85, p95)
    start = days[0] - timedelta(days=gap)
    end = max([days[-1], *(day for _, day in forecast), *([target_date] if target_date else [])])
    ticks = nice_ticks(min(max(count for _, count in bins) / trials * 110, 100))
    left = left_margin(ticks, _percent_tick)
    x = Scale(start.toordinal(), (end + timedelta(days=gap)).toordinal(), left, RIGHT)

    marks = [
        Marker(x(day), f"{names} {day_label(day)}", INK, f"chart-percentile {classes}", "4 3")
        for names, day, classes in _percentile_marks(forecast)
    ]
    if target_date is not None:
        marks.append(_target_marker(x, target_date))
    layout = header_layout(_histogram_legend(days, target_date, period), marks, left=left, bottom=HEIGHT - 34)
    y = Scale(0, ticks[-1], layout.plot.bottom, layout.plot.top)

    parts = [layout.legend, y_axis(layout.plot, y, ticks, title="Share of trials", tick_text=_percent_tick)]
    parts.append(_histogram_bars(bins, trials, x, y, layout, gap, target_date))
    parts.append(markers(layout, marks))
    parts.append(_bin_axis(layout.plot, x, days))

    alt = _histogram_alt(bins, forecast, target_date, trials)
    return Chart(
        frame("histogram", height=HEIGHT, title=title, desc=alt, body="".join(parts)),
        alt,
        (header, *_histogram_rows(bins, trials)),
    )


def _percent_tick(value: float) -> str:
    return f"{number(value)}\u00a0%"


def _histogram_legend(days: Sequence[date], target_date: date | None, period: str) -> list[LegendEntry]:
    if target_date is None:
        return [LegendEntry(f"Trials finishing in the {period} ending that day", ACCENT, cls="chart-bar")]
    entries = []
    if any(day <= target_date for day in days):
        entries.append(LegendEntry("Finishes by the target date", ACCENT, cls="chart-bar chart-on-target"))
    if any(day > target_date for day in days):
        entries.append(LegendEntry("Finishes after the target date", LATE, cls="chart-bar chart-late"))
    return entries


def _histogram_bars(bins, trials: int, x: Scale, y: Scale, layout: Header, gap: int, target_date) -> str:
    width = max(min(x(gap * 0.72) - x(0), 80), 2.0)
    bottom = layout.plot.bottom
    parts = []
    for day, count in bins:
        late = target_date is not None and day > target_date
        top = y(count / trials * 100)
        hint = tooltip(
            f"{day_label(day, with_year=True)}: {number(count)} of {number(trials)} trials "
            f"({percent(count / trials)})"
        )
        shape = rect(
            x(day) - width / 2,
            top,
            width,
            bottom - top,
            rx=1.5,
            fill=LATE if late else ACCENT,
            cls="chart-bar chart-late" if late else "chart-bar",
        )
        parts.append(group([hint, shape], "chart-bar-group"))
    return group(parts, "chart-bars")


def _bin_axis(plot: Plot, x: Scale, days: Sequence[date]) -> str:
    """Ticks at the period end dates, thinned so the labels never touch."""
    slot = (x(days[-1]) - x(days[0])) / (len(days) - 1) if len(days) > 1 else plot.width
    every = every_nth(slot, text_width("30 Sep", SMALL) + 12)
    labels = date_tick_labels(days)
    return tick_row(plot, [(x(day), labels[i]) for i, day in enumerate(days) if i % every == 0])


def _histogram_rows(bins, trials: int) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    cumulative = 0
    for day, count in bins:
        cumulative += count
        share, so_far = percent(count / trials), percent(cumulative / trials)
        rows.append((day_label(day, with_year=True), number(count), share, so_far))
    return rows


def _histogram_alt(bins, forecast, target_date: date | None, trials: int) -> str:
    words = {"P50": "half", "P85": "85 %", "P95": "95 %"}
    by_day: dict[date, list[str]] = {}
    for name, day in forecast:
        by_day.setdefault(day, []).append(words[name])
    pieces = [f"{_and(shares)} finish by {day_label(day)}" for day, shares in by_day.items()]
    text = f"Of {number(trials)} simulated trials, "
    text += "; ".join(pieces) + "." if pieces else f"the earliest finish by {day_label(bins[0][0])}."
    if target_date is not None:
        on_time = sum(count for day, count in bins if day <= target_date) / trials
        text += f" {percent(on_time)} finish on or before the target date, {day_label(target_date)}."
    return text
