"""Answering decision requests through their services: the client PO (or the member it was handed to)
answers once, the asker and the team are told, and stale, withdrawn or foreign answers are refused."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from sightline.audit.models import AuditEvent
from sightline.decisions.models import DecisionState
from sightline.decisions.services import (
    DecisionClosed,
    decision_answer,
    decision_update,
    decision_withdraw,
)
from sightline.lib.errors import InvalidInput, StaleVersion
from sightline.notifications.models import Notification
from sightline.projects.models import Role
from tests.test_decisions_services import OPTIONS, ask, option_ids

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
