"""Reads for planning: velocity history, first-time acceptance, release scopes, burn-up, sprint calendar.

Each function costs a fixed number of queries whatever the number of sprints, epics or items; the
arithmetic on the rows happens here in Python, the forecasting itself in ``sightline.forecast``.
Amounts are in the project's unit: hours when the project estimates in hours only, otherwise points.
"""

import statistics
import zlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Count, Sum
from django.utils import timezone

from sightline.backlog.models import AcceptanceDecision, Epic, Item, Status
from sightline.forecast.calendar import local_today, zone_named
from sightline.projects.models import EstimateUnit, Project
from sightline.roadmap.models import Release
from sightline.sprints.models import Sprint, SprintState

VELOCITY_SPRINTS = 12  # closed sprints the velocity page shows
DEFAULT_MEDIAN = 1.0  # what an unestimated item counts for when nothing in the project is estimated


# --- Units, days, seeds ------------------------------------------------------------------------------
def unit_of(project: Project) -> str:
    """ "hours" when the project estimates in hours only; "points" otherwise (points or both)."""
    return "hours" if project.estimate_unit == EstimateUnit.HOURS else "points"


def estimate_field(unit: str) -> str:
    return "estimate_hours" if unit == "hours" else "points"


def project_zone(project: Project) -> ZoneInfo:
    """The project's time zone; an unknown one raises ``ForecastError`` (field ``time_zone``)."""
    return zone_named(project.time_zone)


def project_today(project: Project, now: datetime | None = None) -> date:
    """Today's date where the project works (its time zone): the forecast engine's ``local_today``."""
    return local_today(project.time_zone, now or timezone.now())


def local_day(moment: datetime | None, zone: ZoneInfo) -> date | None:
    return moment.astimezone(zone).date() if moment is not None else None


def default_seed(project: Project) -> int:
    """The seed pages use when none is given: fixed per project, so numbers hold still between reloads
    and a what-if draws the same trials as the forecast it is compared with."""
    return zlib.crc32(f"sightline-forecast:{project.key}".encode())


# --- Velocity ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SprintResult:
    """What a closed sprint delivered: accepted points (or hours) and accepted items."""

    number: int
    start_date: date
    end_date: date
    throughput: float
    accepted_items: int

    @property
    def label(self) -> str:
        return f"Sprint {self.number}"


@dataclass(frozen=True)
class VelocityHistory:
    unit: str
    sprints: tuple[SprintResult, ...]  # oldest first

    @property
    def samples(self) -> tuple[float, ...]:
        return tuple(s.throughput for s in self.sprints)

    @property
    def sprint_numbers(self) -> tuple[int, ...]:
        return tuple(s.number for s in self.sprints)


def project_sprints(project: Project) -> list[Sprint]:
    """Every sprint of the project, by number: one query, shared by the history and the calendar."""
    return list(
        Sprint.objects.filter(project=project)
        .only("id", "number", "start_date", "end_date", "state", "velocity_points", "accepted_count")
        .order_by("number")
    )


def velocity_history(
    project: Project, *, limit: int | None = None, sprints: list[Sprint] | None = None
) -> VelocityHistory:
    """Closed sprints, oldest first (the last ``limit`` of them), with what each delivered: the recorded
    velocity (accepted points) or, on a project estimating in hours, the accepted items' hours."""
    unit = unit_of(project)
    sprints = project_sprints(project) if sprints is None else sprints
    closed = [s for s in sprints if s.state == SprintState.CLOSED]
    if limit is not None:
        closed = closed[-limit:] if limit > 0 else []
    accepted = {
        row["sprint_id"]: row
        for row in Item.objects.filter(sprint__in=[s.pk for s in closed], status=Status.ACCEPTED)
        .order_by()
        .values("sprint_id")
        .annotate(points=Sum("points"), hours=Sum("estimate_hours"), n=Count("id"))
    }
    results = []
    for sprint in closed:
        row = accepted.get(sprint.pk, {})
        if unit == "hours":
            amount = row.get("hours")
        else:
            amount = sprint.velocity_points if sprint.velocity_points is not None else row.get("points")
        count = sprint.accepted_count if sprint.accepted_count is not None else row.get("n", 0)
        results.append(
            SprintResult(
                number=sprint.number,
                start_date=sprint.start_date,
                end_date=sprint.end_date,
                throughput=float(amount or 0),
                accepted_items=count or 0,
            )
        )
    return VelocityHistory(unit=unit, sprints=tuple(results))


def accepted_per_week(project: Project) -> dict[date, float]:
    """Points (hours on an hours project) accepted per ISO week, Monday to Sunday in the project's time
    zone: {the week's Monday: amount}, only for weeks in which something was accepted. Items accepted
    before acceptance dates were recorded (e.g. imported) belong to no week and are left out. One query,
    for teams without sprints, whose history is counted in weeks."""
    zone = project_zone(project)
    rows = Item.objects.filter(
        project=project, status=Status.ACCEPTED, accepted_at__isnull=False
    ).values_list("accepted_at", estimate_field(unit_of(project)))
    weeks: dict[date, float] = defaultdict(float)
    for accepted, amount in rows:
        day = local_day(accepted, zone)
        weeks[day - timedelta(days=day.weekday())] += float(amount or 0)
    return dict(weeks)


@dataclass(frozen=True)
class FirstTimeAcceptance:
    """Of the items accepted in some sprints, how many were accepted without ever being rejected."""

    accepted: int
    first_time: int

    @property
    def rate(self) -> float | None:
        return self.first_time / self.accepted if self.accepted else None

    @property
    def rejected_first(self) -> int:
        return self.accepted - self.first_time


def first_time_acceptance(project: Project, sprint_numbers) -> FirstTimeAcceptance:
    """Items accepted in the given sprints whose first verdict was an acceptance (no rejection before it).
    Items accepted without any recorded verdict (e.g. imported) are left out."""
    rows = (
        AcceptanceDecision.objects.filter(
            item__project=project, item__sprint__number__in=list(sprint_numbers), item__status=Status.ACCEPTED
        )
        .order_by("decided_at", "id")
        .values_list("item_id", "outcome")
    )
    verdicts: dict[int, list[str]] = defaultdict(list)
    for item_id, outcome in rows:
        verdicts[item_id].append(outcome)
    accepted = first_time = 0
    for outcomes in verdicts.values():
        if AcceptanceDecision.Outcome.ACCEPTED not in outcomes:
            continue
        accepted += 1
        before = outcomes[: outcomes.index(AcceptanceDecision.Outcome.ACCEPTED)]
        if AcceptanceDecision.Outcome.REJECTED not in before:
            first_time += 1
    return FirstTimeAcceptance(accepted=accepted, first_time=first_time)


# --- Release scopes --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ScopeItem:
    id: int
    key: str
    title: str
    status: str
    estimate: float | None  # None: not estimated
    counted: float  # the estimate, or the project's median for an unestimated item
    created_on: date
    accepted_on: date | None

    @property
    def is_done(self) -> bool:
        return self.status == Status.ACCEPTED

    @property
    def status_label(self) -> str:
        return Status(self.status).label

    @property
    def is_estimated(self) -> bool:
        return self.estimate is not None


@dataclass
class EpicScope:
    id: int
    title: str
    rank: int
    colour: str
    release_id: int | None
    items: list[ScopeItem] = field(default_factory=list)

    @property
    def remaining_items(self) -> list[ScopeItem]:
        return [i for i in self.items if not i.is_done]

    @property
    def remaining(self) -> float:
        return sum(i.counted for i in self.remaining_items)

    @property
    def unestimated(self) -> list[ScopeItem]:
        return [i for i in self.remaining_items if not i.is_estimated]

    @property
    def done(self) -> float:
        return sum(i.counted for i in self.items if i.is_done)

    @property
    def total(self) -> float:
        return sum(i.counted for i in self.items)


@dataclass
class ReleaseScope:
    release: Release
    epics: list[EpicScope] = field(default_factory=list)  # in rank order

    @property
    def remaining(self) -> float:
        return sum(e.remaining for e in self.epics)

    @property
    def remaining_count(self) -> int:
        return sum(len(e.remaining_items) for e in self.epics)

    @property
    def unestimated(self) -> list[ScopeItem]:
        return [i for e in self.epics for i in e.unestimated]

    @property
    def done(self) -> float:
        return sum(e.done for e in self.epics)

    @property
    def total(self) -> float:
        return sum(e.total for e in self.epics)

    @property
    def items(self) -> list[ScopeItem]:
        return [i for e in self.epics for i in e.items]


@dataclass
class Scopes:
    unit: str
    median: float  # what an unestimated item counts for
    median_is_default: bool  # nothing is estimated in the project: the median is DEFAULT_MEDIAN
    releases: list[ReleaseScope]  # in timeline order
    epics: dict[int, EpicScope]  # every epic of the project, scheduled or not, by id

    def release(self, release_id: int) -> ReleaseScope | None:
        return next((r for r in self.releases if r.release.pk == release_id), None)

    def with_epics(self, override: dict[int, list[int]] | None) -> list[ReleaseScope]:
        """The releases as they would be with ``override`` ({release id: epic ids in order}); an epic
        given to a release leaves the release it is in now."""
        if not override:
            return self.releases
        moved = {epic_id for ids in override.values() for epic_id in ids}
        releases = []
        for scope in self.releases:
            if scope.release.pk in override:
                epics = [self.epics[i] for i in override[scope.release.pk] if i in self.epics]
            else:
                epics = [e for e in scope.epics if e.id not in moved]
            releases.append(ReleaseScope(release=scope.release, epics=epics))
        return releases


def median_estimate(project: Project, unit: str) -> tuple[float, bool]:
    """The median of the project's positive estimates, and whether it had to default (nothing estimated).
    Zero estimates are left out: an unestimated story is not assumed to be free."""
    name = estimate_field(unit)
    values = [
        float(v)
        for v in Item.objects.filter(project=project, **{f"{name}__gt": 0}).values_list(name, flat=True)
    ]
    if not values:
        return DEFAULT_MEDIAN, True
    return float(statistics.median(values)), False


def release_scopes(project: Project) -> Scopes:
    """Every release in timeline order with its epics in rank and their items; the remaining scope of a
    release is its epics' items not yet accepted (wherever they are: backlog, a sprint, even a closed
    sprint's roll-over), an unestimated item counted as the project's median estimate and flagged.
    Four queries: releases, epics, the epics' items, the estimates for the median."""
    unit = unit_of(project)
    zone = project_zone(project)
    median, defaulted = median_estimate(project, unit)
    releases = list(Release.objects.filter(project=project).in_timeline_order())
    epics = {
        e.pk: EpicScope(id=e.pk, title=e.title, rank=e.rank, colour=e.colour, release_id=e.release_id)
        for e in Epic.objects.filter(project=project).order_by("rank", "id")
    }
    name = estimate_field(unit)
    rows = (
        Item.objects.filter(project=project, epic__isnull=False)
        .order_by("rank", "id")
        .values_list("id", "key", "title", "status", "epic_id", name, "created_at", "accepted_at")
    )
    for pk, key, title, status, epic_id, estimate, created, accepted in rows:
        epic = epics.get(epic_id)
        if epic is None:
            continue
        created_on = local_day(created, zone)
        accepted_on = local_day(accepted, zone) if status == Status.ACCEPTED else None
        if status == Status.ACCEPTED and accepted_on is None:
            accepted_on = created_on  # accepted before acceptance dates were recorded (e.g. imported)
        value = float(estimate) if estimate is not None else None
        epic.items.append(
            ScopeItem(
                id=pk,
                key=key,
                title=title,
                status=status,
                estimate=value,
                counted=value if value is not None else median,
                created_on=created_on,
                accepted_on=accepted_on,
            )
        )
    by_release: dict[int, list[EpicScope]] = defaultdict(list)
    for epic in epics.values():
        if epic.release_id is not None:
            by_release[epic.release_id].append(epic)
    return Scopes(
        unit=unit,
        median=median,
        median_is_default=defaulted,
        releases=[ReleaseScope(release=r, epics=by_release.get(r.pk, [])) for r in releases],
        epics=epics,
    )


# --- Burn-up ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ProgressPoint:
    day: date
    done: float
    scope: float


def burnup_series(scope: ReleaseScope, *, history: VelocityHistory, today: date) -> list[ProgressPoint]:
    """Done and total scope of a release at the start of the first closed sprint, at the end of each
    closed sprint, and today.

    The scope history is approximate: it is rebuilt from when the release's current items were created
    (and counts them with today's estimates), not from a record of the release's scope at the time; an
    epic moved into the release later counts as if it had always been in it."""
    days = []
    if history.sprints:
        days.append(history.sprints[0].start_date - timedelta(days=1))
        days += [s.end_date for s in history.sprints if s.end_date < today]
    days.append(today)
    items = scope.items
    points = []
    for day in days:
        total = sum(i.counted for i in items if i.created_on <= day)
        done = sum(i.counted for i in items if i.accepted_on is not None and i.accepted_on <= day)
        points.append(ProgressPoint(day=day, done=done, scope=max(total, done)))
    return points
