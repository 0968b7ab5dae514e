"""Decision rows for the inbox: open decision requests waiting for the client's answer."""

from __future__ import annotations

from django.db.models import Prefetch

from sightline.decisions.models import DecisionOption, DecisionRequest, DecisionState
from sightline.inbox.holders import current_holder, waiting_for
from sightline.inbox.rows import InboxRow
from sightline.projects.models import project_today

KIND = "decision"


def waiting(*, projects, holder=None):
    """Open decisions of ``projects``; with ``holder``, only those that person must answer: handed to
    them, or held by nobody (or by someone who left) in a project where they are the client PO."""
    qs = DecisionRequest.objects.filter(project__in=projects, state=DecisionState.OPEN)
    return waiting_for(qs, holder)


def row_for(decision: DecisionRequest) -> InboxRow:
    project = decision.project
    holder = current_holder(decision)
    asker = decision.created_by
    return InboxRow(
        kind=KIND,
        id=decision.pk,
        title=f"{decision.reference} {decision.question}",
        project=project.key,
        asked_by=asker.display_name if asker else "The team",
        due=decision.due_date,
        overdue=decision.is_overdue_on(project_today(project)),
        cost_of_delay=decision.cost_of_delay,
        url=decision.get_absolute_url(),
        holder_id=holder.pk if holder else None,
        holder_name=holder.display_name if holder else "",
        created_at=decision.created_at,
        template="decisions/_inbox_row.html",
        obj=decision,
    )


def rows(*, projects, holder=None, pk: int | None = None) -> list[InboxRow]:
    """Open decisions as inbox rows (only decision ``pk``, when given): two queries, the decisions and
    their options, whatever their number."""
    qs = waiting(projects=projects, holder=holder)
    if pk is not None:
        qs = qs.filter(pk=pk)
    decisions = (
        qs.select_related("project", "created_by", "holder")
        .prefetch_related(Prefetch("options", queryset=DecisionOption.objects.order_by("position", "id")))
        .order_by("due_date", "created_at", "id")
    )
    return [row_for(decision) for decision in decisions]


def count(*, projects, holder) -> int:
    return waiting(projects=projects, holder=holder).count()
