"""Writes to epics, the features of a project: create, edit and reorder them. Where an epic goes on the
roadmap (its release) is the roadmap's business, not edited here."""

from typing import Any

from django.db import transaction
from django.db.models import Q

from sightline.audit.services import audit_record, diff, snapshot
from sightline.backlog import ranking
from sightline.backlog.models import Epic, Priority
from sightline.backlog.services import _check_choice, _clean_title, require_same_project
from sightline.lib.errors import InvalidInput
from sightline.projects.models import Membership
from sightline.projects.policy import require

EPIC_FIELDS = ("title", "description", "business_value", "priority")
DIRECTIONS = ("up", "down", "top", "bottom")
RELEASE_ON_ROADMAP = "An epic's release changes on the roadmap, not here."


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


@transaction.atomic
def epic_update(*, actor, membership: Membership, epic: Epic, changes: dict[str, Any]) -> Epic:
    """Edit an epic's title, description, business value or priority. Its release is not edited here: it
    changes on the roadmap (through a change request the client PO approves, where the project has one)."""
    require(membership, "epic.manage")
    epic = Epic.objects.select_for_update().get(pk=epic.pk)
    require_same_project(membership, epic.project_id)
    unknown = sorted(set(changes) - set(EPIC_FIELDS))
    if unknown:
        why = f" {RELEASE_ON_ROADMAP}" if {"release", "release_id"} & set(unknown) else ""
        raise InvalidInput(f"These fields cannot be edited: {', '.join(unknown)}.{why}", field=unknown[0])
    if "title" in changes:
        changes["title"] = _clean_title(changes["title"])
    if "priority" in changes:
        _check_choice(changes["priority"], Priority, "priority")
    before = snapshot(epic, changes)
    for field, value in changes.items():
        setattr(epic, field, value)
    delta = diff(before, snapshot(epic, changes))
    if delta:
        epic.save(update_fields=list(delta))
        audit_record(
            actor=actor, project=membership.project, action="epic.updated", target=epic, changes=delta
        )
    return epic


def epic_position(epic: Epic) -> int:
    """Where ``epic`` stands among its project's epics (1 is the first)."""
    earlier = Epic.objects.filter(project_id=epic.project_id).filter(
        Q(rank__lt=epic.rank) | Q(rank=epic.rank, id__lt=epic.id)
    )
    return earlier.count() + 1


@transaction.atomic
def epic_move(
    *, actor, membership: Membership, epic: Epic, position: int | None = None, direction: str | None = None
) -> Epic:
    """Move an epic among its project's epics: to ``position`` (1-based), or one ``direction`` — up,
    down, top or bottom. The order of epics is the order of features on the roadmap and in forecasts."""
    require(membership, "epic.rank")
    require_same_project(membership, epic.project_id)
    if (position is None) == (direction is None):
        raise InvalidInput(
            "Say where to move the epic: up, down, top, bottom or a position.", field="position"
        )
    if direction is not None and direction not in DIRECTIONS:
        raise InvalidInput("Move an epic up, down, to the top or the bottom.", field="direction")
    if position is not None and position < 1:
        raise InvalidInput("Position must be 1 or more.", field="position")
    # The project's epics, locked in rank order: a move is worked out from the order as it is now.
    epics = list(Epic.objects.select_for_update().filter(project_id=epic.project_id).order_by("rank", "id"))
    epic = next(e for e in epics if e.pk == epic.pk)  # its rank as it is now
    others = [e for e in epics if e.pk != epic.pk]
    current = epics.index(epic) + 1
    steps = {"up": current - 1, "down": current + 1, "top": 1, "bottom": len(epics)}
    target = min(max(steps[direction] if direction else position or current, 1), len(epics))
    if target == current:
        return epic
    old_rank = epic.rank
    epic.rank, respaced = ranking.rank_epic_at(epic, target, others)
    if respaced:
        Epic.objects.bulk_update(respaced, ["rank"])
    epic.save(update_fields=["rank"])
    audit_record(
        actor=actor,
        project=membership.project,
        action="epic.ranked",
        target=epic,
        changes={"rank": [old_rank, epic.rank]},
        note=f"Moved from position {current} to {target}",
    )
    return epic
