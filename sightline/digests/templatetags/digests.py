from django import template

from sightline.digests.services import last_goal_share

register = template.Library()


@register.simple_tag
def goal_share_of(sprint):
    """The last time the draft goal of ``sprint`` was shared with the client, or None."""
    return last_goal_share(sprint)
