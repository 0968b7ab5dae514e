"""SVG pieces for the forecast charts: the palette, numbers and dates in words, elements and the frame.

Strings in, strings out. Every piece of text goes through ``html.escape``; colours are presentation
attributes (the stylesheet overrides them for print) and every element carries a ``chart-*`` class.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from html import escape

WIDTH = 720
FONT = 12
SMALL = 11
LINE_HEIGHT = 14
FONT_FAMILY = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'

# The palette of sightline.css: ink, muted text, hairlines, the accent blue, danger red, warn amber.
INK = "#1d2433"
MUTED = "#5b6474"
AXIS = "#98a2b3"
GRID = "#e6e9ef"
ACCENT = "#2f5bd3"
ACCENT_DARK = "#1e4fb8"
ACCENT_SOFT = "#9bb4f5"
LATE = "#e8a39b"
DANGER = "#b42318"
WARN = "#a15c00"
BAND = "#f3d98b"

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class Chart:
    svg: str  # the complete <svg> element
    alt: str  # one or two plain sentences summarising it
    table: tuple[tuple[str, ...], ...]  # header row first, then the data behind it


# --- Numbers and dates in words -----------------------------------------------------------------


def day_label(day: date, *, with_year: bool = False) -> str:
    """12 Jan (or 12 Jan 2027): the same in every locale."""
    label = f"{day.day} {MONTHS[day.month - 1]}"
    return f"{label} {day.year}" if with_year else label


def number(value: float) -> str:
    """A figure for tables and labels: 3, 2.5, 12,480 (one decimal at most)."""
    if not math.isfinite(value):
        return "–"
    rounded = round(value, 1)
    if rounded == int(rounded):
        return f"{int(rounded):,}"
    return f"{rounded:,.1f}"


def compact(value: float) -> str:
    """A figure short enough for an axis: 950, 12.5k, 3.2M, 1.1B."""
    if not math.isfinite(value):
        return "–"
    for limit, divisor, suffix in ((1e9, 1e9, "B"), (1e6, 1e6, "M"), (1e4, 1e3, "k")):
        if abs(value) >= limit:
            return f"{value / divisor:.1f}".removesuffix(".0") + suffix
    return number(value)


def percent(share: float) -> str:
    """0.724 → "72 %"; just above 0 or just below 1 keeps a decimal so it never reads 0 % or 100 %."""
    value = share * 100
    if 0 < value < 1 or 99 < value < 100:
        return f"{value:.1f}\u00a0%"
    return f"{round(value)}\u00a0%"


def text_width(text: str, size: float = FONT) -> float:
    """An estimate of rendered width in user units (system sans fonts average ~0.58 em per glyph)."""
    return len(text) * size * 0.58


def shorten(text: str, width: float, size: float = FONT) -> str:
    """Cut ``text`` with an ellipsis so it fits ``width``."""
    if text_width(text, size) <= width:
        return text
    keep = max(1, int(width / (size * 0.58)) - 1)
    return text[:keep].rstrip() + "…"


def wrap_two_lines(text: str, width: float, size: float = SMALL) -> list[str]:
    """One line if it fits, else two (split at the last space that fits), each shortened to fit."""
    if text_width(text, size) <= width:
        return [text]
    words = text.split()
    for cut in range(len(words) - 1, 0, -1):
        first = " ".join(words[:cut])
        if text_width(first, size) <= width:
            return [first, shorten(" ".join(words[cut:]), width, size)]
    return [shorten(text, width, size)]


# --- Elements -----------------------------------------------------------------------------------


def fmt(value: float) -> str:
    """A coordinate: at most one decimal, no trailing zero."""
    rounded = round(value, 1)
    if rounded == int(rounded):
        return str(int(rounded))
    return f"{rounded:.1f}"


def _attributes(attrs: dict[str, object]) -> str:
    parts = []
    for key, value in attrs.items():
        if value is None:
            continue
        name = "class" if key == "cls" else key.replace("_", "-")
        shown = fmt(value) if isinstance(value, float) else str(value)
        parts.append(f' {name}="{escape(shown, quote=True)}"')
    return "".join(parts)


def element(tag: str, content: str = "", /, **attrs: object) -> str:
    """``<tag attrs>content</tag>`` (self-closing when empty); ``cls`` is class, ``_`` in names is ``-``.

    ``content`` is markup: escape text before passing it.
    """
    if content:
        return f"<{tag}{_attributes(attrs)}>{content}</{tag}>"
    return f"<{tag}{_attributes(attrs)}/>"


def line(x1: float, y1: float, x2: float, y2: float, /, **attrs: object) -> str:
    return element("line", x1=float(x1), y1=float(y1), x2=float(x2), y2=float(y2), **attrs)


def rect(x: float, y: float, width: float, height: float, content: str = "", /, **attrs: object) -> str:
    return element("rect", content, x=float(x), y=float(y), width=float(width), height=float(height), **attrs)


def points(coordinates: Sequence[tuple[float, float]]) -> str:
    return " ".join(f"{fmt(x)},{fmt(y)}" for x, y in coordinates)


def polyline(coordinates: Sequence[tuple[float, float]], **attrs: object) -> str:
    return element("polyline", points=points(coordinates), fill="none", stroke_linejoin="round", **attrs)


def polygon(coordinates: Sequence[tuple[float, float]], content: str = "", **attrs: object) -> str:
    return element("polygon", content, points=points(coordinates), **attrs)


def group(parts: Sequence[str], cls: str) -> str:
    return element("g", "".join(parts), cls=cls)


def label(
    x: float,
    y: float,
    content: str,
    *,
    size: float = SMALL,
    anchor: str = "middle",
    fill: str = MUTED,
    cls: str = "chart-label",
    weight: str | None = None,
    halo: bool = False,
) -> str:
    """A text label; ``halo`` draws a white outline behind it so it reads over lines and areas."""
    outline = {"stroke": "#fff", "stroke_width": 3, "stroke_linejoin": "round", "paint_order": "stroke"}
    return element(
        "text",
        escape(content),
        x=float(x),
        y=float(y),
        font_size=size,
        text_anchor=anchor,
        fill=fill,
        font_weight=weight,
        cls=cls,
        **(outline if halo else {}),
    )


def tooltip(content: str) -> str:
    """A <title> child: the browser shows it on hover."""
    return element("title", escape(content))


# --- The frame ----------------------------------------------------------------------------------


def frame(kind: str, *, height: float, title: str, desc: str, body: str) -> str:
    """The complete ``<svg>``: role="img", labelled by its <title> and <desc>, scaling to its container."""
    uid = f"chart-{kind}-" + hashlib.blake2s((title + desc + body).encode(), digest_size=5).hexdigest()
    head = element("title", escape(title), id=f"{uid}-title") + element(
        "desc", escape(desc), id=f"{uid}-desc"
    )
    return element(
        "svg",
        head + body,
        xmlns="http://www.w3.org/2000/svg",
        viewBox=f"0 0 {WIDTH} {fmt(height)}",
        width="100%",
        preserveAspectRatio="xMidYMid meet",
        role="img",
        aria_labelledby=f"{uid}-title {uid}-desc",
        cls=f"chart-svg chart-{kind}",
        font_family=FONT_FAMILY,
        font_size=FONT,
    )


def empty_chart(kind: str, *, title: str, message: str, detail: str, header: tuple[str, ...]) -> Chart:
    """A small chart that says plainly why there is nothing to draw yet."""
    height = 150.0
    body = (
        rect(
            1,
            1,
            WIDTH - 2,
            height - 2,
            rx=8,
            fill="#f6f7fa",
            stroke="#c3cad6",
            stroke_dasharray="5 4",
            cls="chart-empty-box",
        )
        + label(
            WIDTH / 2, height / 2 - 4, message, size=15, fill=INK, weight="600", cls="chart-empty-message"
        )
        + label(WIDTH / 2, height / 2 + 18, detail, size=FONT, cls="chart-empty-detail")
    )
    alt = f"{message}. {detail}"
    return Chart(frame(kind, height=height, title=title, desc=alt, body=body), alt, (header,))
