"""Pulling ready items into sprints: a started sprint only takes critical bugs, or anything with a recorded
scope-change reason."""

import pytest
from django.core.exceptions import PermissionDenied

from sightline.accounts.models import User
from sightline.audit.models import AuditEvent
from sightline.backlog.models import Item, ItemType, Priority, Status
from sightline.backlog.transitions import item_transition
from sightline.lib.errors import DomainError, InvalidInput
from sightline.projects.models import Membership, Role
from sightline.sprints.models import ScopeChange
from sightline.sprints.services import sprint_close, sprint_plan_item, sprint_unplan_item
from tests.conftest import make_sprint

S = Status


@pytest.fixture(autouse=True)
def quick_password_hashing(settings):
    """Every test creates five members; a cheap hasher keeps the module fast."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def plan(po, sprint, item, reason=""):
    return sprint_plan_item(actor=po.user, membership=po, sprint=sprint, item=item, scope_reason=reason)


def nothing_planned(item: Item) -> None:
    """The ready item is untouched: no sprint, same version, no scope change, no event after becoming ready."""
    fresh = Item.objects.get(pk=item.pk)
    assert (fresh.status, fresh.sprint_id, fresh.version) == (S.READY, None, item.version)
    assert not ScopeChange.objects.filter(item=item).exists()
    last = AuditEvent.objects.filter(item=item).latest("id")
    assert last.changes.get("status") == [S.DRAFT, S.READY]


@pytest.mark.parametrize(
    ("type", "priority"),
    [
        (ItemType.STORY, Priority.HIGH),
        (ItemType.STORY, Priority.CRITICAL),
        (ItemType.BUG, Priority.HIGH),
        (ItemType.BUG, Priority.LOW),
        (ItemType.TASK, Priority.CRITICAL),
        (ItemType.CHORE, Priority.CRITICAL),
    ],
    ids=lambda v: str(v),
)
@pytest.mark.parametrize("reason", ["", "   \n"], ids=["no-reason", "blank-reason"])
def test_only_a_critical_bug_joins_an_active_sprint_without_a_reason(
    type, priority, reason, po, make_item, active_sprint
):
    item = make_item(S.READY, type=type, priority=priority)
    with pytest.raises(InvalidInput) as refused:
        plan(po, active_sprint, item, reason)
    assert refused.value.field == "scope_reason"
    assert "critical bugs" in refused.value.message
    nothing_planned(item)


def test_an_item_joins_an_active_sprint_with_a_recorded_reason(po, make_item, active_sprint):
    item = make_item(S.READY, priority=Priority.HIGH)
    item = plan(po, active_sprint, item, "  Launch partner needs it this week  ")

    item = Item.objects.get(pk=item.pk)
    assert (item.status, item.sprint) == (S.PLANNED, active_sprint)
    change = ScopeChange.objects.get(item=item)
    assert (change.sprint, change.actor, change.reason) == (
        active_sprint,
        po.user,
        "Launch partner needs it this week",
    )
    event = AuditEvent.objects.get(action="sprint.scope_changed", item=item)
    assert event.note == "Launch partner needs it this week"
    assert event.target_type == "sprint" and event.target_id == active_sprint.pk
    assert event.changes == {"items": [None, item.key]}
    moved = AuditEvent.objects.filter(item=item, action="item.transitioned").latest("id")
    assert moved.changes["status"] == [S.READY, S.PLANNED]
    assert moved.changes["sprint"] == [None, active_sprint.number]


def test_a_critical_bug_enters_an_active_sprint_without_a_reason(po, make_item, active_sprint):
    item = make_item(S.READY, type=ItemType.BUG, priority=Priority.CRITICAL, title="Checkout crashes")
    item = plan(po, active_sprint, item)
    assert Item.objects.get(pk=item.pk).sprint == active_sprint
    change = ScopeChange.objects.get(item=item)
    assert change.reason == "Critical bug"


def test_a_critical_bug_keeps_the_reason_given_anyway(po, make_item, active_sprint):
    item = make_item(S.READY, type=ItemType.BUG, priority=Priority.CRITICAL)
    plan(po, active_sprint, item, "Customers cannot pay")
    assert ScopeChange.objects.get(item=item).reason == "Customers cannot pay"


def test_a_critical_story_still_needs_a_reason(po, make_item, active_sprint):
    item = make_item(S.READY, type=ItemType.STORY, priority=Priority.CRITICAL)
    with pytest.raises(InvalidInput):
        plan(po, active_sprint, item)
    nothing_planned(item)


@pytest.mark.parametrize("type", [t.value for t in ItemType])
def test_a_sprint_that_has_not_started_needs_no_reason(type, po, make_item, sprint):
    item = plan(po, sprint, make_item(S.READY, type=type, priority=Priority.LOW))
    assert Item.objects.get(pk=item.pk).sprint == sprint
    assert not ScopeChange.objects.exists()
    assert not AuditEvent.objects.filter(action="sprint.scope_changed").exists()


def test_a_closed_sprint_takes_no_more_items(po, make_item, active_sprint):
    closed = sprint_close(actor=po.user, membership=po, sprint=active_sprint)
    item = make_item(S.READY, type=ItemType.BUG, priority=Priority.CRITICAL)
    with pytest.raises(DomainError) as refused:
        plan(po, closed, item, "Too late")
    assert refused.value.field == "sprint"
    assert "closed" in refused.value.message
    nothing_planned(item)


def test_a_sprint_of_another_project_is_refused(po, make_item, other_project):
    globex_po = Membership.objects.create(
        project=other_project,
        role=Role.AGENCY_PO,
        user=User.objects.create_user(email="po@globex.test", password="x"),
    )
    globex_sprint = make_sprint(globex_po)
    item = make_item(S.READY)
    with pytest.raises(InvalidInput) as refused:
        plan(po, globex_sprint, item)
    assert refused.value.field == "sprint"
    nothing_planned(item)


def test_planning_without_naming_a_sprint_uses_the_next_planned_one(po, make_item):
    first = make_sprint(po)
    make_sprint(po, goal="Later")
    item = make_item(S.READY)
    item = item_transition(actor=po.user, membership=po, item=item, to=S.PLANNED)
    assert item.sprint == first


def test_planning_with_no_sprint_to_plan_into_says_to_create_one(po, make_item, active_sprint):
    item = make_item(S.READY)
    with pytest.raises(DomainError, match="create the next sprint"):
        item_transition(actor=po.user, membership=po, item=item, to=S.PLANNED)
    nothing_planned(item)


@pytest.mark.parametrize("role", ["developer", "tester", "client_po", "client_stakeholder"])
def test_only_the_agency_po_plans_sprints(role, members, make_item, sprint):
    item = make_item(S.READY)
    with pytest.raises(PermissionDenied, match="agency_po"):
        plan(members[role], sprint, item)
    nothing_planned(item)


def test_an_item_of_a_sprint_not_yet_started_can_be_taken_out(po, make_item, sprint):
    item = plan(po, sprint, make_item(S.READY))
    item = sprint_unplan_item(actor=po.user, membership=po, item=item)
    assert (item.status, item.sprint) == (S.READY, None)


def test_an_item_of_a_started_sprint_cannot_be_taken_out(po, make_item, active_sprint):
    item = plan(po, active_sprint, make_item(S.READY), "Agreed in standup")
    with pytest.raises(DomainError, match="not started"):
        sprint_unplan_item(actor=po.user, membership=po, item=item)
    assert Item.objects.get(pk=item.pk).sprint == active_sprint


def test_every_scope_change_of_a_sprint_is_kept(po, make_item, active_sprint):
    for reason in ("Launch partner request", "Legal asked for it"):
        plan(po, active_sprint, make_item(S.READY), reason)
    plan(po, active_sprint, make_item(S.READY, type=ItemType.BUG, priority=Priority.CRITICAL))
    reasons = sorted(active_sprint.scope_changes.values_list("reason", flat=True))
    assert reasons == ["Critical bug", "Launch partner request", "Legal asked for it"]
