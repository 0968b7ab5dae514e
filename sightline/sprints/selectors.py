"""Reading sprints: the list with its figures, the planning view, the board and the close report."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404

from sightline.backlog.models import Item, Status, Subtask
from sightline.decisions.selectors import with_blocking_decisions
from sightline.projects.models import AGENCY_ROLES, Membership
from sightline.sprints.models import ScopeChange, Sprint, SprintAvailability, SprintState
from sightline.sprints.services import capacity_from, next_sprint_defaults, rollover_target

READY_LIST_SIZE = 50
BOARD_COLUMNS = [
    (Status.PLANNED, "Planned"),
    (Status.IN_PROGRESS, "In progress"),
    (Status.DELIVERED, "Delivered — awaiting acceptance"),
    (Status.REJECTED, "Rejected"),
    (Status.ACCEPTED, "Accepted"),
]
HOURS = DecimalField(max_digits=9, decimal_places=1)


def item_hours():
    """An item's hours: its own estimate, or else the sum of its subtasks' estimates (None when neither)."""
    subtask_hours = (
        Subtask.objects.filter(item=OuterRef("pk"))
        .values("item")
        .annotate(total=Sum("estimate_hours"))
        .values("total")
    )
    return Coalesce("estimate_hours", Subquery(subtask_hours, output_field=HOURS), output_field=HOURS)


def planned_hours(sprint: Sprint) -> Decimal:
    """Hours planned into ``sprint``, in one aggregate query."""
    total = Item.objects.filter(sprint=sprint).aggregate(hours=Sum(item_hours(), output_field=HOURS))["hours"]
    return Decimal(total or 0)


def get_sprint(project, number: int) -> Sprint:
    sprint = Sprint.objects.filter(project=project, number=number).first()
    if sprint is None:
        raise Http404("No such sprint")
    return sprint


@dataclass
class Capacity:
    planned: Decimal
    capacity: Decimal
    unestimated: int = 0  # planned items with no hours at all: the bar understates the work

    @property
    def over_by(self) -> Decimal:
        return max(self.planned - self.capacity, Decimal(0))

    @property
    def is_over(self) -> bool:
        return self.planned > self.capacity

    @property
    def free(self) -> Decimal:
        return max(self.capacity - self.planned, Decimal(0))

    @property
    def meter_max(self) -> Decimal:
        return max(self.capacity, self.planned, Decimal(1))

    @property
    def meter_low(self) -> Decimal:
        return self.capacity * Decimal("0.85")


def capacity_for(sprint: Sprint) -> Capacity:
    totals = (
        Item.objects.filter(sprint=sprint)
        .annotate(hours=item_hours())
        .aggregate(planned=Sum("hours"), unestimated=Count("id", filter=Q(hours__isnull=True)))
    )
    return Capacity(
        planned=Decimal(totals["planned"] or 0),
        capacity=Decimal(sprint.capacity_hours),
        unestimated=totals["unestimated"],
    )


@dataclass
class SprintRow:
    sprint: Sprint
    planned_hours: Decimal
    item_count: int
    accepted_count: int

    @property
    def rolled_over_count(self) -> int:
        return len(self.sprint.rolled_over or [])

    @property
    def capacity(self) -> Capacity:
        return Capacity(planned=self.planned_hours, capacity=Decimal(self.sprint.capacity_hours))


def sprint_rows(project) -> list[SprintRow]:
    """Every sprint of ``project``, newest first, with its planned hours and item counts (two queries)."""
    figures = {
        row["sprint"]: row
        for row in Item.objects.filter(project=project, sprint__isnull=False)
        .values("sprint")
        .annotate(
            hours=Sum(item_hours(), output_field=HOURS),
            items=Count("pk"),
            accepted=Count("pk", filter=Q(status=Status.ACCEPTED)),
        )
        .order_by()
    }
    rows = []
    for sprint in Sprint.objects.filter(project=project).order_by("-number"):
        row = figures.get(sprint.pk, {})
        accepted = sprint.accepted_count if sprint.state == SprintState.CLOSED else row.get("accepted", 0)
        rows.append(
            SprintRow(
                sprint=sprint,
                planned_hours=Decimal(row.get("hours") or 0),
                item_count=row.get("items", 0),
                accepted_count=accepted or 0,
            )
        )
    return rows


def velocity_summary(rows: list[SprintRow], last: int = 3) -> dict | None:
    """Average velocity of the last ``last`` closed sprints, with its range."""
    closed = [r.sprint.velocity_points or Decimal(0) for r in rows if r.sprint.state == SprintState.CLOSED][
        :last
    ]
    if not closed:
        return None
    return {
        "average": sum(closed) / len(closed),
        "low": min(closed),
        "high": max(closed),
        "sprints": len(closed),
    }


def tidy_hours(value) -> Decimal:
    """``80`` rather than ``80.0`` in forms."""
    value = Decimal(value or 0)
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


def next_sprint_initial(project) -> dict:
    """Form defaults for the next sprint: dates after the last one, its capacity, an empty goal."""
    initial = next_sprint_defaults(project)
    last = Sprint.objects.filter(project=project).order_by("-number").first()
    initial["capacity_hours"] = tidy_hours(last.capacity_hours if last else 0)
    initial["goal"] = ""
    initial["number"] = (last.number if last else 0) + 1
    return initial


def sprint_items(sprint: Sprint):
    """The sprint's items in backlog order, each with ``hours`` (own estimate or subtasks)."""
    return (
        Item.objects.filter(sprint=sprint)
        .select_related("assignee")
        .annotate(hours=item_hours())
        .order_by("rank", "id")
    )


def ready_items(project, q: str = "", limit: int = READY_LIST_SIZE) -> tuple[list[Item], int]:
    """Ready items of the backlog in rank order (the first ``limit``), and how many match in all."""
    qs = Item.objects.filter(project=project, status=Status.READY)
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(key__iexact=q) | Q(key__iexact=f"{project.key}-{q}"))
    total = qs.count()
    return list(qs.annotate(hours=item_hours()).order_by("rank", "id")[:limit]), total


def carried_over_items(project) -> list[Item]:
    """Unfinished work without a sprint, in rank order, each with ``hours``: planning offers it first."""
    return list(Item.objects.filter(project=project).carried_over().annotate(hours=item_hours()).ranked())


def scope_changes(sprint: Sprint):
    return ScopeChange.objects.filter(sprint=sprint).select_related("item", "actor").order_by("at", "id")


def group_by_state(items) -> list[tuple[str, str, list[Item]]]:
    """``items`` in the board's column order: (state, label, items) for every column."""
    groups: dict[str, list[Item]] = {state: [] for state, _ in BOARD_COLUMNS}
    for item in items:
        groups.setdefault(item.status, []).append(item)
    return [(state, label, groups[state]) for state, label in BOARD_COLUMNS]


def active_sprint(project) -> Sprint | None:
    return Sprint.objects.filter(project=project, state=SprintState.ACTIVE).first()


def board_columns(sprint: Sprint) -> list[tuple[str, str, list[Item]]]:
    items = Item.objects.filter(sprint=sprint).select_related("assignee").order_by("rank", "id")
    return group_by_state(with_blocking_decisions(items))


@dataclass
class CloseReport:
    velocity: Decimal
    accepted: list[Item]
    rolled_over: list[Item]
    rolled_to: Sprint | None


def close_report(sprint: Sprint) -> CloseReport:
    """What a closed sprint achieved and what it handed on."""
    accepted = list(Item.objects.filter(sprint=sprint, status=Status.ACCEPTED).order_by("rank", "id"))
    keys = list(sprint.rolled_over or [])
    by_key = {i.key: i for i in Item.objects.filter(project=sprint.project_id, key__in=keys)}
    return CloseReport(
        velocity=sprint.velocity_points or Decimal(0),
        accepted=accepted,
        rolled_over=[by_key[k] for k in keys if k in by_key],
        rolled_to=sprint.rolled_to,
    )


def close_preview(sprint: Sprint) -> dict:
    """What closing ``sprint`` now would do: velocity so far, what rolls over and where to."""
    items = list(Item.objects.filter(sprint=sprint).order_by("rank", "id"))
    accepted = [i for i in items if i.status == Status.ACCEPTED]
    target = rollover_target(sprint)
    return {
        "accepted": accepted,
        "velocity": sum((i.points or Decimal(0) for i in accepted), Decimal(0)),
        "rolling": [i for i in items if i.status != Status.ACCEPTED],
        "target": target,
    }


# --- Availability ----------------------------------------------------------------------------------


@dataclass
class AvailabilityLine:
    membership: Membership
    entry: SprintAvailability | None  # None: nothing entered for this person yet


@dataclass
class CapacitySource:
    """Where a sprint's capacity comes from: ``people`` with hours, their ``hours`` × the focus factor."""

    people: int
    hours: Decimal
    focus_factor: Decimal

    @property
    def capacity(self) -> Decimal:
        return capacity_from(self.hours, self.focus_factor)


def agency_team(project):
    """The agency members whose time makes the sprint capacity, by role then name."""
    return (
        Membership.objects.filter(project=project, role__in=AGENCY_ROLES)
        .select_related("user")
        .order_by("role", "user__full_name", "user__email")
    )


def availability_lines(sprint: Sprint) -> list[AvailabilityLine]:
    """One line per agency member with what was entered for ``sprint`` (two queries)."""
    entries = {a.membership_id: a for a in SprintAvailability.objects.filter(sprint=sprint)}
    return [AvailabilityLine(m, entries.get(m.pk)) for m in agency_team(sprint.project)]


def capacity_source(sprint: Sprint) -> CapacitySource | None:
    """The availability behind ``sprint``'s capacity, or None when it was entered by hand (one query)."""
    totals = SprintAvailability.objects.filter(sprint=sprint).aggregate(
        rows=Count("id"), people=Count("id", filter=Q(hours__gt=0)), hours=Sum("hours")
    )
    if not totals["rows"]:
        return None
    return CapacitySource(
        people=totals["people"], hours=Decimal(totals["hours"] or 0), focus_factor=sprint.project.focus_factor
    )
