"""Decision requests through their services: asking, the items they block, and reading them (overdue, the
list's order, deletion with the project). The helpers here are shared by the other decision modules."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from sightline.audit.models import AuditEvent
from sightline.decisions.models import DecisionOption, DecisionRequest, DecisionState
from sightline.decisions.selectors import blocking_decisions_of, project_decisions
from sightline.decisions.services import (
    OptionInput,
    decision_answer,
    decision_create,
    decision_withdraw,
)
from sightline.lib.errors import InvalidInput
from sightline.notifications.models import Notification
from sightline.projects.models import Role, project_today
from tests.conftest import _member

OPTIONS = [
    OptionInput("Card only", pros="Ships next sprint", cons="No PayPal buyers", effort="3 days"),
    OptionInput(
        "Card and PayPal",
        pros="Every buyer pays",
        cons="Two providers to run",
        effort="8 days",
        recommended=True,
    ),
]


def ask(membership, *, options=OPTIONS, due=None, **fields) -> DecisionRequest:
    """An agency member asks the client; due in a week unless said."""
    fields.setdefault("question", "Which payment methods at launch?")
    fields.setdefault("context", "Payments are the last step of checkout.")
    return decision_create(
        actor=membership.user,
        membership=membership,
        options=options,
        due_date=due or project_today(membership.project) + timedelta(days=7),
        **fields,
    )


def option_ids(decision) -> list[int]:
    return list(decision.options.order_by("position").values_list("id", flat=True))


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# --- Asking ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.AGENCY_PO, Role.DEVELOPER, Role.TESTER])
def test_every_agency_role_may_ask_the_client_to_decide(members, role):
    decision = ask(members[role], recommendation_reason="Half our buyers use PayPal.")
    assert decision.state == DecisionState.OPEN and decision.reference == "D-1"
    assert [o.label for o in decision.options.all()] == ["Card only", "Card and PayPal"]
    assert decision.recommended_option.label == "Card and PayPal"
    assert decision.created_by == members[role].user and decision.version == 1


@pytest.mark.parametrize("role", [Role.CLIENT_PO, Role.CLIENT_STAKEHOLDER])
def test_client_roles_may_not_ask_for_a_decision(members, role):
    with pytest.raises(PermissionDenied):
        ask(members[role])
    assert not DecisionRequest.objects.exists()


def test_decisions_are_numbered_per_project(po, outsider, other_project):
    globex_po = _member(other_project, "po@globex.test", Role.AGENCY_PO)
    assert [ask(po).reference, ask(po).reference] == ["D-1", "D-2"]
    assert ask(globex_po).reference == "D-1"


def test_asking_notifies_the_client_po_with_the_options_in_the_email(
    po, client_po, stakeholder, dev, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        decision = ask(po, cost_of_delay="After 12 Mar this costs ~3 extra days.")
    note = Notification.objects.get(kind="decision.requested")
    assert note.user == client_po.user and note.url == decision.get_absolute_url()
    assert not Notification.objects.filter(kind="decision.requested").exclude(user=client_po.user).exists()
    (email,) = mail.outbox
    assert email.to == [client_po.user.email]
    assert "1. Card only" in email.body and "2. Card and PayPal — our recommendation" in email.body
    assert "After 12 Mar this costs ~3 extra days." in email.body


def test_a_decision_asked_of_a_stakeholder_notifies_them_rather_than_the_client_po(
    po, client_po, stakeholder
):
    decision = ask(po, holder=stakeholder.user)
    assert decision.holder == stakeholder.user
    assert list(Notification.objects.values_list("user", flat=True)) == [stakeholder.user.pk]


def test_a_decision_cannot_be_asked_of_someone_from_the_agency(po, dev):
    with pytest.raises(InvalidInput) as refused:
        ask(po, holder=dev.user)
    assert refused.value.field == "holder"


def test_asking_is_audited_with_the_options(po):
    decision = ask(po)
    event = AuditEvent.objects.get(action="decision.requested")
    assert event.target_id == decision.pk
    assert event.changes["options"] == [None, ["Card only", "Card and PayPal (recommended)"]]


# --- Blocked items --------------------------------------------------------------------------------


def test_the_items_a_decision_blocks_show_it_until_it_is_answered(po, client_po, make_item):
    item, other = make_item(title="Pay by PayPal"), make_item(title="Order history")
    decision = ask(po, blocking_item_keys=[item.key.lower()])
    assert blocking_decisions_of(item) == [decision] and blocking_decisions_of(other) == []
    assert AuditEvent.objects.filter(item=item, action="item.blocked").count() == 1
    decision_answer(
        actor=client_po.user, membership=client_po, decision=decision, option_id=option_ids(decision)[0]
    )
    assert blocking_decisions_of(item) == []
    unblocked = AuditEvent.objects.get(item=item, action="item.unblocked")
    assert "D-1" in unblocked.note
    assert list(decision.blocking_items.all()) == [item], "which items it blocked stays on record"


def test_an_item_blocked_by_two_decisions_stays_blocked_until_both_are_settled(po, client_po, make_item):
    item = make_item()
    first, second = ask(po, blocking_item_keys=[item.key]), ask(po, blocking_item_keys=[item.key])
    decision_answer(
        actor=client_po.user, membership=client_po, decision=first, option_id=option_ids(first)[1]
    )
    assert blocking_decisions_of(item) == [second]
    assert not AuditEvent.objects.filter(item=item, action="item.unblocked").exists()
    decision_withdraw(actor=po.user, membership=po, decision=second)
    assert blocking_decisions_of(item) == []
    assert AuditEvent.objects.filter(item=item, action="item.unblocked").count() == 1


# --- Reading --------------------------------------------------------------------------------------


def test_overdue_means_open_and_past_its_due_date(po, client_po):
    overdue, later, answered = ask(po), ask(po), ask(po)
    today = project_today(po.project)
    DecisionRequest.objects.filter(pk__in=[overdue.pk, answered.pk]).update(
        due_date=today - timedelta(days=1)
    )
    decision_answer(
        actor=client_po.user, membership=client_po, decision=answered, option_id=option_ids(answered)[0]
    )
    flags = {d.pk: d.is_overdue for d in project_decisions(po.project)}
    assert flags == {overdue.pk: True, later.pk: False, answered.pk: False}


def test_the_list_puts_open_decisions_first_soonest_due_first(po, client_po):
    today = project_today(po.project)
    late, soon, done = ask(po, due=today + timedelta(days=9)), ask(po, due=today + timedelta(days=2)), ask(po)
    decision_answer(actor=client_po.user, membership=client_po, decision=done, option_id=option_ids(done)[0])
    assert [d.pk for d in project_decisions(po.project)] == [soon.pk, late.pk, done.pk]


def test_deleting_a_project_deletes_its_answered_decisions(po, client_po):
    decision = ask(po)
    decision_answer(
        actor=client_po.user, membership=client_po, decision=decision, option_id=option_ids(decision)[0]
    )
    po.project.delete()
    assert not DecisionRequest.objects.exists() and not DecisionOption.objects.exists()
