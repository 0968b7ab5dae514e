"""Writes to the backlog's items: create and edit them with their acceptance criteria, comment on them,
move them in the ranking; and the checks the other backlog writes share (title, choices, criteria, the
acting member's project, the version read).

Subtasks are written in ``subtasks``, item templates in ``item_templates``, epics in ``epics``, status
changes in ``transitions``."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F

from sightline.audit.services import audit_record, diff, snapshot
from sightline.backlog import ranking
from sightline.backlog.estimates import check_estimate
from sightline.backlog.models import (
    TITLE_MAX,
    AcceptanceCriterion,
    Comment,
    Epic,
    Item,
    ItemTemplate,
    ItemType,
    Priority,
    Status,
)
from sightline.lib.errors import DomainError, InvalidInput, StaleVersion
from sightline.projects.models import Membership, Project
from sightline.projects.policy import require

EDITABLE_FIELDS = (
    "type",
    "title",
    "user_story",
    "description",
    "priority",
    "points",
    "estimate_hours",
    "epic",
    "assignee",
    "labels",
)


def _clean_title(title: str) -> str:
    title = (title or "").strip()
    if not title:
        raise InvalidInput("Title is required.", field="title")
    if len(title) > TITLE_MAX:
        raise InvalidInput(
            f"Title must be at most {TITLE_MAX} characters (it has {len(title)}).", field="title"
        )
    return title


def _check_choice(value: str, choices, field: str) -> None:
    if value not in choices.values:
        raise InvalidInput(
            f"Unknown {field} {value!r}; expected one of: {', '.join(choices.values)}.", field=field
        )


def _clean_criteria(criteria: list[str]) -> list[str]:
    return [text.strip() for text in criteria if text and text.strip()]


@transaction.atomic
def item_create(
    *,
    actor,
    membership: Membership,
    title: str,
    type: str = ItemType.STORY,
    priority: str = Priority.MEDIUM,
    user_story: str = "",
    description: str = "",
    points=None,
    estimate_hours=None,
    epic: Epic | None = None,
    assignee=None,
    labels: list[str] | None = None,
    criteria: list[str] | None = None,
    use_template: bool = False,
) -> Item:
    require(membership, "item.create")
    project = membership.project
    title = _clean_title(title)
    _check_choice(type, ItemType, "type")
    _check_choice(priority, Priority, "priority")
    check_estimate(points, "points", project.estimate_unit)
    check_estimate(estimate_hours, "estimate_hours", project.estimate_unit)
    if epic is not None and epic.project_id != project.pk:
        raise InvalidInput("The epic belongs to another project.", field="epic")
    if use_template:
        template = ItemTemplate.objects.filter(project=project, type=type).first()
        if template is not None:
            user_story = user_story or template.user_story
            description = description or template.description
            criteria = criteria or list(template.criteria)
    Project.objects.filter(pk=project.pk).update(item_sequence=F("item_sequence") + 1)
    number = Project.objects.values_list("item_sequence", flat=True).get(pk=project.pk)
    item = Item.objects.create(
        project=project,
        number=number,
        key=f"{project.key}-{number}",
        type=type,
        title=title,
        user_story=user_story,
        description=description,
        priority=priority,
        points=points,
        estimate_hours=estimate_hours,
        epic=epic,
        assignee=assignee,
        labels=labels or [],
        rank=ranking.rank_for_new_item(project.pk),
        created_by=actor,
    )
    texts = _clean_criteria(criteria or [])
    AcceptanceCriterion.objects.bulk_create(
        [AcceptanceCriterion(item=item, position=i, text=t) for i, t in enumerate(texts)]
    )
    audit_record(
        actor=actor,
        project=project,
        item=item,
        action="item.created",
        target=item,
        changes={"title": [None, title], "type": [None, type], "priority": [None, priority]},
    )
    return item


def _lock(item: Item) -> Item:
    return Item.objects.select_for_update(of=("self",)).select_related("project", "sprint").get(pk=item.pk)


def require_same_project(membership: Membership | None, project_id: int) -> None:
    """Services act only inside the acting member's own project (views reach them through it)."""
    if membership is None or membership.project_id != project_id:
        raise PermissionDenied("This belongs to another project.")


def check_version(item: Item, expected: int | None) -> None:
    if expected is not None and item.version != expected:
        raise StaleVersion(
            f"{item.key} was changed by someone else (version {item.version}, yours {expected}). "
            "Reload it and apply your change again.",
            current_version=item.version,
        )


def _save(item: Item, fields: list[str]) -> None:
    item.version += 1
    item.save(update_fields=[*fields, "version", "updated_at"])


def check_item_changes(item: Item, changes: dict[str, Any]) -> dict[str, Any]:
    """``changes`` checked against the item's rules (title cleaned): raises InvalidInput naming the field."""
    changes = dict(changes)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise InvalidInput(
            f"These fields cannot be edited: {', '.join(sorted(unknown))}.", field=sorted(unknown)[0]
        )
    if "title" in changes:
        changes["title"] = _clean_title(changes["title"])
    if "type" in changes:
        _check_choice(changes["type"], ItemType, "type")
    if "priority" in changes:
        _check_choice(changes["priority"], Priority, "priority")
    for field in ("points", "estimate_hours"):
        if field in changes and changes[field] != getattr(item, field):
            check_estimate(changes[field], field, item.project.estimate_unit)
    if changes.get("epic") is not None and changes["epic"].project_id != item.project_id:
        raise InvalidInput("The epic belongs to another project.", field="epic")
    return changes


@transaction.atomic
def item_update(
    *,
    actor,
    membership: Membership,
    item: Item,
    version: int | None,
    changes: dict[str, Any],
    criteria: list[str] | None = None,
) -> Item:
    """Edit an item's fields. ``version`` is the one the editor read: a stale one raises StaleVersion."""
    only_priority = set(changes) <= {"priority"} and criteria is None
    require(membership, "item.prioritise" if only_priority else "item.edit")
    item = _lock(item)
    require_same_project(membership, item.project_id)
    check_version(item, version)
    return _apply_changes(actor, item, changes, criteria)


def _apply_changes(actor, item: Item, changes: dict[str, Any], criteria=None, note: str = "") -> Item:
    """Check and write ``changes`` (and the criteria, when given) to the locked ``item``; audit the delta."""
    changes = check_item_changes(item, changes)
    before = snapshot(item, changes)
    for field, value in changes.items():
        setattr(item, field, value)
    delta = diff(before, snapshot(item, changes))
    if criteria is not None:
        old = list(item.criteria.values_list("text", flat=True))
        new = _clean_criteria(criteria)
        if old != new:
            delta["criteria"] = [old, new]
    check_open_for_edit(item, delta)
    if "criteria" in delta:
        _replace_criteria(item, *delta["criteria"])
    if delta:
        _save(item, [f for f in changes if f in delta])
        audit_record(
            actor=actor,
            project=item.project,
            item=item,
            action="item.updated",
            target=item,
            changes=delta,
            note=note,
        )
    return item


# What the client accepted: once an item is accepted (Done), these stay as they were. Its priority, epic,
# assignee and labels may still change; further work goes in a new item.
FINAL_WHEN_ACCEPTED = {
    "type": "type",
    "title": "title",
    "user_story": "user story",
    "description": "description",
    "criteria": "acceptance criteria",
    "points": "points",
    "estimate_hours": "hours",
}


def check_open_for_edit(item: Item, changed) -> None:
    """Refuse to change what the client accepted on an accepted item (``changed``: the field names)."""
    if item.status != Status.ACCEPTED:
        return
    final = [name for name in FINAL_WHEN_ACCEPTED if name in changed]
    if final:
        what = ", ".join(FINAL_WHEN_ACCEPTED[name] for name in final)
        raise DomainError(
            f"{item.key} is accepted (Done): the client accepted it as it is, so its {what} can no longer "
            "change. Open a new item for further work.",
            field=final[0],
        )


@transaction.atomic
def item_admin_update(*, actor, item: Item, changes: dict[str, Any]) -> Item:
    """A site administrator corrects an item's editable fields in the Django admin (where nobody is a
    project member): the same rules as ``item_update``, the version bumped, the change audited."""
    if not actor.has_perm("backlog.change_item"):
        raise PermissionDenied("Only site administrators may change items in the admin.")
    return _apply_changes(actor, _lock(item), changes, note="Changed in the site administration.")


def _replace_criteria(item: Item, old: list[str], new: list[str]) -> None:
    """Keep the ticks of criteria whose text did not change."""
    met = dict(item.criteria.values_list("text", "met"))
    item.criteria.all().delete()
    AcceptanceCriterion.objects.bulk_create(
        [AcceptanceCriterion(item=item, position=i, text=t, met=met.get(t, False)) for i, t in enumerate(new)]
    )


def _move_note(*, to_top: bool, position: int | None, before: Item | None, after: Item | None) -> str:
    """Where a move put the item, as asked (``ranking.move_item`` refuses a move that names no place)."""
    if to_top:
        return "Moved to top"
    if position:
        return f"Moved to position {position}"
    if after is not None:
        return f"Moved to after {after.key}"
    if before is not None:
        return f"Moved to before {before.key}"
    return "Moved"


@transaction.atomic
def item_move(
    *,
    actor,
    membership: Membership,
    item: Item,
    to_top: bool = False,
    before: Item | None = None,
    after: Item | None = None,
    position: int | None = None,
) -> Item:
    """Re-rank an item; writes the item's row (plus, rarely, a bounded window of neighbours)."""
    require(membership, "item.rank")
    item = _lock(item)
    require_same_project(membership, item.project_id)
    # Neighbours as they are now, not as the caller read them: another move may have re-ranked them.
    before, after = (_lock(n) if n is not None else None for n in (before, after))
    old_rank = item.rank
    item.rank = ranking.move_item(item=item, to_top=to_top, before=before, after=after, position=position)
    if item.rank != old_rank:
        _save(item, ["rank"])
        audit_record(
            actor=actor,
            project=item.project,
            item=item,
            action="item.ranked",
            target=item,
            changes={"rank": [old_rank, item.rank]},
            note=_move_note(to_top=to_top, position=position, before=before, after=after),
        )
    return item


@transaction.atomic
def comment_add(*, actor, membership: Membership, item: Item, body: str, internal: bool = False) -> Comment:
    require(membership, "item.comment_internal" if internal else "item.comment")
    require_same_project(membership, item.project_id)
    body = (body or "").strip()
    if not body:
        raise InvalidInput("A comment needs some text.", field="body")
    comment = Comment.objects.create(item=item, author=actor, body=body, internal=internal)
    audit_record(
        actor=actor,
        project=item.project,
        item=item,
        action="comment.added",
        target=comment,
        internal=internal,
        note=body[:200],
    )
    return comment


__all__ = [
    "DomainError",
    "check_open_for_edit",
    "check_version",
    "comment_add",
    "check_item_changes",
    "item_admin_update",
    "item_create",
    "item_move",
    "item_update",
]
