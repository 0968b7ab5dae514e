"""The input decision requests refuse: past due dates, too few or too many options, blank or repeated labels,
more than one recommendation, and blocking items of another project or finished work."""

from datetime import timedelta

import pytest

from sightline.audit.models import AuditEvent
from sightline.backlog.models import Status
from sightline.decisions.models import DecisionOption, DecisionRequest
from sightline.decisions.services import (
    OptionInput,
)
from sightline.lib.errors import InvalidInput
from sightline.projects.models import Role, project_today
from tests.conftest import _member
from tests.test_decisions_services import ask

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
