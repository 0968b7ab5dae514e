"""Decision requests through their services: asking, editing while open, answering, withdrawing, the
items they block, who may do what, and the input they refuse."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from sightline.audit.models import AuditEvent
from sightline.backlog.models import Status
from sightline.decisions.models import DecisionOption, DecisionRequest, DecisionState
from sightline.decisions.selectors import blocking_decisions_of, project_decisions
from sightline.decisions.services import (
    DecisionClosed,
    OptionInput,
    decision_answer,
    decision_create,
    decision_update,
    decision_withdraw,
)
from sightline.lib.errors import InvalidInput, StaleVersion
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


# --- Bad input ------------------------------------------------------------------------------------


def _refusal(po, **fields) -> InvalidInput:
    with pytest.raises(InvalidInput) as refused:
        ask(po, **fields)
    assert not DecisionRequest.objects.exists() and not DecisionOption.objects.exists()
    assert not AuditEvent.objects.filter(action="decision.requested").exists()
    return refused.value


def test_a_due_date_in_the_past_is_refused_naming_the_field(po):
    error = _refusal(po, due=project_today(po.project) - timedelta(days=1))
    assert error.field == "due_date" and "in the past" in error.message


def test_today_is_a_valid_due_date(po):
    assert ask(po, due=project_today(po.project)).due_date == project_today(po.project)


def test_one_option_is_not_enough(po):
    error = _refusal(po, options=[OptionInput("Card only")])
    assert error.field == "options" and "at least 2 options" in error.message


def test_more_than_five_options_are_refused(po):
    error = _refusal(po, options=[OptionInput(f"Provider {n}") for n in range(6)])
    assert error.field == "options" and "at most 5" in error.message


def test_an_option_without_a_label_is_refused_naming_the_option(po):
    error = _refusal(po, options=[OptionInput("Card only"), OptionInput("   ", pros="Cheap")])
    assert error.field == "options.1.label" and error.message == "Option 2 needs a label."


def test_two_options_with_the_same_label_are_refused(po):
    error = _refusal(po, options=[OptionInput("Card only"), OptionInput("card ONLY")])
    assert error.field == "options.1.label"


def test_recommending_two_options_is_refused(po):
    error = _refusal(po, options=[OptionInput("A", recommended=True), OptionInput("B", recommended=True)])
    assert error.field == "recommended"


def test_a_reason_for_a_recommendation_that_was_not_made_is_refused(po):
    options = [OptionInput("A"), OptionInput("B")]
    error = _refusal(po, options=options, recommendation_reason="Because it is cheaper.")
    assert error.field == "recommended"


def test_an_empty_question_is_refused(po):
    assert _refusal(po, question="   ").field == "question"


def test_blocking_an_item_of_another_project_is_refused(po, other_project, make_item):
    globex_po = _member(other_project, "po@globex.test", Role.AGENCY_PO)
    theirs = make_item(membership=globex_po)
    error = _refusal(po, blocking_item_keys=[theirs.key])
    assert error.field == "blocking_items" and theirs.key in error.message


def test_blocking_finished_work_is_refused(po, client_po, make_item, sprint):
    from sightline.backlog.transitions import item_accept

    item = make_item(Status.DELIVERED, sprint=sprint)
    item_accept(
        actor=client_po.user,
        membership=client_po,
        item=item,
        criteria_met=[c.pk for c in item.criteria.all()],
    )
    error = _refusal(po, blocking_item_keys=[item.key])
    assert error.field == "blocking_items" and "already accepted" in error.message


def test_html_is_stored_as_typed_to_be_escaped_where_shown(po):
    decision = ask(po, question="Use <script>alert(1)</script> tags?")
    assert decision.question == "Use <script>alert(1)</script> tags?"


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


# --- Answering ------------------------------------------------------------------------------------


def test_the_client_po_answers_and_the_asker_and_the_team_are_told(
    po, dev, tester, client_po, stakeholder, django_capture_on_commit_callbacks
):
    decision = ask(dev)
    chosen = option_ids(decision)[1]
    with django_capture_on_commit_callbacks(execute=True):
        decision = decision_answer(
            actor=client_po.user,
            membership=client_po,
            decision=decision,
            option_id=chosen,
            comment="PayPal matters.",
        )
    assert decision.state == DecisionState.ANSWERED and decision.answer_option_id == chosen
    assert decision.answer_comment == "PayPal matters." and decision.answered_by == client_po.user
    assert decision.answered_at is not None and decision.version == 2
    told = set(Notification.objects.filter(kind="decision.answered").values_list("user", flat=True))
    assert told == {po.user.pk, dev.user.pk, tester.user.pk}
    assert sorted(e.to[0] for e in mail.outbox) == sorted(u.email for u in (po.user, dev.user, tester.user))
    event = AuditEvent.objects.get(action="decision.answered")
    assert event.changes["answer"] == [None, "Card and PayPal"] and event.note == "PayPal matters."


@pytest.mark.parametrize("role", [Role.AGENCY_PO, Role.DEVELOPER, Role.TESTER, Role.CLIENT_STAKEHOLDER])
def test_only_the_client_po_may_answer(members, role):
    decision = ask(members[Role.AGENCY_PO])
    with pytest.raises(PermissionDenied):
        decision_answer(
            actor=members[role].user,
            membership=members[role],
            decision=decision,
            option_id=option_ids(decision)[0],
        )
    decision.refresh_from_db()
    assert decision.state == DecisionState.OPEN


def test_the_client_member_a_decision_was_handed_to_may_answer_it(po, stakeholder):
    decision = ask(po, holder=stakeholder.user)
    decision = decision_answer(
        actor=stakeholder.user, membership=stakeholder, decision=decision, option_id=option_ids(decision)[0]
    )
    assert decision.answered_by == stakeholder.user


def test_answering_twice_is_refused_as_a_conflict_keeping_the_first_answer(po, client_po):
    decision = ask(po)
    first, second = option_ids(decision)
    decision_answer(actor=client_po.user, membership=client_po, decision=decision, option_id=first)
    with pytest.raises(DecisionClosed) as refused:
        decision_answer(actor=client_po.user, membership=client_po, decision=decision, option_id=second)
    assert refused.value.status == 409 and "already answered" in refused.value.message
    decision.refresh_from_db()
    assert decision.answer_option_id == first


def test_an_option_of_another_decision_is_an_unknown_option(po, client_po):
    decision, other = ask(po), ask(po)
    with pytest.raises(InvalidInput) as refused:
        decision_answer(
            actor=client_po.user, membership=client_po, decision=decision, option_id=option_ids(other)[0]
        )
    assert refused.value.status == 422 and refused.value.field == "option"
    assert "Card only" in refused.value.message


def test_a_withdrawn_decision_cannot_be_answered(po, client_po):
    decision = ask(po)
    decision_withdraw(actor=po.user, membership=po, decision=decision, reason="We found a way around it.")
    with pytest.raises(DecisionClosed) as refused:
        decision_answer(
            actor=client_po.user, membership=client_po, decision=decision, option_id=option_ids(decision)[0]
        )
    assert refused.value.status == 409 and "withdrawn" in refused.value.message


def test_answering_a_version_the_team_has_since_edited_is_refused(po, client_po):
    decision = ask(po)
    decision_update(
        actor=po.user,
        membership=po,
        decision=decision,
        version=1,
        question="Which payment methods for the launch in March?",
        options=OPTIONS,
        due_date=decision.due_date,
    )
    with pytest.raises(StaleVersion):
        decision_answer(
            actor=client_po.user,
            membership=client_po,
            decision=decision,
            option_id=option_ids(decision)[0],
            version=1,
        )


def test_a_client_po_of_another_project_cannot_answer(po, outsider):
    decision = ask(po)
    with pytest.raises(PermissionDenied):
        decision_answer(
            actor=outsider.user, membership=outsider, decision=decision, option_id=option_ids(decision)[0]
        )


# --- Editing and withdrawing ------------------------------------------------------------------------


def test_an_open_decision_can_be_edited_and_its_options_keep_their_ids(po, make_item):
    decision = ask(po)
    ids = option_ids(decision)
    item = make_item()
    decision = decision_update(
        actor=po.user,
        membership=po,
        decision=decision,
        version=1,
        question="Which payment methods at launch?",
        context=decision.context,
        options=[
            OPTIONS[0],
            OptionInput("Card, PayPal and Klarna", effort="12 days"),
            OptionInput("Invoice"),
        ],
        due_date=decision.due_date + timedelta(days=2),
        blocking_item_keys=[item.key],
    )
    assert decision.version == 2 and option_ids(decision)[:2] == ids
    assert [o.label for o in decision.options.all()] == ["Card only", "Card, PayPal and Klarna", "Invoice"]
    assert decision.recommended_option is None
    assert blocking_decisions_of(item) == [decision]
    event = AuditEvent.objects.get(action="decision.updated")
    assert set(event.changes) == {"options", "due_date", "blocking_items"}


def test_options_cannot_be_edited_after_an_answer(po, client_po):
    decision = ask(po)
    decision_answer(
        actor=client_po.user, membership=client_po, decision=decision, option_id=option_ids(decision)[0]
    )
    with pytest.raises(DecisionClosed) as refused:
        decision_update(
            actor=po.user,
            membership=po,
            decision=decision,
            version=None,
            question=decision.question,
            options=[OptionInput("Something else"), OptionInput("Another")],
            due_date=decision.due_date,
        )
    assert refused.value.status == 409 and "can no longer be edited" in refused.value.message
    assert [o.label for o in decision.options.all()] == ["Card only", "Card and PayPal"]


def test_a_stale_edit_is_refused(po):
    decision = ask(po)
    args = {"question": "Q?", "options": OPTIONS, "due_date": decision.due_date}
    decision_update(actor=po.user, membership=po, decision=decision, version=1, **args)
    with pytest.raises(StaleVersion):
        decision_update(
            actor=po.user, membership=po, decision=decision, version=1, **{**args, "question": "R?"}
        )


def test_an_overdue_decision_can_be_edited_without_moving_its_date_but_not_to_another_past_date(po):
    decision = ask(po)
    DecisionRequest.objects.filter(pk=decision.pk).update(due_date=date(2020, 1, 10))
    decision.refresh_from_db()
    args = {"options": OPTIONS, "version": decision.version}
    decision = decision_update(
        actor=po.user,
        membership=po,
        decision=decision,
        question="Clearer?",
        due_date=date(2020, 1, 10),
        **args,
    )
    assert decision.question == "Clearer?"
    with pytest.raises(InvalidInput) as refused:
        decision_update(
            actor=po.user,
            membership=po,
            decision=decision,
            question="Q?",
            due_date=date(2020, 1, 11),
            options=OPTIONS,
            version=None,
        )
    assert refused.value.field == "due_date"


def test_withdrawing_tells_the_client_and_a_withdrawn_decision_cannot_be_withdrawn_again(po, client_po):
    decision = ask(po)
    decision = decision_withdraw(
        actor=po.user, membership=po, decision=decision, reason="Not needed after all."
    )
    assert decision.state == DecisionState.WITHDRAWN and decision.withdrawn_by == po.user
    assert Notification.objects.filter(kind="decision.withdrawn", user=client_po.user).exists()
    with pytest.raises(DecisionClosed):
        decision_withdraw(actor=po.user, membership=po, decision=decision)


def test_the_client_cannot_withdraw_a_decision(po, client_po):
    decision = ask(po)
    with pytest.raises(PermissionDenied):
        decision_withdraw(actor=client_po.user, membership=client_po, decision=decision)


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
