"""Writes to an item's subtasks: add one, tick it done or open it again."""

from django.db import transaction

from sightline.audit.services import audit_record
from sightline.backlog.models import Item, Subtask
from sightline.backlog.services import _clean_title, require_same_project
from sightline.lib.errors import InvalidInput
from sightline.projects.models import Membership
from sightline.projects.policy import require


def _check_subtask_hours(value) -> None:
    if value is not None and value <= 0:
        raise InvalidInput(
            "Hours: a subtask's estimate must be more than 0 (leave it empty while it is not estimated).",
            field="estimate_hours",
        )


@transaction.atomic
def subtask_add(
    *, actor, membership: Membership, item: Item, title: str, estimate_hours=None, assignee=None
) -> Subtask:
    require(membership, "item.edit")
    require_same_project(membership, item.project_id)
    title = _clean_title(title)
    _check_subtask_hours(estimate_hours)
    position = item.subtasks.count()
    subtask = Subtask.objects.create(
        item=item, title=title, estimate_hours=estimate_hours, assignee=assignee, position=position
    )
    audit_record(
        actor=actor,
        project=item.project,
        item=item,
        action="subtask.added",
        target=subtask,
        changes={"title": [None, title], "estimate_hours": [None, str(estimate_hours)]},
    )
    return subtask


@transaction.atomic
def subtask_toggle(*, actor, membership: Membership, subtask: Subtask) -> Subtask:
    require(membership, "item.work")
    require_same_project(membership, subtask.item.project_id)
    subtask.done = not subtask.done
    subtask.save(update_fields=["done"])
    audit_record(
        actor=actor,
        project=subtask.item.project,
        item=subtask.item,
        action="subtask.updated",
        target=subtask,
        changes={"done": [not subtask.done, subtask.done]},
    )
    return subtask
