"""Sprints: create, plan, start and close (with rollover and velocity)."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Sum
from django.utils import timezone

from sightline.audit.services import audit_record
from sightline.backlog.models import UNFINISHED_STATES, Item, Status
from sightline.backlog.services import _lock as _lock_item
from sightline.backlog.services import _save as _save_item
from sightline.backlog.services import require_same_project
from sightline.backlog.transitions import item_transition, record_scope_change, sprint_entry_reason
from sightline.digests.services import sprint_planned_message
from sightline.lib.errors import DomainError, InvalidInput
from sightline.lib.numbers import plain_number
from sightline.projects.models import Membership, Project
from sightline.projects.policy import require
from sightline.sprints.models import HOURS_PER_DAY, Sprint, SprintAvailability, SprintState


def next_sprint_defaults(project) -> dict:
    """Dates following the last sprint, with the project's sprint length."""
    last = Sprint.objects.filter(project=project).order_by("-number").first()
    start = last.end_date + timedelta(days=1) if last else timezone.localdate()
    while start.weekday() >= 5:
        start += timedelta(days=1)
    end = start + timedelta(days=7 * project.sprint_length_weeks - 3)
    return {"start_date": start, "end_date": end}


def _check_goal_and_capacity(goal: str, capacity_hours) -> None:
    if capacity_hours is None or Decimal(capacity_hours) < 0:
        raise InvalidInput("Capacity must be zero or more hours.", field="capacity_hours")
    if len(goal or "") > 300:
        raise InvalidInput("The goal must be at most 300 characters.", field="goal")


@transaction.atomic
def sprint_create(
    *,
    actor,
    membership: Membership,
    start_date: date,
    end_date: date,
    goal: str = "",
    capacity_hours: Decimal | int = 0,
) -> Sprint:
    require(membership, "sprint.manage")
    project = membership.project
    if end_date < start_date:
        raise InvalidInput("The end date must be on or after the start date.", field="end_date")
    if project.start_date is not None and start_date < project.start_date:
        raise InvalidInput(
            f"A sprint cannot start before the engagement does ({project.start_date:%-d %b %Y}); "
            "change the engagement start in the planning settings if it is wrong.",
            field="start_date",
        )
    _check_goal_and_capacity(goal, capacity_hours)
    # Lock the project row so two sprints created at the same moment cannot take the same number.
    Project.objects.select_for_update().filter(pk=project.pk).first()
    number = (Sprint.objects.filter(project=project).aggregate(n=Max("number"))["n"] or 0) + 1
    sprint = Sprint.objects.create(
        project=project,
        number=number,
        goal=(goal or "").strip(),
        start_date=start_date,
        end_date=end_date,
        capacity_hours=capacity_hours,
    )
    audit_record(
        actor=actor,
        project=project,
        action="sprint.created",
        target=sprint,
        changes={"goal": [None, sprint.goal], "capacity_hours": [None, str(capacity_hours)]},
    )
    return sprint


@transaction.atomic
def sprint_update(*, actor, membership: Membership, sprint: Sprint, goal: str, capacity_hours) -> Sprint:
    require(membership, "sprint.manage")
    require_same_project(membership, sprint.project_id)
    if sprint.state == SprintState.CLOSED:
        raise DomainError(f"{sprint} is closed.", field="state")
    _check_goal_and_capacity(goal, capacity_hours)
    if Decimal(capacity_hours) != sprint.capacity_hours and sprint.availability.exists():
        raise InvalidInput(
            f"The capacity of {sprint} comes from the team's availability "
            f"({plain_number(sprint.capacity_hours)} h); change the availability instead.",
            field="capacity_hours",
        )
    before = {"goal": sprint.goal, "capacity_hours": str(sprint.capacity_hours)}
    sprint.goal, sprint.capacity_hours = goal.strip(), capacity_hours
    sprint.save(update_fields=["goal", "capacity_hours"])
    after = {"goal": sprint.goal, "capacity_hours": str(sprint.capacity_hours)}
    audit_record(
        actor=actor,
        project=sprint.project,
        action="sprint.updated",
        target=sprint,
        changes={k: [before[k], after[k]] for k in after if before[k] != after[k]},
    )
    return sprint


@transaction.atomic
def sprint_plan_item(
    *, actor, membership: Membership, sprint: Sprint, item: Item, scope_reason: str = ""
) -> Item:
    """Pull an item into the sprint: a ready item becomes planned (the ready → planned transition), and
    unfinished work carried over without a sprint joins it in the state it is in."""
    item = _lock_item(item)
    if item.status in UNFINISHED_STATES and item.sprint_id is None:
        return _carry_in(
            actor=actor, membership=membership, sprint=sprint, item=item, scope_reason=scope_reason
        )
    return item_transition(
        actor=actor,
        membership=membership,
        item=item,
        to=Status.PLANNED,
        sprint=sprint,
        scope_reason=scope_reason,
    )


def _carry_in(*, actor, membership: Membership, sprint: Sprint, item: Item, scope_reason: str) -> Item:
    require(membership, "sprint.manage")
    require_same_project(membership, item.project_id)
    scope_reason = sprint_entry_reason(item=item, sprint=sprint, scope_reason=scope_reason)
    item.sprint = sprint
    _save_item(item, ["sprint"])
    audit_record(
        actor=actor,
        project=item.project,
        item=item,
        action="item.carried_in",
        target=item,
        changes={"sprint": [None, sprint.number]},
        note=scope_reason or f"Carried over, still {item.get_status_display().lower()}",
    )
    record_scope_change(actor=actor, item=item, sprint=sprint, scope_reason=scope_reason)
    return item


@transaction.atomic
def sprint_unplan_item(*, actor, membership: Membership, item: Item) -> Item:
    """Take an item out of a sprint that has not started: planned items are ready again, and work already
    under way goes back to the backlog in the state it is in (planning offers it as carried over)."""
    item = _lock_item(item)
    sprint = item.sprint
    if sprint is not None and sprint.state != SprintState.PLANNED:
        raise DomainError(
            "Only items of a sprint that has not started can be taken out of it.", field="sprint"
        )
    if item.status == Status.PLANNED or item.status not in UNFINISHED_STATES:
        return item_transition(actor=actor, membership=membership, item=item, to=Status.READY)
    require(membership, "sprint.manage")
    require_same_project(membership, item.project_id)
    item.sprint = None
    _save_item(item, ["sprint"])
    audit_record(
        actor=actor,
        project=item.project,
        item=item,
        action="item.carried_out",
        target=item,
        changes={"sprint": [sprint.number if sprint else None, None]},
        note=f"Back to the backlog, still {item.get_status_display().lower()}",
    )
    return item


def _locked(sprint: Sprint) -> Sprint:
    """The sprint and its project, locked against other sprint changes. NO KEY UPDATE: rows being
    saved meanwhile that point at them (an acceptance recording its sprint) are not blocked by it, which
    would deadlock a close waiting for that acceptance's item."""
    return Sprint.objects.select_for_update(no_key=True).select_related("project").get(pk=sprint.pk)


@transaction.atomic
def sprint_start(*, actor, membership: Membership, sprint: Sprint) -> Sprint:
    require(membership, "sprint.manage")
    sprint = _locked(sprint)
    require_same_project(membership, sprint.project_id)
    if sprint.state != SprintState.PLANNED:
        raise DomainError(f"{sprint} is {sprint.state}; only a planned sprint can start.", field="state")
    active = Sprint.objects.filter(project=sprint.project, state=SprintState.ACTIVE).first()
    if active is not None:
        raise DomainError(f"{active} is still active; close it before starting {sprint}.", field="state")
    sprint.state, sprint.started_at = SprintState.ACTIVE, timezone.now()
    sprint.save(update_fields=["state", "started_at"])
    audit_record(
        actor=actor,
        project=sprint.project,
        action="sprint.started",
        target=sprint,
        changes={"state": [SprintState.PLANNED, SprintState.ACTIVE]},
    )
    sprint_planned_message(sprint)
    return sprint


def rollover_target(sprint: Sprint) -> Sprint | None:
    """The planned sprint that takes over the unfinished work of ``sprint`` at close, if any."""
    return (
        Sprint.objects.filter(
            project_id=sprint.project_id, state=SprintState.PLANNED, number__gt=sprint.number
        )
        .order_by("number")
        .first()
    )


def _roll_over(*, actor, sprint: Sprint, items: list[Item], target: Sprint | None) -> list[Item]:
    """Move the items of ``sprint`` not accepted into ``target`` (None: the backlog, where planned items
    are ready again and work in progress keeps its state), each with an audit event."""
    rolled = [item for item in items if item.status != Status.ACCEPTED]
    now = timezone.now()
    for item in rolled:
        old_status = item.status
        item.sprint = target
        if target is None and item.status == Status.PLANNED:
            item.status = Status.READY
        item.version += 1
        item.updated_at = now
        audit_record(
            actor=actor,
            project=sprint.project,
            item=item,
            action="item.rolled_over",
            target=item,
            changes={
                "sprint": [sprint.number, target.number if target else None],
                **({"status": [old_status, item.status]} if old_status != item.status else {}),
            },
            note=f"Not accepted by the end of {sprint}",
        )
    Item.objects.bulk_update(rolled, ["sprint", "status", "version", "updated_at"])
    return rolled


@transaction.atomic
def sprint_close(*, actor, membership: Membership, sprint: Sprint) -> Sprint:
    """Close the active sprint: record velocity (accepted points) and roll every unaccepted item into
    the next planned sprint, or back to the backlog when there is none."""
    require(membership, "sprint.manage")
    sprint = _locked(sprint)
    require_same_project(membership, sprint.project_id)
    if sprint.state != SprintState.ACTIVE:
        raise DomainError(f"{sprint} is {sprint.state}; only the active sprint can be closed.", field="state")
    # Lock every item of the sprint before reading any: an acceptance that is being saved right now is
    # waited for, so velocity and rollover are worked out from the same rows.
    items = list(Item.objects.select_for_update(of=("self",)).filter(sprint=sprint).order_by("rank", "id"))
    accepted = [item for item in items if item.status == Status.ACCEPTED]
    sprint.velocity_points = sum((item.points or Decimal(0) for item in accepted), Decimal(0))
    sprint.accepted_count = len(accepted)
    target = rollover_target(sprint)
    rolled = _roll_over(actor=actor, sprint=sprint, items=items, target=target)
    sprint.rolled_over = [item.key for item in rolled]
    sprint.rolled_to = target
    sprint.state, sprint.closed_at = SprintState.CLOSED, timezone.now()
    sprint.save(
        update_fields=["state", "closed_at", "velocity_points", "accepted_count", "rolled_over", "rolled_to"]
    )
    audit_record(
        actor=actor,
        project=sprint.project,
        action="sprint.closed",
        target=sprint,
        changes={
            "state": [SprintState.ACTIVE, SprintState.CLOSED],
            "velocity_points": [None, plain_number(sprint.velocity_points)],
            "rolled_over": [None, sprint.rolled_over],
        },
    )
    return sprint


# --- Availability and capacity ---------------------------------------------------------------------


@dataclass(frozen=True)
class AvailabilityRow:
    """What the agency PO enters for one member: ``hours`` None means a full day for every working
    day of the sprint not taken off."""

    membership: Membership
    hours: Decimal | None
    days_off: int = 0
    note: str = ""


def capacity_from(hours: Decimal, focus_factor: Decimal) -> Decimal:
    """Sprint capacity: the hours available times the project's focus factor, to a tenth of an hour."""
    return (Decimal(hours) * Decimal(focus_factor)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _clean_row(row: AvailabilityRow, sprint: Sprint) -> tuple[Decimal, int, str]:
    """The row's hours, days off and note, checked against the sprint's calendar."""
    who, prefix = row.membership.user.display_name, row.membership.pk
    if row.membership.project_id != sprint.project_id or not row.membership.is_agency:
        raise InvalidInput(f"{who} is not on the agency team of this project.", field=f"{prefix}-hours")
    days = sprint.working_days
    if row.days_off is None or row.days_off < 0 or row.days_off > days:
        raise InvalidInput(
            f"{who}: days off must be between 0 and the {days} working days of {sprint}.",
            field=f"{prefix}-days_off",
        )
    left = (days - row.days_off) * HOURS_PER_DAY
    hours = left if row.hours is None else Decimal(row.hours)
    if hours < 0 or hours > left:
        after = f" after {row.days_off} day{'s' if row.days_off != 1 else ''} off" if row.days_off else ""
        raise InvalidInput(
            f"{who}: hours must be between 0 and {plain_number(left)} "
            f"({days - row.days_off} working days of {plain_number(HOURS_PER_DAY)} h{after}).",
            field=f"{prefix}-hours",
        )
    note = (row.note or "").strip()
    if len(note) > 200:
        raise InvalidInput(f"{who}: the note must be at most 200 characters.", field=f"{prefix}-note")
    return hours, row.days_off, note


@transaction.atomic
def sprint_set_availability(
    *, actor, membership: Membership, sprint: Sprint, rows: list[AvailabilityRow]
) -> Sprint:
    """Record the agency members' availability for ``sprint`` and set its capacity to the sum of the
    hours times the project's focus factor. Members not in ``rows`` keep what they had."""
    require(membership, "sprint.manage")
    sprint = _locked(sprint)
    require_same_project(membership, sprint.project_id)
    if sprint.state == SprintState.CLOSED:
        raise DomainError(f"{sprint} is closed; its availability is history and can no longer change.")
    existing = {a.membership_id: a for a in SprintAvailability.objects.filter(sprint=sprint)}
    changes: dict[str, list] = {}
    for row in rows:
        hours, days_off, note = _clean_row(row, sprint)
        who = row.membership.user.display_name
        old = existing.get(row.membership.pk)
        before = (plain_number(old.hours), old.days_off, old.note) if old else (None, None, None)
        if before == (plain_number(hours), days_off, note):
            continue
        SprintAvailability.objects.update_or_create(
            sprint=sprint,
            membership=row.membership,
            defaults={"hours": hours, "days_off": days_off, "note": note},
        )
        for label, was, now in zip(
            ("hours", "days off", "note"), before, (plain_number(hours), days_off, note), strict=True
        ):
            if was != now:
                changes[f"{who} {label}"] = [was, now]
    _set_capacity(actor, sprint, changes, note="From the team's availability")
    return sprint


def _set_capacity(actor, sprint: Sprint, changes: dict, *, note: str) -> None:
    """Set ``sprint``'s capacity from its availability rows and audit ``changes`` with it."""
    total = SprintAvailability.objects.filter(sprint=sprint).aggregate(h=Sum("hours"))["h"] or Decimal(0)
    capacity = capacity_from(total, sprint.project.focus_factor)
    if capacity != sprint.capacity_hours:
        changes["capacity_hours"] = [plain_number(sprint.capacity_hours), plain_number(capacity)]
        sprint.capacity_hours = capacity
        sprint.save(update_fields=["capacity_hours"])
    if changes:
        audit_record(
            actor=actor,
            project=sprint.project,
            action="sprint.availability_set",
            target=sprint,
            changes=changes,
            note=note,
            internal=True,
        )


def sprints_recompute_capacity(*, actor, project: Project) -> list[Sprint]:
    """After the focus factor changed: the capacity of every open sprint with availability."""
    sprints = (
        Sprint.objects.select_for_update(of=("self",))
        .filter(project=project)
        .filter(Exists(SprintAvailability.objects.filter(sprint=OuterRef("pk"))))
        .exclude(state=SprintState.CLOSED)
        .order_by("number")
    )
    changed = []
    for sprint in sprints:
        sprint.project = project
        before = sprint.capacity_hours
        _set_capacity(actor, sprint, {}, note=f"Focus factor now {plain_number(project.focus_factor)}")
        if sprint.capacity_hours != before:
            changed.append(sprint)
    return changed
