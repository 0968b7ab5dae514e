"""Editing and withdrawing decision requests through their services: open decisions keep their option ids,
answered ones keep their options, stale edits are refused, and only the agency withdraws."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied

from sightline.audit.models import AuditEvent
from sightline.decisions.models import DecisionRequest, DecisionState
from sightline.decisions.selectors import blocking_decisions_of
from sightline.decisions.services import (
    DecisionClosed,
    OptionInput,
    decision_answer,
    decision_update,
    decision_withdraw,
)
from sightline.lib.errors import InvalidInput, StaleVersion
from sightline.notifications.models import Notification
from tests.test_decisions_services import OPTIONS, ask, option_ids

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
