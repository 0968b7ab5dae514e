"""The feedback API: give feedback (text; screenshots go through the page), list it, convert it."""

import pytest

from sightline.backlog.models import Item, Status
from sightline.feedback.models import Feedback
from sightline.feedback.services import feedback_give
from sightline.projects.models import Role
from tests.api_support import api_for


@pytest.fixture
def given(stakeholder):
    return feedback_give(actor=stakeholder.user, membership=stakeholder, text="Show stock per store")


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_every_member_gives_feedback(members, role):
    response = api_for(members[role]).post("/projects/ACME/feedback", {"text": "Faster search, please"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["author"] == members[role].user.email and body["state"] == "open"
    assert body["item"] is None and body["sprint"] is None and body["screenshot_url"] is None


def test_feedback_on_an_item_at_a_sprint_review(client_po, make_item, sprint):
    item = make_item(Status.READY)
    response = api_for(client_po).post(
        "/projects/ACME/feedback", {"text": "Add XL", "item": item.key.lower(), "sprint": sprint.number}
    )
    assert response.status_code == 201
    assert (response.json()["item"], response.json()["sprint"]) == (item.key, sprint.number)


def test_unknown_items_sprints_and_empty_text_are_refused_with_the_field(client_po):
    api = api_for(client_po)
    assert (
        api.post("/projects/ACME/feedback", {"text": "x", "item": "ACME-404"}).json()["errors"][0]["field"]
        == "item"
    )
    assert (
        api.post("/projects/ACME/feedback", {"text": "x", "sprint": 9}).json()["errors"][0]["field"]
        == "sprint"
    )
    empty = api.post("/projects/ACME/feedback", {"text": ""})
    assert empty.status_code == 422 and empty.json()["errors"][0]["field"] == "text"
    assert not Feedback.objects.exists()


def test_the_list_filters_by_state(po, given, stakeholder):
    other = feedback_give(actor=stakeholder.user, membership=stakeholder, text="Dark mode")
    api_for(po).post(f"/feedback/{other.pk}/convert", {})
    api = api_for(stakeholder)
    assert [f["id"] for f in api.get("/projects/ACME/feedback").json()] == [other.pk, given.pk]
    assert [f["id"] for f in api.get("/projects/ACME/feedback", {"state": "open"}).json()] == [given.pk]
    converted = api.get("/projects/ACME/feedback", {"state": "converted"}).json()
    assert [f["id"] for f in converted] == [other.pk] and converted[0]["item_created"].startswith("ACME-")
    assert api.get("/projects/ACME/feedback", {"state": "lost"}).status_code == 422


def test_an_agency_member_converts_and_twice_is_409(dev, given):
    api = api_for(dev)
    response = api.post(
        f"/feedback/{given.pk}/convert", {"title": "Stock per store", "type": "story", "priority": "high"}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    item = Item.objects.get(key=body["item_created"])
    assert (item.title, item.priority, item.description) == (
        "Stock per store",
        "high",
        "Show stock per store",
    )
    assert body["state"] == "converted" and body["converted_by"] == dev.user.email
    again = api.post(f"/feedback/{given.pk}/convert", {})
    assert again.status_code == 409 and "already converted" in again.json()["detail"]
    assert Item.objects.count() == 1


def test_the_client_may_not_convert_and_outsiders_get_404(client_po, outsider, given):
    refused = api_for(client_po).post(f"/feedback/{given.pk}/convert", {})
    assert refused.status_code == 403 and "feedback.convert" in refused.json()["detail"]
    assert api_for(outsider).post(f"/feedback/{given.pk}/convert", {}).status_code == 404
    assert api_for(outsider).get("/projects/ACME/feedback").status_code == 404
    assert api_for(outsider).post("/projects/ACME/feedback", {"text": "hi"}).status_code == 404
    assert not Item.objects.exists()


def test_html_is_returned_as_text_not_interpreted(client_po):
    response = api_for(client_po).post("/projects/ACME/feedback", {"text": "<script>alert(1)</script>"})
    assert response.json()["text"] == "<script>alert(1)</script>"  # JSON carries text; pages escape it
    assert response["Content-Type"].startswith("application/json")
