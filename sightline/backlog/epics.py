"""Writes to epics, the features of a project. Where an epic goes on the roadmap (its release) is the
roadmap's business."""

from django.db import transaction

from sightline.audit.services import audit_record
from sightline.backlog import ranking
from sightline.backlog.models import Epic, Priority
from sightline.backlog.services import _check_choice, _clean_title
from sightline.projects.models import Membership
from sightline.projects.policy import require


@transaction.atomic
def epic_create(
    *,
    actor,
    membership: Membership,
    title: str,
    description: str = "",
    business_value: str = "",
    priority: str = Priority.MEDIUM,
    colour: str = "#4f6bed",
) -> Epic:
    require(membership, "epic.manage")
    title = _clean_title(title)
    _check_choice(priority, Priority, "priority")
    last = (
        Epic.objects.filter(project=membership.project).order_by("rank").values_list("rank", flat=True).last()
    )
    epic = Epic.objects.create(
        project=membership.project,
        title=title,
        description=description,
        business_value=business_value,
        priority=priority,
        colour=colour,
        rank=(last or 0) + ranking.GAP,
    )
    audit_record(
        actor=actor,
        project=membership.project,
        action="epic.created",
        target=epic,
        changes={"title": [None, title]},
    )
    return epic
