"""The items API: create, read, and edit with optimistic locking and per-role limits; and odd JSON never gets
a 500."""

import json

import pytest

from sightline.backlog.models import Epic, Item
from tests.api_support import api_for, fields


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# --- POST /projects/{key}/items -------------------------------------------------------------------------


def test_creating_an_item_returns_201_with_the_item(dev):
    epic = Epic.objects.create(project=dev.project, title="Checkout")
    response = api_for(dev).post(
        "/projects/ACME/items",
        {
            "title": "  Pay with a saved card ",
            "type": "bug",
            "priority": "high",
            "user_story": "As a buyer…",
            "description": "Steps",
            "points": 2.5,
            "estimate_hours": 6,
            "epic_id": epic.id,
            "labels": ["web"],
            "criteria": ["Card is saved", "  ", "One click"],
            "assignee": dev.user.email.upper(),
        },
    )
    assert response.status_code == 201
    item = response.json()
    assert item["key"] == "ACME-1" and item["title"] == "Pay with a saved card" and item["status"] == "draft"
    assert (item["type"], item["priority"], item["points"], item["estimate_hours"]) == ("bug", "high", 2.5, 6)
    assert item["epic"]["id"] == epic.id and item["assignee"] == dev.user.email and item["version"] == 1
    assert [c["text"] for c in item["criteria"]] == ["Card is saved", "One click"]
    assert Item.objects.get(key="ACME-1").created_by == dev.user


def test_only_title_is_required_to_create_an_item(po):
    item = api_for(po).post("/projects/ACME/items", {"title": "Minimal"}).json()
    assert (item["type"], item["priority"], item["criteria"], item["epic"]) == ("story", "medium", [], None)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "   "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({}, "title"),
        ({"title": "ok", "type": "epic"}, "type"),
        ({"title": "ok", "priority": "urgent"}, "priority"),
        ({"title": "ok", "points": -1}, "points"),
        ({"title": "ok", "points": 10**9}, "points"),
        ({"title": "ok", "points": "NaN"}, "points"),
        ({"title": "ok", "estimate_hours": "lots"}, "estimate_hours"),
        ({"title": "ok", "epic_id": 10**30}, "epic_id"),
        ({"title": "ok", "epic_id": 424242}, "epic_id"),
        ({"title": "ok", "assignee": "stranger@example.test"}, "assignee"),
        ({"title": "ok", "labels": "web"}, "labels"),
        ({"title": "ok", "criteria": [1, 2]}, "criteria.0"),
        ({"title": "nul\x00byte"}, "title"),
        ({"title": "ok", "description": "\ud800"}, "description"),
    ],
)
def test_invalid_item_input_gets_422_naming_the_field(po, body, field):
    response = api_for(po).post("/projects/ACME/items", body)
    assert response.status_code == 422, response.content
    assert field in fields(response)
    assert not Item.objects.exists()


def test_an_epic_of_another_project_is_refused(po, other_project):
    epic = Epic.objects.create(project=other_project, title="Theirs")
    response = api_for(po).post("/projects/ACME/items", {"title": "ok", "epic_id": epic.id})
    assert response.status_code == 422 and fields(response) == ["epic_id"]


@pytest.mark.parametrize("raw", ['{"title": ', "not json", "\xff\xfe", "[1, 2]", '"a string"', "null"])
def test_malformed_bodies_get_422_not_500(po, raw):
    response = api_for(po).post("/projects/ACME/items", raw.encode("latin-1"))
    assert response.status_code == 422
    assert response.json()["errors"]


def test_unknown_fields_are_ignored(po):
    response = api_for(po).post("/projects/ACME/items", {"title": "ok", "status": "accepted", "version": 99})
    assert response.status_code == 201
    assert response.json()["status"] == "draft" and response.json()["version"] == 1


def test_client_roles_may_not_create_items_and_are_told_who_may(client_po):
    response = api_for(client_po).post("/projects/ACME/items", {"title": "Please add this"})
    assert response.status_code == 403
    assert "agency_po" in response.json()["detail"] and "developer" in response.json()["detail"]


def test_creating_in_an_unknown_project_gets_404(po):
    assert api_for(po).post("/projects/NOPE/items", {"title": "x"}).status_code == 404
    assert api_for(po).get("/projects/not-a-key/items").status_code == 404


# --- GET / PATCH /items/{item_key} ----------------------------------------------------------------------


def test_item_detail_shows_the_item(stakeholder, make_item):
    item = make_item()
    body = api_for(stakeholder).get(f"/items/{item.key}").json()
    assert body["key"] == item.key and body["title"] == item.title and len(body["criteria"]) == 2


@pytest.mark.parametrize("key", ["ACME-999", "NOPE-1", "acme-1", "ACME1", "x" * 300])
def test_unknown_item_keys_get_404(po, make_item, key):
    make_item()
    response = api_for(po).get(f"/items/{key}")
    assert response.status_code == 404 and response.json()["detail"] == "No such item."


def test_patch_changes_the_sent_fields_and_bumps_the_version(dev, make_item):
    item = make_item(labels=["web"])
    response = api_for(dev).patch(
        f"/items/{item.key}", {"version": 1, "title": "Renamed", "points": 5, "criteria": ["Only this one"]}
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["title"], body["points"], body["version"]) == ("Renamed", 5, 2)
    assert body["labels"] == ["web"] and body["user_story"] == item.user_story
    assert [c["text"] for c in body["criteria"]] == ["Only this one"]


def test_patch_can_clear_nullable_fields(po, make_item):
    epic = Epic.objects.create(project=po.project, title="Checkout")
    item = make_item(epic=epic, assignee=po.user)
    body = (
        api_for(po)
        .patch(f"/items/{item.key}", {"version": 1, "epic_id": None, "assignee": None, "points": None})
        .json()
    )
    assert (body["epic"], body["assignee"], body["points"]) == (None, None, None)


def test_patch_with_a_stale_version_gets_409_with_the_current_version(dev, make_item):
    item = make_item()
    client = api_for(dev)
    assert client.patch(f"/items/{item.key}", {"version": 1, "title": "First"}).status_code == 200
    response = client.patch(f"/items/{item.key}", {"version": 1, "title": "Second"})
    assert response.status_code == 409
    body = response.json()
    assert body["current_version"] == 2 and fields(response) == ["version"]
    assert "changed by someone else" in body["detail"]
    item.refresh_from_db()
    assert item.title == "First"


def test_patch_without_version_gets_422(dev, make_item):
    item = make_item()
    response = api_for(dev).patch(f"/items/{item.key}", {"title": "x"})
    assert response.status_code == 422 and fields(response) == ["version"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": None}, "title"),
        ({"title": ""}, "title"),
        ({"type": "epic"}, "type"),
        ({"user_story": None}, "user_story"),
        ({"labels": None}, "labels"),
        ({"version": 10**12}, "version"),
    ],
)
def test_patch_with_invalid_fields_gets_422(dev, make_item, body, field):
    item = make_item()
    response = api_for(dev).patch(f"/items/{item.key}", {"version": 1, **body})
    assert response.status_code == 422 and field in fields(response)


def test_client_po_may_patch_only_the_priority(client_po, make_item):
    item = make_item()
    client = api_for(client_po)
    response = client.patch(f"/items/{item.key}", {"version": 1, "priority": "critical"})
    assert response.status_code == 200 and response.json()["priority"] == "critical"
    refused = client.patch(f"/items/{item.key}", {"version": 2, "title": "Client's title"})
    assert refused.status_code == 403
    assert "item.edit" in refused.json()["detail"]
    item.refresh_from_db()
    assert item.title != "Client's title"


def test_developers_may_patch_only_the_priority_too(dev, make_item):
    item = make_item()
    response = api_for(dev).patch(f"/items/{item.key}", {"version": 1, "priority": "low"})
    assert response.status_code == 200 and response.json()["priority"] == "low"


def test_stakeholders_may_not_change_priority(stakeholder, make_item):
    item = make_item()
    assert (
        api_for(stakeholder).patch(f"/items/{item.key}", {"version": 1, "priority": "low"}).status_code == 403
    )


def test_nothing_in_the_items_api_answers_500_to_odd_json(po, make_item):
    item = make_item()
    client = api_for(po)
    odd = [
        {"title": 12},
        {"title": ["x"]},
        {"title": {"a": 1}},
        {"title": True},
        {"title": "x", "points": 1e400},
        {"title": "x", "criteria": "abc"},
        {"title": "x", "labels": [None]},
        {"title": "x" * 100_000},
    ]
    for body in odd:
        assert client.post("/projects/ACME/items", json.dumps(body)).status_code == 422, body
    for body in [{"version": "one"}, {"version": -1}, {"version": 1, "estimate_hours": 10**20}]:
        assert client.patch(f"/items/{item.key}", body).status_code == 422, body
    for body in [{"position": 10**40}, {"position": "top"}, {"before": 5}, {"to_top": "maybe"}]:
        assert client.post(f"/items/{item.key}/move", body).status_code == 422, body
