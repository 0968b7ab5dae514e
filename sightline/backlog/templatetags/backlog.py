"""Template filters for backlog pages: ``{% load backlog %}``."""

from django import template

from sightline.lib.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str):
    """Markdown rendered to sanitised HTML."""
    return render_markdown(text or "")


@register.filter
def number(value) -> str:
    """A decimal without trailing zeros (3.0 → 3, 1.5 → 1.5); empty for None."""
    if value is None or value == "":
        return ""
    return f"{value:f}".rstrip("0").rstrip(".") if "." in f"{value:f}" else f"{value}"
