"""Acceptance rows for the inbox: items delivered to staging, awaiting the client's verdict.

A delivery is due three working days after it reached staging (the project's working days): long
enough to try it, short enough that finished work counts as Done within the sprint.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import CharField, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, NullIf
from django.urls import reverse
from django.utils import timezone

from sightline.audit.models import AuditEvent
from sightline.backlog.models import Item, Status
from sightline.inbox.holders import current_holder, waiting_for
from sightline.inbox.rows import InboxRow
from sightline.projects.models import CLIENT_ROLES, Membership, Role, project_date

KIND = "acceptance"
DUE_WORKING_DAYS = 3
COST_OF_DELAY = "Work counts as Done, in velocity and forecasts, only once it is accepted."


def add_working_days(start: date, days: int, working_days: list[int]) -> date:
    """The date ``days`` working days after ``start`` (``working_days``: weekday numbers, Monday = 0)."""
    working = set(working_days or [0, 1, 2, 3, 4])
    day = start
    while days > 0:
        day += timedelta(days=1)
        if day.weekday() in working:
            days -= 1
    return day


def _answerable_projects(holder):
    """The projects in which ``holder`` answers unheld acceptances: client PO or designated acceptor."""
    return (
        Membership.objects.filter(user=holder)
        .filter(Q(role=Role.CLIENT_PO) | Q(is_acceptor=True, role__in=CLIENT_ROLES))
        .values("project_id")
    )


def awaiting(*, projects, holder=None):
    """Delivered items of ``projects`` (only those ``holder`` must answer, when given): one query. An
    item held by someone who left the project or was deactivated is the client PO's (or acceptor's)."""
    qs = Item.objects.filter(project__in=projects, status=Status.DELIVERED)
    answers_unheld = _answerable_projects(holder) if holder is not None else None
    return waiting_for(qs, holder, field="acceptance_holder", answers_unheld=answers_unheld)


def _delivered_by():
    """The name of whoever delivered the item: the actor of its latest transition (while delivered,
    that transition is the delivery)."""
    latest = AuditEvent.objects.filter(item=OuterRef("pk"), action="item.transitioned").order_by("-at", "-id")
    name = Coalesce(NullIf(F("actor__full_name"), Value("")), F("actor__email"), output_field=CharField())
    return Subquery(latest.annotate(name=name).values("name")[:1], output_field=CharField())


def row_for(item: Item, *, today: date | None = None) -> InboxRow:
    project = item.project
    due = None
    if item.delivered_at is not None:
        due = add_working_days(
            project_date(item.delivered_at, project), DUE_WORKING_DAYS, project.working_days
        )
    today = today or project_date(timezone.now(), project)
    holder = current_holder(item, "acceptance_holder")
    return InboxRow(
        kind=KIND,
        id=item.pk,
        title=f"{item.key} {item.title}",
        project=project.key,
        asked_by=getattr(item, "delivered_by", None) or "The team",
        due=due,
        overdue=due is not None and due < today,
        cost_of_delay=COST_OF_DELAY,
        url=reverse("acceptance:review", args=[project.key, item.key]),
        holder_id=holder.pk if holder else None,
        holder_name=holder.display_name if holder else "",
        created_at=item.delivered_at or item.created_at,
        template="acceptance/_inbox_row.html",
        obj=item,
    )


def rows(*, projects, holder=None, pk: int | None = None) -> list[InboxRow]:
    """Deliveries awaiting a verdict (only item ``pk``, when given): two queries (items, then their
    criteria) whatever their number."""
    qs = awaiting(projects=projects, holder=holder)
    if pk is not None:
        qs = qs.filter(pk=pk)
    items = (
        qs.select_related("project", "acceptance_holder")
        .annotate(delivered_by=_delivered_by())
        .prefetch_related("criteria")
        .order_by("delivered_at", "id")
    )
    return [row_for(item) for item in items]


def count(*, projects, holder) -> int:
    return awaiting(projects=projects, holder=holder).count()
