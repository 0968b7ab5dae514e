"""What the item page shows of feedback: where the item came from."""

from django import template

from sightline.feedback.selectors import origin_of

register = template.Library()


@register.simple_tag
def feedback_origin(item):
    """The feedback ``item`` was converted from, or None (one query)."""
    return origin_of(item)
