"""Starting and closing sprints: one active sprint at a time, velocity from accepted points only, and every
unfinished item rolled over to the next sprint or back to the backlog."""

import threading
import time
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connections, transaction
from django.utils import timezone

from sightline.audit.models import AuditEvent
from sightline.backlog.models import Item, Status
from sightline.backlog.transitions import item_accept, item_reject, item_transition
from sightline.lib.errors import DomainError, InvalidInput
from sightline.sprints.models import Sprint, SprintState
from sightline.sprints.services import sprint_close, sprint_create, sprint_start, sprint_update
from tests.conftest import make_sprint

S = Status
REASON = "The saved card is not offered on the second purchase"


@pytest.fixture(autouse=True)
def quick_password_hashing(settings):
    """Every test creates five members; a cheap hasher keeps the module fast."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def running(po, client_po, dev, make_item):
    """An active sprint 1 holding one item in each state a sprint sees, with distinct points."""
    sprint = make_sprint(po)
    items = {
        "accepted": make_item(S.DELIVERED, sprint=sprint, points=3, title="Saved cards"),
        "accepted_too": make_item(S.DELIVERED, sprint=sprint, points=5, title="One-click pay"),
        "delivered": make_item(S.DELIVERED, sprint=sprint, points=8, title="Receipts"),
        "rejected": make_item(S.DELIVERED, sprint=sprint, points=13, title="Refunds"),
        "in_progress": make_item(S.IN_PROGRESS, sprint=sprint, points=20, title="Gift cards"),
        "planned": make_item(S.PLANNED, sprint=sprint, points=40, title="Wish list"),
    }
    sprint = sprint_start(actor=po.user, membership=po, sprint=sprint)
    for key in ("accepted", "accepted_too"):
        item_accept(actor=client_po.user, membership=client_po, item=items[key])
    item_reject(actor=client_po.user, membership=client_po, item=items["rejected"], reason=REASON)
    return sprint, {name: Item.objects.get(pk=item.pk) for name, item in items.items()}


def close(po, sprint):
    return sprint_close(actor=po.user, membership=po, sprint=sprint)


UNFINISHED = ["delivered", "rejected", "in_progress", "planned"]


def test_velocity_counts_the_points_of_accepted_items_only(po, running):
    sprint, _ = running
    closed = close(po, sprint)
    assert closed.velocity_points == Decimal("8")
    assert closed.accepted_count == 2
    stored = Sprint.objects.get(pk=sprint.pk)
    assert (stored.state, stored.velocity_points, stored.accepted_count) == (SprintState.CLOSED, 8, 2)
    assert stored.closed_at is not None


def test_a_sprint_with_nothing_accepted_has_zero_velocity(po, make_item):
    sprint = make_sprint(po)
    make_item(S.DELIVERED, sprint=sprint, points=5)
    sprint = sprint_start(actor=po.user, membership=po, sprint=sprint)
    closed = close(po, sprint)
    assert (closed.velocity_points, closed.accepted_count) == (0, 0)


def test_accepted_items_without_points_count_as_accepted_but_add_no_velocity(po, client_po, make_item):
    sprint = make_sprint(po)
    unpointed = make_item(S.DELIVERED, sprint=sprint, points=None, estimate_hours=4)
    pointed = make_item(S.DELIVERED, sprint=sprint, points=2)
    sprint = sprint_start(actor=po.user, membership=po, sprint=sprint)
    for item in (unpointed, pointed):
        item_accept(actor=client_po.user, membership=client_po, item=item)
    closed = close(po, sprint)
    assert (closed.velocity_points, closed.accepted_count) == (2, 2)


def test_accepted_items_stay_in_the_closed_sprint(po, running):
    sprint, items = running
    close(po, sprint)
    for name in ("accepted", "accepted_too"):
        item = Item.objects.get(pk=items[name].pk)
        assert (item.status, item.sprint_id) == (S.ACCEPTED, sprint.pk)


def test_unfinished_items_roll_over_to_the_next_planned_sprint_keeping_their_state(po, running):
    sprint, items = running
    second = make_sprint(po, start=date(2026, 11, 16), goal="Refunds")
    make_sprint(po, start=date(2026, 11, 30), goal="Later")

    closed = close(po, sprint)

    for name in UNFINISHED:
        item = Item.objects.get(pk=items[name].pk)
        assert item.sprint == second, name
        assert item.status == items[name].status, name
        assert item.version == items[name].version + 1, name
    assert closed.rolled_over == [items[name].key for name in UNFINISHED]  # in backlog order
    assert closed.rolled_to == second


def test_without_a_next_sprint_unfinished_items_go_back_to_the_backlog(po, running):
    sprint, items = running
    closed = close(po, sprint)

    expected = {
        "delivered": S.DELIVERED,
        "rejected": S.REJECTED,
        "in_progress": S.IN_PROGRESS,
        "planned": S.READY,
    }
    for name, status in expected.items():
        item = Item.objects.get(pk=items[name].pk)
        assert (item.sprint, item.status) == (None, status), name
    assert closed.rolled_to is None
    assert sorted(closed.rolled_over) == sorted(items[name].key for name in UNFINISHED)


@pytest.mark.parametrize("target", ["next", "backlog"])
def test_each_rolled_over_item_has_an_audit_event(target, po, running):
    sprint, items = running
    second = make_sprint(po, start=date(2026, 11, 16)) if target == "next" else None
    close(po, sprint)

    for name in UNFINISHED:
        event = AuditEvent.objects.get(item=items[name], action="item.rolled_over")
        assert event.changes["sprint"] == [1, second.number if second else None]
        assert event.actor == po.user
        assert "Sprint 1" in event.note
        if target == "backlog" and name == "planned":
            assert event.changes["status"] == [S.PLANNED, S.READY]
        else:
            assert "status" not in event.changes
    assert not AuditEvent.objects.filter(item=items["accepted"], action="item.rolled_over").exists()


def test_closing_is_an_audit_event_with_velocity_and_rollover(po, running):
    sprint, _ = running
    closed = close(po, sprint)
    event = AuditEvent.objects.get(action="sprint.closed")
    assert event.target_id == sprint.pk
    assert event.changes["state"] == [SprintState.ACTIVE, SprintState.CLOSED]
    assert event.changes["velocity_points"] == [None, "8"]
    assert event.changes["rolled_over"] == [None, closed.rolled_over]


def test_rollover_skips_a_planned_sprint_numbered_before_the_closing_one(po, make_item):
    earlier = make_sprint(po, goal="Postponed")
    current = make_sprint(po, start=date(2026, 11, 16))
    item = make_item(S.PLANNED, sprint=current)
    current = sprint_start(actor=po.user, membership=po, sprint=current)
    closed = close(po, current)
    assert closed.rolled_to is None
    assert Item.objects.get(pk=item.pk).sprint is None
    assert earlier.items.count() == 0


def test_rolled_over_work_continues_and_counts_in_the_sprint_it_is_accepted_in(po, client_po, dev, make_item):
    first = make_sprint(po)
    item = make_item(S.IN_PROGRESS, sprint=first, points=5)
    first = sprint_start(actor=po.user, membership=po, sprint=first)
    second = make_sprint(po, start=date(2026, 11, 16))
    close(po, first)

    second = sprint_start(actor=po.user, membership=po, sprint=second)
    item = item_transition(actor=dev.user, membership=dev, item=item, to=S.DELIVERED, note="On staging")
    item_accept(actor=client_po.user, membership=client_po, item=item)
    closed = close(po, second)
    assert (closed.velocity_points, closed.rolled_over) == (5, [])
    assert Sprint.objects.get(pk=first.pk).velocity_points == 0


def test_rolled_over_items_show_when_they_last_changed(po, running):
    sprint, items = running
    long_ago = timezone.now() - timedelta(days=30)
    Item.objects.filter(sprint=sprint).update(updated_at=long_ago)
    close(po, sprint)
    for name in UNFINISHED:
        assert Item.objects.get(pk=items[name].pk).updated_at > long_ago, name
    assert Item.objects.get(pk=items["accepted"].pk).updated_at == long_ago


@pytest.mark.django_db(transaction=True)
def test_an_acceptance_being_saved_while_the_sprint_closes_counts_in_its_velocity(po, client_po, make_item):
    sprint = make_sprint(po)
    item = make_item(S.DELIVERED, sprint=sprint, points=5)
    sprint = sprint_start(actor=po.user, membership=po, sprint=sprint)
    accepting = threading.Event()

    def accept_slowly():
        try:
            with transaction.atomic():
                item_accept(actor=client_po.user, membership=client_po, item=item)
                accepting.set()
                time.sleep(1)  # the close starts meanwhile and must wait for this acceptance
        finally:
            accepting.set()
            connections.close_all()

    thread = threading.Thread(target=accept_slowly)
    thread.start()
    try:
        assert accepting.wait(timeout=10)
        closed = close(po, sprint)
    finally:
        thread.join()
    assert (closed.velocity_points, closed.accepted_count, closed.rolled_over) == (5, 1, [])
    assert Item.objects.get(pk=item.pk).sprint_id == sprint.pk


# --- Starting and closing rules ---------------------------------------------------------------------------


@pytest.mark.parametrize("state", ["planned", "closed"])
def test_only_the_active_sprint_can_be_closed(state, po, active_sprint):
    sprint = make_sprint(po, start=date(2026, 11, 16))
    if state == "closed":
        sprint = close(po, active_sprint)
    with pytest.raises(DomainError) as refused:
        close(po, sprint)
    assert refused.value.field == "state"
    assert "only the active sprint" in refused.value.message
    assert Sprint.objects.get(pk=sprint.pk).state == state


def test_only_one_sprint_is_active_at_a_time(po, active_sprint):
    second = make_sprint(po, start=date(2026, 11, 16))
    with pytest.raises(DomainError) as refused:
        sprint_start(actor=po.user, membership=po, sprint=second)
    assert "Sprint 1 is still active" in refused.value.message
    assert Sprint.objects.get(pk=second.pk).state == SprintState.PLANNED


def test_the_next_sprint_can_start_once_the_active_one_is_closed(po, active_sprint):
    second = make_sprint(po, start=date(2026, 11, 16))
    close(po, active_sprint)
    second = sprint_start(actor=po.user, membership=po, sprint=second)
    assert second.state == SprintState.ACTIVE
    assert second.started_at is not None
    event = AuditEvent.objects.filter(action="sprint.started").latest("id")
    assert (event.target_id, event.changes["state"]) == (second.pk, ["planned", "active"])


@pytest.mark.parametrize("state", ["active", "closed"])
def test_a_sprint_starts_only_from_planned(state, po, active_sprint):
    sprint = active_sprint if state == "active" else close(po, active_sprint)
    with pytest.raises(DomainError, match="only a planned sprint can start"):
        sprint_start(actor=po.user, membership=po, sprint=sprint)
    assert Sprint.objects.get(pk=sprint.pk).state == state


@pytest.mark.parametrize("role", ["developer", "tester", "client_po", "client_stakeholder"])
def test_only_the_agency_po_starts_and_closes_sprints(role, members, po, sprint):
    with pytest.raises(PermissionDenied, match="agency_po"):
        sprint_start(actor=members[role].user, membership=members[role], sprint=sprint)
    sprint = sprint_start(actor=po.user, membership=po, sprint=sprint)
    with pytest.raises(PermissionDenied, match="agency_po"):
        close(members[role], sprint)
    assert Sprint.objects.get(pk=sprint.pk).state == SprintState.ACTIVE


# --- Creating and editing sprints -------------------------------------------------------------------------


def test_new_sprints_are_numbered_one_after_another(po):
    numbers = [make_sprint(po).number for _ in range(3)]
    assert numbers == [1, 2, 3]


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("end_date", {"end_date": date(2026, 11, 1)}),
        ("capacity_hours", {"capacity_hours": -1}),
        ("goal", {"goal": "g" * 301}),
    ],
)
def test_a_sprint_with_bad_values_is_refused_on_the_field(field, kwargs, po):
    values = {
        "start_date": date(2026, 11, 2),
        "end_date": date(2026, 11, 13),
        "goal": "",
        "capacity_hours": 0,
    }
    values.update(kwargs)
    with pytest.raises(InvalidInput) as refused:
        sprint_create(actor=po.user, membership=po, **values)
    assert refused.value.field == field
    assert not Sprint.objects.exists()


def test_a_closed_sprint_cannot_be_edited(po, active_sprint):
    closed = close(po, active_sprint)
    with pytest.raises(DomainError, match="closed"):
        sprint_update(actor=po.user, membership=po, sprint=closed, goal="Rewrite history", capacity_hours=10)
    assert Sprint.objects.get(pk=closed.pk).goal == "Let buyers check out"


def test_editing_a_sprint_records_what_changed(po, sprint):
    sprint_update(
        actor=po.user, membership=po, sprint=sprint, goal="  Refunds  ", capacity_hours=Decimal("60")
    )
    event = AuditEvent.objects.get(action="sprint.updated")
    assert event.changes["goal"] == ["Let buyers check out", "Refunds"]
    assert event.changes["capacity_hours"][1] == "60"
    assert Sprint.objects.get(pk=sprint.pk).capacity_hours == 60


@pytest.mark.parametrize(
    ("field", "values"),
    [
        ("capacity_hours", {"capacity_hours": -1}),
        ("capacity_hours", {"capacity_hours": None}),
        ("goal", {"goal": "g" * 301}),
    ],
    ids=["negative-capacity", "no-capacity", "long-goal"],
)
def test_editing_a_sprint_refuses_what_creating_one_refuses(field, values, po, sprint):
    with pytest.raises(InvalidInput) as refused:
        sprint_update(
            actor=po.user, membership=po, sprint=sprint, **{"goal": "Refunds", "capacity_hours": 10, **values}
        )
    assert refused.value.field == field
    stored = Sprint.objects.get(pk=sprint.pk)
    assert (stored.goal, stored.capacity_hours) == ("Let buyers check out", 80)
    assert not AuditEvent.objects.filter(action="sprint.updated").exists()


def test_an_item_of_a_started_sprint_cannot_be_sent_back_to_ready(po, make_item):
    sprint = make_sprint(po, active=True)
    item = make_item(Status.PLANNED, sprint=sprint)
    with pytest.raises(DomainError, match="has started"):
        item_transition(actor=po.user, membership=po, item=item, to=Status.READY)
    item.refresh_from_db()
    assert item.status == Status.PLANNED and item.sprint_id == sprint.id
