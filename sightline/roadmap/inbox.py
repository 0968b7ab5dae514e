"""Roadmap change rows for the inbox: proposed changes waiting for the client PO's approval."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils.text import Truncator

from sightline.inbox.holders import current_holder, waiting_for
from sightline.inbox.rows import InboxRow
from sightline.projects.models import project_today
from sightline.roadmap.models import RoadmapChange

KIND = "roadmap_change"
COST_MAX = 240


def cost_of_waiting(change: RoadmapChange) -> str:
    """What waiting costs: the change's impact on the forecast or scope, as the agency stated it, on one
    line and cut to a sentence's length (the row shows it in full)."""
    return Truncator(" ".join(change.impact.split())).chars(COST_MAX)


def waiting(*, projects, holder=None):
    """Proposed changes of ``projects`` (only those ``holder`` must answer, when given): one query."""
    return waiting_for(RoadmapChange.objects.open().filter(project__in=projects), holder)


def row_for(change: RoadmapChange, *, today: date | None = None) -> InboxRow:
    today = today or project_today(change.project)
    holder = current_holder(change)
    return InboxRow(
        kind=KIND,
        id=change.pk,
        title=change.summary,
        project=change.project.key,
        asked_by=change.proposed_by.display_name if change.proposed_by_id else "The team",
        due=change.due,
        overdue=change.is_overdue(today),
        cost_of_delay=cost_of_waiting(change),
        url=reverse("roadmap:change", args=[change.project.key, change.pk]),
        holder_id=holder.pk if holder else None,
        holder_name=holder.display_name if holder else "",
        created_at=change.proposed_at,
        template="roadmap/_inbox_row.html",
        obj=change,
    )


def rows(*, projects, holder=None, pk: int | None = None) -> list[InboxRow]:
    """Changes waiting for a decision (only change ``pk``, when given): one query whatever their number."""
    qs = waiting(projects=projects, holder=holder)
    if pk is not None:
        qs = qs.filter(pk=pk)
    changes = qs.with_people().order_by("proposed_at", "id")
    return [row_for(change) for change in changes]


def count(*, projects, holder) -> int:
    return waiting(projects=projects, holder=holder).count()
