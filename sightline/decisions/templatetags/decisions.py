"""Template tags for decisions: ``{% load decisions %}``."""

from django import template

from sightline.decisions.selectors import blocking_decisions_of

register = template.Library()


@register.simple_tag
def blocking_decisions(item):
    """The open decisions blocking ``item`` (prefetched on lists: see ``with_blocking_decisions``)."""
    return blocking_decisions_of(item)
