"""Reads for the backlog pages: the ranked list, an item with what its viewer may see, epics, templates.

Every list here costs a fixed number of queries whatever the size of the backlog.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format

from sightline.accounts.models import User
from sightline.audit.models import AuditEvent
from sightline.backlog.models import Comment, Epic, Item, ItemTemplate, ItemType, Priority, Status
from sightline.projects.models import Membership, Project
from sightline.projects.policy import may

PAGE_SIZE = 100

# Heavy text columns the list never shows.
LIST_DEFERRED = ("description", "user_story", "delivery_note", "rejection_reason", "staging_url", "labels")


# --- The ranked backlog ---------------------------------------------------------------------------


def backlog_queryset(project: Project, filters: dict[str, Any] | None = None) -> QuerySet[Item]:
    """The project's backlog view (everything but closed sprints' items), ranked, narrowed by ``filters``."""
    items = (
        Item.objects.filter(project=project)
        .in_backlog_view()
        .select_related("epic", "sprint")
        .defer(*LIST_DEFERRED)
        .ranked()
    )
    filters = filters or {}
    for name in ("type", "priority", "status"):
        if filters.get(name):
            items = items.filter(**{name: filters[name]})
    if filters.get("epic"):
        items = items.filter(epic=filters["epic"])
    text = (filters.get("q") or "").strip()
    if text:
        items = items.filter(Q(title__icontains=text) | Q(key__icontains=text))
    return items


@dataclass
class BacklogPage:
    rows: list[Item]
    offset: int
    has_more: bool
    next_offset: int


def backlog_page(
    project: Project,
    filters: dict[str, Any],
    *,
    offset: int = 0,
    limit: int = PAGE_SIZE,
    start: int | None = None,
) -> BacklogPage:
    """Rows ``offset``..``offset+limit`` of the backlog, each with its ``position`` in the whole backlog.

    ``start`` (default ``offset``) is where the returned rows begin: a page reloaded without JavaScript
    shows everything from the top down to the rows asked for.
    """
    start = offset if start is None else start
    rows = list(backlog_queryset(project, filters)[start : offset + limit + 1])
    has_more = len(rows) > offset + limit - start
    rows = rows[: offset + limit - start]
    if any(filters.values()):
        positions = backlog_positions(project)
        for row in rows:
            row.position = positions.get(row.pk)
    else:
        for index, row in enumerate(rows, start=start + 1):
            row.position = index
    return BacklogPage(rows=rows, offset=offset, has_more=has_more, next_offset=offset + limit)


def backlog_positions(project: Project) -> dict[int, int]:
    """Each backlog item's 1-based position in the unfiltered backlog (one query of ids)."""
    ids = Item.objects.filter(project=project).in_backlog_view().ranked().values_list("id", flat=True)
    return {pk: index for index, pk in enumerate(ids, start=1)}


def item_position(item: Item) -> int:
    above = (
        Item.objects.filter(project_id=item.project_id)
        .in_backlog_view()
        .filter(Q(rank__lt=item.rank) | Q(rank=item.rank, id__lt=item.pk))
    )
    return above.count() + 1


@dataclass
class BacklogSummary:
    total: int = 0
    points: Decimal = Decimal(0)
    hours: Decimal = Decimal(0)
    by_status: list[tuple[str, str, int]] = field(default_factory=list)  # (value, label, count)


def backlog_summary(project: Project) -> BacklogSummary:
    """Item counts per status and the points and hours of the whole backlog view, in one query."""
    counts = dict.fromkeys(Status.values, 0)
    summary = BacklogSummary()
    rows = (
        Item.objects.filter(project=project)
        .in_backlog_view()
        .order_by()
        .values("status")
        .annotate(n=Count("id"), pts=Sum("points"), hours=Sum("estimate_hours"))
    )
    for row in rows:
        counts[row["status"]] = row["n"]
        summary.total += row["n"]
        summary.points += row["pts"] or 0
        summary.hours += row["hours"] or 0
    summary.by_status = [(s.value, s.label, counts[s.value]) for s in Status if counts[s.value]]
    return summary


def project_epics(project: Project) -> QuerySet[Epic]:
    return Epic.objects.filter(project=project).order_by("rank", "id")


def epic_for(project: Project, epic_id: int) -> Epic:
    return get_object_or_404(Epic, project=project, pk=epic_id)


def project_people(project: Project) -> QuerySet[User]:
    return User.objects.filter(memberships__project=project).order_by("full_name", "email")


def active_sprint(project: Project):
    from sightline.sprints.models import Sprint, SprintState

    return Sprint.objects.filter(project=project, state=SprintState.ACTIVE).first()


# --- One item -----------------------------------------------------------------------------------


def item_for(project: Project, item_key: str) -> Item:
    """The item ``item_key`` of ``project`` (404 when it belongs to another project or does not exist)."""
    return get_object_or_404(
        Item.objects.select_related("epic", "sprint", "assignee", "created_by", "accepted_by", "verified_by"),
        project=project,
        key=item_key,
    )


def neighbour_for(project: Project, item_key: str) -> Item | None:
    return Item.objects.filter(project=project, key=item_key.strip().upper()).first()


def comments_for(item: Item, membership: Membership) -> QuerySet[Comment]:
    """The item's comments; internal ones only for roles that may see internal notes."""
    comments = item.comments.select_related("author")
    if not may(membership, "item.view_internal"):
        comments = comments.filter(internal=False)
    return comments


ACTION_LABELS = {
    "item.created": "created the item",
    "item.updated": "edited",
    "item.ranked": "re-ranked",
    "item.transitioned": "changed the status",
    "item.verified": "verified it works",
    "item.imported": "imported",
    "subtask.added": "added a subtask",
    "subtask.updated": "updated a subtask",
    "comment.added": "commented",
    "sprint.scope_changed": "added it to the running sprint",
    "item.rolled_over": "rolled it over when the sprint closed",
    "item.carried_in": "brought the unfinished work into a sprint",
    "item.carried_out": "took the unfinished work out of the sprint",
}
FIELD_LABELS = {
    "user_story": "user story",
    "estimate_hours": "hours",
    "staging_url": "staging link",
    "accepted_by": "accepted by",
    "scope_reason": "scope-change reason",
}
HIDDEN_VALUES = {"rank"}  # numbers that mean nothing to people; the event's note says where it went
VALUE_LIMIT = 160


@dataclass
class HistoryChange:
    field: str
    before: str
    after: str
    hidden_values: bool = False


@dataclass
class HistoryEntry:
    event: AuditEvent
    action: str
    changes: list[HistoryChange]


def _shown(value: Any, field_name: str) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return "; ".join(_shown(v, field_name) for v in value)
    if field_name == "status" and value in Status.values:
        return Status(value).label
    if field_name == "priority" and value in Priority.values:
        return Priority(value).label
    if field_name == "type" and value in ItemType.values:
        return ItemType(value).label
    if field_name == "sprint" and (isinstance(value, int) or (isinstance(value, str) and value.isdigit())):
        return f"Sprint {value}"
    if isinstance(value, str) and field_name.endswith("_at"):
        moment = parse_datetime(value)
        if moment is not None:
            return date_format(timezone.localtime(moment), "j M Y, H:i")
    text = str(value)
    return text if len(text) <= VALUE_LIMIT else text[: VALUE_LIMIT - 1] + "…"


def item_history(item: Item, membership: Membership) -> list[HistoryEntry]:
    """The item's audit events, oldest first; internal ones only for roles that may see them."""
    events = AuditEvent.objects.for_item(item)
    if not may(membership, "item.view_internal"):
        events = events.filter(internal=False)
    entries = []
    for event in events:
        changes = [
            HistoryChange(
                field=FIELD_LABELS.get(name, name.replace("_", " ")),
                before=_shown(values[0] if values else None, name),
                after=_shown(values[1] if len(values) > 1 else None, name),
                hidden_values=name in HIDDEN_VALUES,
            )
            for name, values in (event.changes or {}).items()
        ]
        changes = [c for c in changes if c.hidden_values or c.before != c.after]  # "— → —" says nothing
        entries.append(
            HistoryEntry(event=event, action=ACTION_LABELS.get(event.action, event.action), changes=changes)
        )
    return entries


# --- Epics and templates ------------------------------------------------------------------------


@dataclass
class EpicSummary:
    epic: Epic
    counts: dict[str, int]
    total: int = 0
    points: Decimal = Decimal(0)
    accepted_points: Decimal = Decimal(0)

    @property
    def status_counts(self) -> list[tuple[str, str, int]]:
        return [(s.value, s.label, self.counts.get(s.value, 0)) for s in Status]


def epic_summaries(project: Project) -> list[EpicSummary]:
    """Every epic with its item counts and points per status: one query for epics, one aggregate."""
    summaries = {epic.pk: EpicSummary(epic=epic, counts={}) for epic in project_epics(project)}
    rows = (
        Item.objects.filter(project=project, epic__isnull=False)
        .order_by()
        .values("epic_id", "status")
        .annotate(n=Count("id"), pts=Sum("points"))
    )
    for row in rows:
        summary = summaries.get(row["epic_id"])
        if summary is None:
            continue
        points = row["pts"] or Decimal(0)
        summary.counts[row["status"]] = row["n"]
        summary.total += row["n"]
        summary.points += points
        if row["status"] == Status.ACCEPTED:
            summary.accepted_points += points
    return list(summaries.values())


DEFAULT_TEMPLATES = {
    ItemType.STORY: {
        "user_story": "",
        "description": "",
        "criteria": [],
    },
    ItemType.BUG: {
        "user_story": "",
        "description": "## Steps to reproduce\n1. \n2. \n\n## Expected\n\n\n## Actual\n\n",
        "criteria": [],
    },
}


def template_text(project: Project, type: str) -> dict[str, Any]:
    """The pre-filled text for a new item of ``type``: the project's template, or the defaults."""
    template = ItemTemplate.objects.filter(project=project, type=type).first()
    if template is not None:
        return {
            "user_story": template.user_story,
            "description": template.description,
            "criteria": list(template.criteria),
            "saved": True,
        }
    default = DEFAULT_TEMPLATES.get(type, {"user_story": "", "description": "", "criteria": []})
    return {**default, "criteria": list(default["criteria"]), "saved": False}
