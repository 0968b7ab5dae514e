"""The cumulative flow: how many of the project's items were in each state at the end of each day,
rebuilt from the audit trail in two queries whatever the number of days, items or events."""

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sightline.audit.models import AuditEvent
from sightline.backlog.models import Item, Status
from sightline.planning.selectors import project_zone
from sightline.projects.models import Project

FLOW_WEEKS = 8

# Workflow order, bottom of the work first; rejected items sit with the work in progress.
FLOW_STATES = (
    Status.DRAFT,
    Status.READY,
    Status.PLANNED,
    Status.IN_PROGRESS,
    Status.REJECTED,
    Status.DELIVERED,
    Status.ACCEPTED,
)


@dataclass(frozen=True)
class Flow:
    days: tuple[date, ...]
    series: tuple[tuple[str, tuple[int, ...]], ...]  # (state label, count per day) in FLOW_STATES order

    @property
    def is_empty(self) -> bool:
        return not any(any(counts) for _, counts in self.series)


def cumulative_flow(project: Project, *, today: date, weeks: int = FLOW_WEEKS) -> Flow:
    """Items per state at the end of each of the last ``weeks`` weeks' days (today included).

    Starts from every item's state now and walks back in time, undoing each recorded status change
    (``changes["status"] = [before, after]``) and each creation, and reading the counts at every day's
    end on the way. Items whose history predates the audit trail keep their current state."""
    zone = project_zone(project)
    days = [today - timedelta(days=n) for n in range(7 * weeks - 1, -1, -1)]
    start = datetime.combine(days[0] + timedelta(days=1), time.min, tzinfo=zone)
    items = Item.objects.filter(project=project).order_by().values_list("id", "status", "created_at")
    state: dict[int, str] = {}
    undo: list[tuple[datetime, int, int, str | None]] = []  # (when, order, item id, state before)
    for pk, status, created in items:
        state[pk] = status
        if created >= start:
            undo.append((created, 0, pk, None))  # before its creation the item did not exist
    events = (
        AuditEvent.objects.filter(
            project=project, target_type="item", at__gte=start, changes__has_key="status"
        )
        .order_by()
        .values_list("at", "id", "target_id", "changes")
    )
    for at, event_id, item_id, changes in events:
        change = changes.get("status") if isinstance(changes, dict) else None
        if item_id in state and isinstance(change, list) and len(change) == 2:
            undo.append((at, event_id, item_id, change[0]))
    undo.sort(key=lambda u: (u[0], u[1]), reverse=True)
    counts = Counter(state.values())
    per_day: list[Counter] = []
    position = 0
    for day in reversed(days):
        day_end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone)
        while position < len(undo) and undo[position][0] >= day_end:
            _, _, pk, before = undo[position]
            position += 1
            now = state.get(pk)
            if now is None or (before is not None and before not in Status.values):
                continue
            counts[now] -= 1
            if before is None:
                del state[pk]
            else:
                state[pk] = before
                counts[before] += 1
        per_day.append(Counter(counts))
    per_day.reverse()
    return Flow(
        days=tuple(days),
        series=tuple((Status(s).label, tuple(c.get(s, 0) for c in per_day)) for s in FLOW_STATES),
    )
