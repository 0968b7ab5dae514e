"""Item pages: create from a template and edit with optimistic locking, and the backlog pages' refusals to
outsiders and anonymous visitors. The helpers here are shared by the other item page modules."""

import re

import pytest
from django.urls import reverse

from sightline.backlog.item_templates import template_save
from sightline.backlog.models import Item, Priority
from sightline.backlog.services import item_update
from sightline.backlog.subtasks import subtask_add
from tests.conftest import login


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def url(name, *args):
    return reverse(f"backlog:{name}", args=["ACME", *args])


def item_fields(**overrides):
    data = {
        "type": "story",
        "title": "Pay with a saved card",
        "user_story": "As a buyer I want to pay fast",
        "description": "Uses the **card vault**.",
        "priority": "high",
        "points": "3",
        "estimate_hours": "",
        "epic": "",
        "assignee": "",
        "labels": "checkout, mobile",
        "criteria": ["Card is remembered", "Pay in one click"],
    }
    data.update(overrides)
    return data


def text(response) -> str:
    return response.content.decode()


# --- Create ---------------------------------------------------------------------------------------


def test_a_new_bug_starts_from_the_default_bug_template(po):
    html = text(login(po.user).get(url("create"), {"type": "bug"}))
    assert "## Steps to reproduce" in html and "## Expected" in html and "## Actual" in html
    assert '<option value="bug" selected>' in html


def test_a_new_story_starts_from_the_projects_saved_template_and_can_be_edited(po):
    template_save(
        actor=po.user,
        membership=po,
        type="story",
        user_story="As a shop owner I want …",
        description="Why it matters:",
        criteria=["Works on mobile", "Has analytics"],
    )
    html = text(login(po.user).get(url("create"), {"type": "story"}))
    assert "As a shop owner I want …" in html and "Why it matters:" in html
    assert 'value="Works on mobile"' in html and 'value="Has analytics"' in html
    assert re.search(r'<textarea name="user_story"[^>]*>\s*As a shop owner', html)


def test_creating_an_item_keeps_its_criteria_in_order(po, project):
    response = login(po.user).post(url("create"), item_fields(template_applied="True"))
    item = Item.objects.get(project=project)
    assert response.status_code == 302 and response.url == url("item", item.key)
    assert list(item.criteria.values_list("text", flat=True)) == ["Card is remembered", "Pay in one click"]
    assert item.labels == ["checkout", "mobile"] and item.priority == Priority.HIGH and item.points == 3


def test_a_quick_create_that_never_showed_the_template_still_gets_it(po, project):
    template_save(
        actor=po.user,
        membership=po,
        type="bug",
        user_story="",
        description="Steps: …",
        criteria=["Fixed on staging"],
    )
    login(po.user).post(url("create"), item_fields(type="bug", description="", criteria=[]))
    item = Item.objects.get(project=project)
    assert item.description == "Steps: …"
    assert list(item.criteria.values_list("text", flat=True)) == ["Fixed on staging"]


def test_validation_errors_name_the_field_and_keep_the_input(po, project):
    response = login(po.user).post(url("create"), item_fields(title="  ", points="-2", user_story="Keep me"))
    html = text(response)
    assert response.status_code == 422
    assert "Title: This field is required." in html
    assert "Points: An estimate must be more than 0; leave it empty while the item is not estimated." in html
    assert "Keep me" in html and 'value="Card is remembered"' in html
    assert not Item.objects.exists()


def test_criteria_buttons_rearrange_the_list_without_saving(po):
    client = login(po.user)
    data = item_fields(criteria=["First", "Second", "Third"])
    html = text(client.post(url("create"), {**data, "criteria_action": "up:2"}))
    assert html.index('value="Third"') < html.index('value="Second"')
    html = text(client.post(url("create"), {**data, "criteria_action": "remove:0"}))
    assert 'value="First"' not in html and 'value="Second"' in html
    html = text(client.post(url("create"), {**data, "criteria_action": "add"}))
    assert len(re.findall(r'name="criteria"', html)) == 4
    assert 'value="Pay with a saved card"' in html
    assert not Item.objects.exists()


def test_clients_cannot_create_items(client_po):
    assert login(client_po.user).get(url("create")).status_code == 403
    assert login(client_po.user).post(url("create"), item_fields()).status_code == 403


# --- Edit -----------------------------------------------------------------------------------------


def test_editing_saves_fields_and_reordered_criteria(dev, make_item):
    item = make_item()
    response = login(dev.user).post(
        url("edit", item.key),
        item_fields(
            title="Pay with a stored card",
            version=item.version,
            criteria=["Pay in one click", "Card is remembered"],
        ),
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "Pay with a stored card" and item.version == 2
    assert list(item.criteria.values_list("text", flat=True)) == ["Pay in one click", "Card is remembered"]


def test_the_edit_form_shows_the_current_values_and_version(po, make_item):
    item = make_item(labels=["checkout", "mobile"])
    html = text(login(po.user).get(url("edit", item.key)))
    assert 'value="Checkout with saved card"' in html and 'value="checkout, mobile"' in html
    assert 'name="version" value="1"' in html and 'value="Pay in one click"' in html


def test_a_stale_version_is_refused_with_409_and_the_input_kept(po, dev, make_item):
    item = make_item()
    item_update(actor=po.user, membership=po, item=item, version=1, changes={"title": "Changed by the PO"})
    response = login(dev.user).post(url("edit", item.key), item_fields(title="My own title", version=1))
    html = text(response)
    assert response.status_code == 409
    assert "changed by someone else" in html
    assert 'value="My own title"' in html and "Card is remembered" in html
    assert 'name="version" value="2"' in html  # saving again now keeps the reader's version
    item.refresh_from_db()
    assert item.title == "Changed by the PO"


def test_service_errors_are_shown_next_to_their_field(po, make_item, other_project):
    from sightline.backlog.models import Epic

    item = make_item()
    foreign = Epic.objects.create(project=other_project, title="Not ours")
    response = login(po.user).post(url("edit", item.key), item_fields(epic=str(foreign.pk), version=1))
    assert response.status_code == 422
    assert "Epic: Select a valid choice." in text(response)


def test_clients_and_stakeholders_cannot_edit(client_po, stakeholder, make_item):
    item = make_item()
    for member in (client_po, stakeholder):
        assert login(member.user).get(url("edit", item.key)).status_code == 403


# --- Outsiders ------------------------------------------------------------------------------------


def test_a_non_member_gets_404_on_every_backlog_page(outsider, dev, make_item):
    item = make_item()
    subtask = subtask_add(actor=dev.user, membership=dev, item=item, title="Wire it")
    client = login(outsider.user)
    pages = [
        url("list"),
        url("create"),
        url("epics"),
        url("templates"),
        url("item", item.key),
        url("edit", item.key),
        url("history", item.key),
    ]
    for page in pages:
        assert client.get(page).status_code == 404, page
    actions = [
        url("move", item.key),
        url("priority", item.key),
        url("transition", item.key),
        url("subtask_add", item.key),
        url("subtask_toggle", item.key, subtask.pk),
        url("comment_add", item.key),
        url("create"),
        url("edit", item.key),
        url("epics"),
        url("templates"),
    ]
    for action in actions:
        assert client.post(action, {"title": "x", "to_top": "1"}).status_code == 404, action


def test_an_item_key_of_another_project_is_not_found(po, other_project):
    from sightline.backlog.services import item_create
    from sightline.projects.models import Membership, Role

    globex = Membership.objects.create(project=other_project, user=po.user, role=Role.AGENCY_PO)
    theirs = item_create(actor=po.user, membership=globex, title="Globex only")
    assert login(po.user).get(url("item", theirs.key)).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, make_item):
    item = make_item()
    response = client.get(url("item", item.key))
    assert response.status_code == 302 and "/accounts/login" in response.url
