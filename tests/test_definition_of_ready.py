"""The Definition of Ready: a draft lacking part of it is refused naming every gap at once, and what a
complete item needs."""

import pytest

from sightline.backlog.models import Item
from sightline.backlog.services import item_create
from sightline.backlog.transitions import item_transition
from sightline.backlog.workflow import definition_of_ready_gaps
from sightline.lib.errors import DomainError
from tests.test_workflow import S, transition_events

# --- Definition of Ready ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("missing", "gap"),
    [
        ({"user_story": "", "description": ""}, "a user story or description"),
        ({"user_story": "  ", "description": "\n"}, "a user story or description"),
        ({"criteria": []}, "at least one acceptance criterion"),
        ({"criteria": ["   "]}, "at least one acceptance criterion"),
        ({"points": None, "estimate_hours": None}, "an estimate"),
    ],
    ids=["no-story", "blank-story", "no-criteria", "blank-criterion", "no-estimate"],
)
def test_a_draft_lacking_part_of_the_definition_of_ready_is_refused_naming_the_gap(
    missing, gap, dev, make_item
):
    item = make_item(S.DRAFT, **missing)
    with pytest.raises(DomainError) as refused:
        item_transition(actor=dev.user, membership=dev, item=item, to=S.READY)
    assert gap in refused.value.message
    assert Item.objects.get(pk=item.pk).status == S.DRAFT
    assert not transition_events(item).exists()


def test_a_draft_lacking_everything_is_told_every_gap_at_once(dev):
    item = item_create(actor=dev.user, membership=dev, title="Gift cards")
    with pytest.raises(DomainError) as refused:
        item_transition(actor=dev.user, membership=dev, item=item, to=S.READY)
    for gap in ("a user story or description", "at least one acceptance criterion", "an estimate"):
        assert gap in refused.value.message


def test_a_description_and_an_hour_estimate_satisfy_the_definition_of_ready(tester, make_item):
    item = make_item(S.DRAFT, user_story="", description="Offer gift cards", points=None, estimate_hours=6)
    item = item_transition(actor=tester.user, membership=tester, item=item, to=S.READY)
    assert item.status == S.READY


def test_an_item_without_a_priority_is_not_ready():
    item = Item(title="Gift cards", user_story="As a buyer…", points=2, priority="")
    assert definition_of_ready_gaps(item, criteria_count=1) == ["a priority"]


def test_a_complete_item_has_no_gaps():
    item = Item(title="Gift cards", description="Offer them", estimate_hours=3, priority="low")
    assert definition_of_ready_gaps(item, criteria_count=2) == []
