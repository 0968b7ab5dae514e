"""An accepted item is Done: its text, acceptance criteria, type and estimates are what the client accepted
and stay as they were, in the services, on the edit page and in the API. Its priority, epic, assignee and
labels may still change; further work goes in a new item."""

import re

import pytest
from django.urls import reverse

from sightline.audit.models import AuditEvent
from sightline.backlog.models import Epic, Item, Status
from sightline.backlog.services import item_update
from sightline.backlog.transitions import item_accept
from sightline.lib.errors import DomainError
from tests.api_support import api_for, fields
from tests.conftest import login


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def accepted(make_item, client_po):
    item = make_item(Status.DELIVERED, points=3, labels=["checkout"])
    return item_accept(actor=client_po.user, membership=client_po, item=item)


def update(membership, item, changes, criteria=None):
    item = Item.objects.get(pk=item.pk)
    return item_update(
        actor=membership.user,
        membership=membership,
        item=item,
        version=item.version,
        changes=changes,
        criteria=criteria,
    )


@pytest.mark.parametrize(
    ("changes", "field", "named"),
    [
        ({"title": "Pay with any card"}, "title", "so its title can no longer change"),
        ({"user_story": "As a shop I want"}, "user_story", "its user story can"),
        ({"description": "Rewritten"}, "description", "its description can"),
        ({"type": "bug"}, "type", "its type can"),
        ({"points": 8}, "points", "its points can"),
        ({"title": "New", "description": "New"}, "title", "its title, description can"),
    ],
    ids=["title", "user_story", "description", "type", "points", "title-and-description"],
)
def test_what_the_client_accepted_cannot_be_rewritten(changes, field, named, dev, accepted):
    with pytest.raises(DomainError) as refused:
        update(dev, accepted, changes)
    assert refused.value.field == field and refused.value.status == 400
    assert f"{accepted.key} is accepted (Done)" in refused.value.message and named in refused.value.message
    assert "Open a new item for further work" in refused.value.message
    stored = Item.objects.get(pk=accepted.pk)
    assert (stored.title, stored.version) == (accepted.title, accepted.version)


def test_the_acceptance_criteria_of_an_accepted_item_cannot_change(po, accepted):
    before = list(accepted.criteria.values_list("text", "met"))
    with pytest.raises(DomainError, match="its acceptance criteria can no longer change") as refused:
        update(po, accepted, {}, criteria=["Something else entirely"])
    assert refused.value.field == "criteria"
    assert list(accepted.criteria.values_list("text", "met")) == before
    assert not AuditEvent.objects.filter(item=accepted, action="item.updated").exists()


def test_an_accepted_item_can_still_be_filed_assigned_labelled_and_prioritised(po, dev, accepted):
    epic = Epic.objects.create(project=po.project, title="Checkout")
    item = update(dev, accepted, {"epic": epic, "assignee": dev.user, "labels": ["checkout", "done"]})
    item = update(po, item, {"priority": "low"})
    stored = Item.objects.get(pk=item.pk)
    assert (stored.epic, stored.assignee, stored.labels, stored.priority) == (
        epic,
        dev.user,
        ["checkout", "done"],
        "low",
    )
    assert stored.status == Status.ACCEPTED


def test_resending_an_accepted_items_unchanged_text_is_not_a_change(dev, accepted):
    same = {"title": accepted.title, "points": 3}
    criteria = list(accepted.criteria.values_list("text", flat=True))
    update(dev, accepted, {**same, "labels": ["shipped"]}, criteria=criteria)
    assert Item.objects.get(pk=accepted.pk).labels == ["shipped"]


def test_work_not_yet_accepted_stays_editable(dev, make_item):
    item = make_item(Status.DELIVERED)
    assert update(dev, item, {"title": "Saved cards"}, criteria=["Only one"]).title == "Saved cards"


# --- The edit page --------------------------------------------------------------------------------


def edit_url(item):
    return reverse("backlog:edit", args=["ACME", item.key])


def test_the_edit_page_says_why_and_locks_what_the_client_accepted(dev, accepted):
    html = login(dev.user).get(edit_url(accepted)).content.decode()
    assert f"{accepted.key} is accepted (Done)." in html
    assert re.search(r'<input type="text" name="title"[^>]*disabled', html)
    assert 'name="criteria"' not in html and "Card is remembered" in html
    assert not re.search(r'<select name="priority"[^>]*disabled', html)


def test_posting_a_rewrite_of_an_accepted_item_changes_only_what_may_change(dev, accepted):
    response = login(dev.user).post(
        edit_url(accepted),
        {
            "version": accepted.version,
            "type": "bug",
            "title": "Rewritten after acceptance",
            "description": "Rewritten",
            "priority": "low",
            "points": "13",
            "labels": "checkout, shipped",
            "criteria": ["Nothing like what was accepted"],
        },
    )
    assert response.status_code == 302
    stored = Item.objects.get(pk=accepted.pk)
    assert (stored.title, stored.type, stored.points) == (accepted.title, accepted.type, 3)
    assert (stored.priority, stored.labels) == ("low", ["checkout", "shipped"])
    assert list(stored.criteria.values_list("text", flat=True)) == ["Card is remembered", "Pay in one click"]


# --- The API --------------------------------------------------------------------------------------


def test_the_api_refuses_to_rewrite_an_accepted_item_with_400_naming_the_field(dev, accepted):
    response = api_for(dev).patch(
        f"/items/{accepted.key}", {"version": accepted.version, "criteria": ["Something else"]}
    )
    assert response.status_code == 400 and fields(response) == ["criteria"]
    assert "is accepted (Done)" in response.json()["detail"]


def test_the_api_still_changes_an_accepted_items_labels(dev, accepted):
    response = api_for(dev).patch(f"/items/{accepted.key}", {"version": accepted.version, "labels": ["done"]})
    assert response.status_code == 200 and response.json()["labels"] == ["done"]
