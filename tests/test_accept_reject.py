"""The client's verdict on delivered work: accept with every criterion ticked, or reject with a reason."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from sightline.audit.models import AuditEvent
from sightline.backlog.models import AcceptanceDecision, Item, Status
from sightline.backlog.transitions import item_accept, item_reject, item_transition
from sightline.lib.errors import DomainError, IllegalTransition, InvalidInput
from sightline.notifications.models import Notification

S = Status
REASON = "The saved card is not offered on the second purchase"


@pytest.fixture(autouse=True)
def quick_password_hashing(settings):
    """Every test creates five members; a cheap hasher keeps the module fast."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def delivered(make_item):
    return make_item(S.DELIVERED, criteria=["Card is remembered", "Pay in one click", "Receipt is emailed"])


def criterion_ids(item: Item) -> list[int]:
    return list(item.criteria.order_by("position").values_list("id", flat=True))


def nothing_written(item: Item, events_before: int) -> None:
    fresh = Item.objects.get(pk=item.pk)
    assert fresh.status == S.DELIVERED
    assert fresh.version == item.version
    assert (fresh.accepted_by, fresh.accepted_at, fresh.rejection_reason) == (None, None, "")
    assert not AcceptanceDecision.objects.filter(item=item).exists()
    assert AuditEvent.objects.filter(item=item).count() == events_before
    assert not fresh.criteria.filter(met=True).exists()
    assert not Notification.objects.filter(kind__in=["item.accepted", "item.rejected"]).exists()


# --- Accept -----------------------------------------------------------------------------------------------


def test_accepting_with_every_criterion_ticked_makes_the_item_done(client_po, delivered):
    ids = criterion_ids(delivered)
    item = item_accept(
        actor=client_po.user, membership=client_po, item=delivered, criteria_met=ids, comment="Works well"
    )

    item = Item.objects.get(pk=item.pk)
    assert item.status == S.ACCEPTED
    assert item.accepted_by == client_po.user
    assert item.accepted_at is not None
    assert item.version == delivered.version + 1
    decision = AcceptanceDecision.objects.get(item=item)
    assert (decision.outcome, decision.decided_by, decision.reason) == (
        "accepted",
        client_po.user,
        "Works well",
    )
    assert decision.sprint == item.sprint
    assert decision.criteria_ticks == [
        {"id": ids[0], "text": "Card is remembered", "met": True},
        {"id": ids[1], "text": "Pay in one click", "met": True},
        {"id": ids[2], "text": "Receipt is emailed", "met": True},
    ]
    assert list(item.criteria.values_list("met", flat=True)) == [True, True, True]


def test_accepting_without_naming_criteria_ticks_them_all(client_po, delivered):
    item_accept(actor=client_po.user, membership=client_po, item=delivered)
    decision = AcceptanceDecision.objects.get(item=delivered)
    assert all(tick["met"] for tick in decision.criteria_ticks)
    assert len(decision.criteria_ticks) == 3


def test_accepting_records_who_accepted_in_the_audit(client_po, delivered):
    item_accept(actor=client_po.user, membership=client_po, item=delivered)
    event = AuditEvent.objects.filter(item=delivered, action="item.transitioned").latest("id")
    assert event.changes["status"] == [S.DELIVERED, S.ACCEPTED]
    assert event.changes["accepted_by"] == [None, client_po.user.email]
    assert event.actor == client_po.user


@pytest.mark.parametrize("unticked", [0, 1, 2])
def test_accepting_with_an_unticked_criterion_is_refused_and_writes_nothing(unticked, client_po, delivered):
    ids = criterion_ids(delivered)
    events = AuditEvent.objects.filter(item=delivered).count()
    ticked = [cid for i, cid in enumerate(ids) if i != unticked]
    text = delivered.criteria.get(id=ids[unticked]).text

    with pytest.raises(DomainError) as refused:
        item_accept(actor=client_po.user, membership=client_po, item=delivered, criteria_met=ticked)

    assert refused.value.field == "criteria"
    assert text in refused.value.message
    assert "reject" in refused.value.message
    nothing_written(delivered, events)


def test_accepting_with_no_criterion_ticked_names_them_all(client_po, delivered):
    with pytest.raises(DomainError) as refused:
        item_accept(actor=client_po.user, membership=client_po, item=delivered, criteria_met=[])
    assert refused.value.message.startswith("3 acceptance criteria are not ticked")


@pytest.mark.parametrize("extra", [[999_999], [-1]])
def test_accepting_with_an_unknown_criterion_is_invalid_input(extra, client_po, delivered):
    events = AuditEvent.objects.filter(item=delivered).count()
    with pytest.raises(InvalidInput) as refused:
        item_accept(
            actor=client_po.user,
            membership=client_po,
            item=delivered,
            criteria_met=criterion_ids(delivered) + extra,
        )
    assert refused.value.field == "criteria"
    nothing_written(delivered, events)


def test_a_criterion_of_another_item_is_unknown_to_this_one(client_po, delivered, make_item):
    other = make_item(S.DELIVERED)
    with pytest.raises(InvalidInput):
        item_accept(
            actor=client_po.user,
            membership=client_po,
            item=delivered,
            criteria_met=criterion_ids(delivered) + criterion_ids(other)[:1],
        )


def test_the_team_is_told_when_an_item_is_accepted(
    client_po, delivered, members, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        item_accept(actor=client_po.user, membership=client_po, item=delivered)
    told = set(Notification.objects.filter(kind="item.accepted").values_list("user__email", flat=True))
    assert told == {m.user.email for m in members.values() if m.is_agency}
    assert {m.to[0] for m in mail.outbox} == told


@pytest.mark.parametrize("state", [S.DRAFT, S.READY, S.PLANNED, S.IN_PROGRESS])
def test_an_item_that_is_not_delivered_cannot_be_accepted(state, client_po, make_item):
    item = make_item(state)
    with pytest.raises(IllegalTransition) as refused:
        item_accept(actor=client_po.user, membership=client_po, item=item)
    assert Item.objects.get(pk=item.pk).status == state
    assert not AcceptanceDecision.objects.exists()
    assert refused.value.field == "to"


@pytest.mark.parametrize("verdict", ["accept", "reject"])
def test_an_item_cannot_be_judged_twice(verdict, client_po, delivered):
    item_accept(actor=client_po.user, membership=client_po, item=delivered)
    with pytest.raises(IllegalTransition):
        if verdict == "accept":
            item_accept(actor=client_po.user, membership=client_po, item=delivered)
        else:
            item_reject(actor=client_po.user, membership=client_po, item=delivered, reason=REASON)
    assert AcceptanceDecision.objects.filter(item=delivered).count() == 1


@pytest.mark.parametrize("role", ["agency_po", "developer", "tester", "client_stakeholder"])
def test_only_the_client_po_may_accept(role, members, delivered):
    events = AuditEvent.objects.filter(item=delivered).count()
    with pytest.raises(PermissionDenied, match="client_po"):
        item_accept(actor=members[role].user, membership=members[role], item=delivered)
    nothing_written(delivered, events)


# --- Reject -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("reason", ["", "   ", "Too short", "  broken   ", "\n\n\nbad\n\n\n"])
def test_rejecting_without_a_reason_of_ten_characters_is_refused_and_writes_nothing(
    reason, client_po, delivered
):
    events = AuditEvent.objects.filter(item=delivered).count()
    with pytest.raises(InvalidInput) as refused:
        item_reject(actor=client_po.user, membership=client_po, item=delivered, reason=reason)
    assert refused.value.field == "reason"
    assert "10 characters" in refused.value.message
    nothing_written(delivered, events)


def test_a_reason_of_exactly_ten_characters_is_enough(client_po, delivered):
    item = item_reject(actor=client_po.user, membership=client_po, item=delivered, reason="  Broken now  ")
    assert Item.objects.get(pk=item.pk).rejection_reason == "Broken now"


def test_rejecting_sends_the_item_back_with_the_reason_visible_to_everyone(client_po, delivered):
    item = item_reject(actor=client_po.user, membership=client_po, item=delivered, reason=f"  {REASON}  ")

    item = Item.objects.get(pk=item.pk)
    assert item.status == S.REJECTED
    assert item.rejection_reason == REASON
    assert (item.accepted_by, item.accepted_at) == (None, None)
    decision = AcceptanceDecision.objects.get(item=item)
    assert (decision.outcome, decision.reason, decision.decided_by) == ("rejected", REASON, client_po.user)
    event = AuditEvent.objects.filter(item=item, action="item.transitioned").latest("id")
    assert event.changes["status"] == [S.DELIVERED, S.REJECTED]
    assert event.note == REASON
    assert event.internal is False


def test_rejecting_keeps_the_criteria_the_client_did_tick(client_po, delivered):
    ids = criterion_ids(delivered)
    item_reject(
        actor=client_po.user, membership=client_po, item=delivered, reason=REASON, criteria_met=ids[:1]
    )
    assert list(delivered.criteria.order_by("position").values_list("met", flat=True)) == [True, False, False]
    ticks = AcceptanceDecision.objects.get(item=delivered).criteria_ticks
    assert [t["met"] for t in ticks] == [True, False, False]


def test_rejecting_without_ticks_leaves_every_criterion_unmet(client_po, delivered):
    item_reject(actor=client_po.user, membership=client_po, item=delivered, reason=REASON)
    assert not delivered.criteria.filter(met=True).exists()


def test_the_team_is_told_why_an_item_was_rejected(
    client_po, delivered, members, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        item_reject(actor=client_po.user, membership=client_po, item=delivered, reason=REASON)

    notices = Notification.objects.filter(kind="item.rejected")
    team = {m.user.email for m in members.values() if m.is_agency}
    assert {n.user.email for n in notices} == team
    assert all(REASON in n.message and delivered.key in n.message for n in notices)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(team)
    assert all(delivered.key in m.subject for m in mail.outbox)


@pytest.mark.parametrize("state", [S.DRAFT, S.READY, S.PLANNED, S.IN_PROGRESS, S.REJECTED])
def test_an_item_that_is_not_delivered_cannot_be_rejected(state, client_po, make_item):
    if state == S.REJECTED:
        item = item_reject(
            actor=client_po.user, membership=client_po, item=make_item(S.DELIVERED), reason=REASON
        )
    else:
        item = make_item(state)
    with pytest.raises(IllegalTransition):
        item_reject(actor=client_po.user, membership=client_po, item=item, reason=REASON)
    assert Item.objects.get(pk=item.pk).status == state


@pytest.mark.parametrize("role", ["agency_po", "developer", "tester", "client_stakeholder"])
def test_only_the_client_po_may_reject(role, members, delivered):
    events = AuditEvent.objects.filter(item=delivered).count()
    with pytest.raises(PermissionDenied):
        item_reject(actor=members[role].user, membership=members[role], item=delivered, reason=REASON)
    nothing_written(delivered, events)


def test_a_rejected_item_reworked_and_delivered_again_can_then_be_accepted(client_po, dev, delivered):
    item_reject(actor=client_po.user, membership=client_po, item=delivered, reason=REASON)
    item = item_transition(actor=dev.user, membership=dev, item=delivered, to=S.IN_PROGRESS)
    item = item_transition(actor=dev.user, membership=dev, item=item, to=S.DELIVERED, note="Fixed the card")
    item = item_accept(actor=client_po.user, membership=client_po, item=item)

    assert item.status == S.ACCEPTED
    outcomes = list(
        AcceptanceDecision.objects.filter(item=item).order_by("id").values_list("outcome", flat=True)
    )
    assert outcomes == ["rejected", "accepted"]
    statuses = [
        e.changes["status"] for e in AuditEvent.objects.for_item(item).filter(action="item.transitioned")
    ]
    assert statuses[-4:] == [
        [S.DELIVERED, S.REJECTED],
        [S.REJECTED, S.IN_PROGRESS],
        [S.IN_PROGRESS, S.DELIVERED],
        [S.DELIVERED, S.ACCEPTED],
    ]
