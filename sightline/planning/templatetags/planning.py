"""Filters for the planning pages: amounts of points or hours, and shares as percentages."""

from django import template

from sightline.lib.numbers import plain_number
from sightline.planning.services import percent

register = template.Library()


@register.filter
def amount(value) -> str:
    """12.0 → "12", 12.345 → "12.3"; empty for None."""
    if value is None or value == "":
        return ""
    return plain_number(round(float(value), 1))


@register.filter
def share(value) -> str:
    """0.62 → "62 %"; "—" for None."""
    if value is None:
        return "—"
    return percent(float(value))


@register.filter
def unit_word(unit: str, value=None) -> str:
    """ "points"/"hours", singular for exactly 1."""
    if value is not None and float(value) == 1:
        return unit.rstrip("s")
    return unit


@register.filter
def shift_in_days(days) -> str:
    """-12 → "12 days earlier", 1 → "1 day later", 0 → "no change"; "—" for None."""
    if days is None:
        return "—"
    if days == 0:
        return "no change"
    n = abs(days)
    return f"{n} day{'s' if n != 1 else ''} {'earlier' if days < 0 else 'later'}"
