"""What a digest says: built for one project, one audience and (for what waits) one reader.

The client digest is short: what was accepted, what is on staging for review, what waits for the reader
and by when, the sprint goal and its progress. The team digest has the full detail: every state change,
rejections with their reasons, what waits on the client and for how long, scope changes, velocity.
Neither ever contains comments, internal audit events or anything from another project. Building one
takes a constant number of queries whatever the number of items.
"""

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.module_loading import import_string

from sightline.audit.models import AuditEvent
from sightline.backlog.models import AcceptanceDecision, Item, Status
from sightline.digests.models import Audience
from sightline.inbox.holders import current_holder, waiting_for
from sightline.inbox.registry import PROVIDERS
from sightline.inbox.selectors import kind_label as label_for_kind
from sightline.projects.models import project_zone
from sightline.sprints.models import ScopeChange, Sprint, SprintState

if TYPE_CHECKING:
    from sightline.accounts.models import User
    from sightline.projects.models import Project

WINDOW = timedelta(days=7)
TEAM_CHANGES_SHOWN = 200


@dataclass(frozen=True)
class Period:
    """The week a digest belongs to (Monday, in the project's time zone), and the seven days it covers."""

    start: date
    since: datetime
    until: datetime

    @property
    def end(self) -> date:
        return self.start + timedelta(days=6)


def period_for(project, now: datetime | None = None) -> Period:
    now = now or timezone.now()
    local = now.astimezone(project_zone(project))
    monday = local.date() - timedelta(days=local.weekday())
    return Period(start=monday, since=now - WINDOW, until=now)


@dataclass
class SprintProgress:
    sprint: Sprint
    items: int
    accepted_items: int
    points: Decimal
    accepted_points: Decimal

    @property
    def days_left(self) -> int:
        return max((self.sprint.end_date - timezone.localdate()).days, 0)


@dataclass
class WaitingRow:
    """An inbox row with how long it has waited."""

    row: object
    age_days: int

    @property
    def kind_label(self) -> str:
        return label_for_kind(self.row.kind)

    def __getattr__(self, name):
        if name == "row" or name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.row, name)


@dataclass
class Staged:
    """A delivery on staging, with the date by which the reader is asked to accept it (if they are)."""

    item: Item
    waiting_days: int
    acceptance_due: date | None = None
    acceptance_overdue: bool = False

    @property
    def holder(self):
        """Who holds the acceptance now: None once its holder left the project (the client PO's again)."""
        return current_holder(self.item, "acceptance_holder")

    def __getattr__(self, name):
        if name == "item" or name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.item, name)


@dataclass
class Digest:
    project: "Project"
    audience: str
    reader: "User | None"  # None: a preview of what the whole client side waits on
    period: Period
    accepted: list[Item] = field(default_factory=list)
    on_staging: list[Staged] = field(default_factory=list)
    waiting: list[WaitingRow] = field(default_factory=list)
    acceptances_waiting: int = 0
    progress: SprintProgress | None = None
    # the team's detail
    changes: list[AuditEvent] = field(default_factory=list)
    more_changes: bool = False  # more than TEAM_CHANGES_SHOWN: the rest is in the project history
    rejections: list[AcceptanceDecision] = field(default_factory=list)
    scope_changes: list[ScopeChange] = field(default_factory=list)
    last_closed: Sprint | None = None
    average_velocity: Decimal | None = None
    # what every reader's digest shares: the deliveries, and for the team what waits on the client
    delivered: list[Item] = field(default_factory=list, repr=False)
    team_rows: list | None = field(default=None, repr=False)

    @property
    def is_client(self) -> bool:
        return self.audience == Audience.CLIENT

    @property
    def is_quiet(self) -> bool:
        """Nothing happened and nothing waits: the digest would say nothing worth an email."""
        return not (
            self.accepted
            or self.on_staging
            or self.waiting
            or self.changes
            or self.rejections
            or self.scope_changes
            or self.progress
        )

    @property
    def subject(self) -> str:
        week = f"{self.period.start:%-d %b %Y}"
        if self.is_client:
            return f"{self.project.name}: your week at a glance (week of {week})"
        return f"[{self.project.key}] Team digest, week of {week}"


def waiting_rows(project, *, holder=None) -> list:
    """Open requests waiting for the client in ``project`` (for ``holder`` only when given), oldest due
    first, from every inbox provider."""
    rows = []
    for path in PROVIDERS:
        rows.extend(import_string(path)(projects=[project], holder=holder))
    far = date.max
    return sorted(rows, key=lambda r: (r.due or far, r.created_at))


def _progress(project) -> SprintProgress | None:
    sprint = Sprint.objects.filter(project=project, state=SprintState.ACTIVE).first()
    if sprint is None:
        return None
    accepted = Q(status=Status.ACCEPTED)
    totals = Item.objects.filter(sprint=sprint).aggregate(
        all_points=Sum("points"),
        done_points=Sum("points", filter=accepted),
        all_items=Count("id"),
        done_items=Count("id", filter=accepted),
    )
    return SprintProgress(
        sprint=sprint,
        items=totals["all_items"],
        accepted_items=totals["done_items"],
        points=totals["all_points"] or Decimal(0),
        accepted_points=totals["done_points"] or Decimal(0),
    )


def build_digest(project, audience: str, *, reader=None, now: datetime | None = None) -> Digest:
    """The digest of ``project`` for ``audience``, as ``reader`` will receive it."""
    return digest_for(shared_digest(project, audience, now=now), reader)


def shared_digest(project, audience: str, *, now: datetime | None = None) -> Digest:
    """What the digest of ``project`` for ``audience`` says to every reader; ``digest_for`` adds what
    waits for one reader. The team digest is the same for every member of the team."""
    now = now or timezone.now()
    period = period_for(project, now)
    digest = Digest(project=project, audience=audience, reader=None, period=period)
    in_window = {"accepted_at__gte": period.since, "accepted_at__lt": period.until}
    digest.accepted = list(
        Item.objects.filter(project=project, status=Status.ACCEPTED, **in_window)
        .select_related("accepted_by")
        .order_by("accepted_at", "id")
    )
    digest.delivered = list(
        waiting_for(Item.objects.filter(project=project, status=Status.DELIVERED), field="acceptance_holder")
        .select_related("acceptance_holder")
        .order_by("delivered_at", "id")
    )
    digest.progress = _progress(project)
    if audience == Audience.TEAM:
        digest.team_rows = waiting_rows(project)
        _team_detail(digest, project, period)
    return digest


def digest_for(shared: Digest, reader) -> Digest:
    """The ``shared`` digest as ``reader`` receives it (None: everything waiting on the client side)."""
    now = shared.period.until
    team = shared.team_rows is not None
    rows = shared.team_rows if team else waiting_rows(shared.project, holder=reader)
    # Deliveries are listed with their staging links under "on staging"; their inbox rows only add
    # the date by which the acceptance is wanted.
    acceptances = {r.id: r for r in rows if r.kind == "acceptance"}
    staged = []
    for item in shared.delivered:
        row = acceptances.get(item.id)
        waited = max((now - item.delivered_at).days, 0) if item.delivered_at else 0
        staged.append(Staged(item, waited, row.due if row else None, bool(row and row.overdue)))
    return replace(
        shared,
        reader=reader,
        on_staging=staged,
        acceptances_waiting=len(acceptances),
        waiting=[WaitingRow(r, max((now - r.created_at).days, 0)) for r in rows if r.kind != "acceptance"],
    )


def _team_detail(digest: Digest, project, period: Period) -> None:
    window = {"at__gte": period.since, "at__lt": period.until}
    changes = (
        AuditEvent.objects.filter(project=project, action="item.transitioned", internal=False, **window)
        .select_related("actor", "item")
        .order_by("at", "id")
    )
    digest.changes = list(changes[: TEAM_CHANGES_SHOWN + 1])
    digest.more_changes = len(digest.changes) > TEAM_CHANGES_SHOWN
    digest.changes = digest.changes[:TEAM_CHANGES_SHOWN]
    for event in digest.changes:
        before, after = (event.changes.get("status") or [None, None])[:2]
        event.status_from = _status_label(before)
        event.status_to = _status_label(after)
    digest.rejections = list(
        AcceptanceDecision.objects.filter(
            item__project=project,
            outcome=AcceptanceDecision.Outcome.REJECTED,
            decided_at__gte=period.since,
            decided_at__lt=period.until,
        )
        .select_related("item", "decided_by")
        .order_by("decided_at", "id")
    )
    digest.scope_changes = list(
        ScopeChange.objects.filter(sprint__project=project, **window)
        .select_related("item", "sprint", "actor")
        .order_by("at", "id")
    )
    closed = list(Sprint.objects.filter(project=project, state=SprintState.CLOSED).order_by("-number")[:3])
    if closed:
        digest.last_closed = closed[0]
        velocities = [s.velocity_points or Decimal(0) for s in closed]
        digest.average_velocity = sum(velocities, Decimal(0)) / len(velocities)


def _status_label(value) -> str:
    if value in Status.values:
        return Status(value).label
    return str(value or "")
