"""The items API: list with filters and pages, create, read, edit with optimistic locking, rank, move through
the workflow, accept and reject, history and comments."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sightline.backlog.models import AcceptanceCriterion, Epic, Item, Status
from sightline.backlog.services import comment_add
from sightline.projects.models import Project
from tests.api_support import api_for, fields
from tests.conftest import make_sprint


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def bulk_items(project: Project, count: int, *, criteria: int = 2) -> None:
    """``count`` items with criteria, written directly for speed (only for reading tests)."""
    start = project.item_sequence
    Item.objects.bulk_create(
        [
            Item(project=project, number=n, key=f"{project.key}-{n}", title=f"Item {n}", rank=n * 1000)
            for n in range(start + 1, start + count + 1)
        ]
    )
    Project.objects.filter(pk=project.pk).update(item_sequence=start + count)
    project.refresh_from_db()
    AcceptanceCriterion.objects.bulk_create(
        [
            AcceptanceCriterion(item=item, position=p, text=f"Criterion {p}")
            for item in Item.objects.filter(project=project, number__gt=start)
            for p in range(criteria)
        ]
    )


# --- GET /projects/{key}/items --------------------------------------------------------------------------


def test_items_are_listed_in_rank_order_with_the_full_item_shape(po, make_item, sprint):
    epic = Epic.objects.create(project=po.project, title="Checkout")
    first = make_item(Status.PLANNED, sprint=sprint, epic=epic, labels=["web"], estimate_hours=4)
    second = make_item(title="Wishlist")
    api_for(po).post(f"/items/{second.key}/move", {"to_top": True})
    body = api_for(po).get("/projects/ACME/items").json()
    assert [i["key"] for i in body["items"]] == [second.key, first.key]
    item = body["items"][1]
    assert set(item) == {
        "id",
        "key",
        "project",
        "type",
        "title",
        "user_story",
        "description",
        "priority",
        "status",
        "rank",
        "points",
        "estimate_hours",
        "epic",
        "sprint",
        "assignee",
        "labels",
        "criteria",
        "version",
        "staging_url",
        "delivery_note",
        "delivered_at",
        "accepted_at",
        "accepted_by",
        "rejection_reason",
        "created_at",
        "updated_at",
    }
    assert item["project"] == "ACME" and item["status"] == "planned" and item["sprint"] == sprint.number
    assert item["epic"] == {"id": epic.id, "title": "Checkout"}
    assert item["points"] == 3 and item["estimate_hours"] == 4 and item["labels"] == ["web"]
    assert [c["text"] for c in item["criteria"]] == ["Card is remembered", "Pay in one click"]
    assert [c["position"] for c in item["criteria"]] == [0, 1] and item["criteria"][0]["met"] is False


def test_items_list_is_paginated_with_count_and_next_page(po):
    bulk_items(po.project, 7)
    client = api_for(po)
    first = client.get("/projects/ACME/items", {"page_size": 3}).json()
    assert (first["count"], first["page"], first["page_size"], first["next"]) == (7, 1, 3, 2)
    assert [i["key"] for i in first["items"]] == ["ACME-1", "ACME-2", "ACME-3"]
    last = client.get("/projects/ACME/items", {"page_size": 3, "page": 3}).json()
    assert [i["key"] for i in last["items"]] == ["ACME-7"] and last["next"] is None
    beyond = client.get("/projects/ACME/items", {"page_size": 3, "page": 9}).json()
    assert beyond["items"] == [] and beyond["count"] == 7 and beyond["next"] is None


def test_page_size_defaults_to_50_and_is_capped_at_500(po):
    client = api_for(po)
    assert client.get("/projects/ACME/items").json()["page_size"] == 50
    response = client.get("/projects/ACME/items", {"page_size": 501})
    assert response.status_code == 422 and fields(response) == ["page_size"]
    assert client.get("/projects/ACME/items", {"page_size": 500}).status_code == 200
    assert fields(client.get("/projects/ACME/items", {"page": 0})) == ["page"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "ready"}, ["ready"]),
        ({"type": "bug"}, ["bug"]),
        ({"priority": "critical"}, ["critical"]),
        ({"sprint": "none"}, ["ready", "bug", "critical", "epic"]),
        ({"sprint": "1"}, ["planned"]),
        ({"q": "needle"}, ["needle"]),
        ({"q": "ACME-2"}, ["ready"]),
        ({"status": "draft", "type": "bug"}, ["bug"]),
    ],
)
def test_items_can_be_filtered(po, make_item, params, expected):
    sprint = make_sprint(po)
    make_item(Status.PLANNED, sprint=sprint, title="planned")
    make_item(Status.READY, title="ready")
    make_item(type="bug", title="bug")
    make_item(priority="critical", title="critical", user_story="As a needle finder")
    make_item(title="epic", epic=Epic.objects.create(project=po.project, title="Checkout"))
    response = api_for(po).get("/projects/ACME/items", params)
    titles = [i["title"] for i in response.json()["items"]]
    assert titles == (expected if expected != ["needle"] else ["critical"])


def test_items_can_be_filtered_by_epic(po, make_item):
    epic = Epic.objects.create(project=po.project, title="Checkout")
    make_item(title="in the epic", epic=epic)
    make_item(title="outside")
    body = api_for(po).get("/projects/ACME/items", {"epic": epic.id}).json()
    assert [i["title"] for i in body["items"]] == ["in the epic"] and body["count"] == 1


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"status": "done"}, "status"),
        ({"type": "epic"}, "type"),
        ({"priority": "urgent"}, "priority"),
        ({"sprint": "next"}, "sprint"),
        ({"epic": "x"}, "epic"),
        ({"page": 10**30}, "page"),
        ({"q": "a\x00b"}, "q"),
    ],
)
def test_bad_filters_get_422_naming_the_filter(po, params, field):
    response = api_for(po).get("/projects/ACME/items", params)
    assert response.status_code == 422
    assert fields(response) == [field]


def test_client_roles_can_list_items(client_po, stakeholder, make_item):
    make_item()
    assert api_for(client_po).get("/projects/ACME/items").json()["count"] == 1
    assert api_for(stakeholder).get("/projects/ACME/items").json()["count"] == 1


def _count_queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries.captured_queries)


def test_items_list_issues_the_same_few_queries_for_10_and_for_500_items(po, sprint):
    client = api_for(po)
    path = "/projects/ACME/items?page_size=100"
    client.get(path)  # the token's first use records it once
    bulk_items(po.project, 10, criteria=3)
    Item.objects.filter(project=po.project).update(
        sprint=sprint, assignee=po.user, epic=Epic.objects.create(project=po.project, title="E")
    )
    few = _count_queries(client, path)
    bulk_items(po.project, 490, criteria=3)
    Item.objects.filter(project=po.project).update(sprint=sprint, assignee=po.user, accepted_by=po.user)
    many = _count_queries(client, path)
    assert few == many <= 6
    assert len(client.get(path).json()["items"]) == 100


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


# --- POST /items/{item_key}/move ------------------------------------------------------------------------


@pytest.fixture
def three(make_item):
    return [make_item(title=t) for t in ("one", "two", "three")]


def _order(client) -> list[str]:
    return [i["title"] for i in client.get("/projects/ACME/items").json()["items"]]


def test_client_po_can_move_an_item_to_the_top(client_po, three):
    client = api_for(client_po)
    response = client.post(f"/items/{three[2].key}/move", {"to_top": True})
    assert response.status_code == 200 and response.json()["key"] == three[2].key
    assert _order(client) == ["three", "one", "two"]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"position": 2}, ["two", "one", "three"]),
        ({"position": 99}, ["two", "three", "one"]),
        ({"after": "ACME-2"}, ["two", "one", "three"]),
        ({"before": "ACME-3"}, ["two", "one", "three"]),
    ],
)
def test_items_move_by_position_or_neighbour(po, three, body, expected):
    client = api_for(po)
    assert client.post(f"/items/{three[0].key}/move", body).status_code == 200
    assert _order(client) == expected


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"before": "ACME-99"}, "before"),
        ({"after": "ACME-99"}, "after"),
        ({"after": "GLOBEX-1"}, "after"),
        ({"after": "not a key"}, "after"),
        ({"position": 0}, "position"),
        ({}, "body"),
        ({"to_top": True, "position": 2}, "body"),
    ],
)
def test_bad_moves_get_422_naming_the_field(po, three, body, field):
    response = api_for(po).post(f"/items/{three[0].key}/move", body)
    assert response.status_code == 422
    assert fields(response) == [field]


def test_developers_may_not_rank(dev, three):
    response = api_for(dev).post(f"/items/{three[2].key}/move", {"to_top": True})
    assert response.status_code == 403 and "item.rank" in response.json()["detail"]


# --- POST /items/{item_key}/transition ------------------------------------------------------------------


def test_developer_moves_an_item_to_ready(dev, make_item):
    item = make_item()
    response = api_for(dev).post(f"/items/{item.key}/transition", {"to": "ready", "note": "Groomed"})
    assert response.status_code == 200
    assert response.json()["status"] == "ready" and response.json()["version"] == 2


def test_po_plans_an_item_into_a_sprint_by_number(po, make_item):
    sprint = make_sprint(po)
    item = make_item(Status.READY)
    response = api_for(po).post(f"/items/{item.key}/transition", {"to": "planned", "sprint": sprint.number})
    assert response.status_code == 200 and response.json()["sprint"] == sprint.number


def test_planning_into_an_unknown_sprint_gets_422(po, make_item):
    item = make_item(Status.READY)
    response = api_for(po).post(f"/items/{item.key}/transition", {"to": "planned", "sprint": 42})
    assert response.status_code == 422 and fields(response) == ["sprint"]


def test_delivering_records_the_staging_link(dev, make_item):
    item = make_item(Status.IN_PROGRESS)
    response = api_for(dev).post(
        f"/items/{item.key}/transition", {"to": "delivered", "staging_url": "https://staging.acme.test/pay"}
    )
    body = response.json()
    assert body["status"] == "delivered" and body["staging_url"] == "https://staging.acme.test/pay"
    assert body["delivered_at"] is not None


def test_staging_links_must_be_web_urls(dev, make_item):
    item = make_item(Status.IN_PROGRESS)
    response = api_for(dev).post(
        f"/items/{item.key}/transition", {"to": "delivered", "staging_url": "javascript:alert(1)"}
    )
    assert response.status_code == 422 and fields(response) == ["staging_url"]


def test_illegal_transition_gets_400_with_the_allowed_states(dev, make_item):
    item = make_item()
    response = api_for(dev).post(f"/items/{item.key}/transition", {"to": "delivered"})
    assert response.status_code == 400
    body = response.json()
    assert body["allowed"] == ["ready"] and "allowed next states: ready" in body["detail"]
    assert fields(response) == ["to"]


def test_unknown_state_gets_422(dev, make_item):
    item = make_item()
    response = api_for(dev).post(f"/items/{item.key}/transition", {"to": "done"})
    assert response.status_code == 422 and fields(response) == ["to"]


def test_a_role_lacking_the_transition_gets_403_with_the_policy_message(client_po, make_item):
    item = make_item()
    response = api_for(client_po).post(f"/items/{item.key}/transition", {"to": "ready"})
    assert response.status_code == 403
    assert response.json()["detail"].startswith("Your role may not do this (item.work)")


def test_a_business_rule_refusal_gets_400(dev, make_item):
    item = make_item(user_story="", criteria=[], points=None)
    response = api_for(dev).post(f"/items/{item.key}/transition", {"to": "ready"})
    assert response.status_code == 400 and "is not ready" in response.json()["detail"]


def test_transition_with_a_stale_version_gets_409(dev, make_item):
    item = make_item()
    response = api_for(dev).post(f"/items/{item.key}/transition", {"to": "ready", "version": 7})
    assert response.status_code == 409 and response.json()["current_version"] == 1


# --- accept / reject ------------------------------------------------------------------------------------


def test_client_po_accepts_a_delivered_item(client_po, make_item):
    item = make_item(Status.DELIVERED)
    response = api_for(client_po).post(f"/items/{item.key}/accept", {"comment": "Lovely"})
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "accepted" and body["accepted_by"] == client_po.user.email
    assert body["accepted_at"] is not None and all(c["met"] for c in body["criteria"])


def test_a_designated_client_acceptor_may_accept(stakeholder, make_item):
    stakeholder.is_acceptor = True
    stakeholder.save(update_fields=["is_acceptor"])
    item = make_item(Status.DELIVERED)
    response = api_for(stakeholder).post(f"/items/{item.key}/accept", {})
    assert response.status_code == 200 and response.json()["accepted_by"] == stakeholder.user.email


def test_accepting_with_a_criterion_unticked_is_refused(client_po, make_item):
    item = make_item(Status.DELIVERED)
    first = item.criteria.first()
    response = api_for(client_po).post(f"/items/{item.key}/accept", {"criteria_met": [first.id]})
    assert response.status_code == 400 and fields(response) == ["criteria"]


def test_accepting_with_unknown_criteria_gets_422(client_po, make_item):
    item = make_item(Status.DELIVERED)
    response = api_for(client_po).post(f"/items/{item.key}/accept", {"criteria_met": [987654]})
    assert response.status_code == 422 and fields(response) == ["criteria"]


def test_developers_may_not_accept(dev, make_item):
    item = make_item(Status.DELIVERED)
    response = api_for(dev).post(f"/items/{item.key}/accept", {})
    assert response.status_code == 403
    assert "client_po" in response.json()["detail"]


def test_accepting_an_item_not_delivered_gets_400_with_allowed(client_po, make_item):
    item = make_item(Status.IN_PROGRESS)
    response = api_for(client_po).post(f"/items/{item.key}/accept", {})
    assert response.status_code == 400 and response.json()["allowed"] == ["delivered", "draft"]


def test_client_po_rejects_with_a_reason(client_po, make_item):
    item = make_item(Status.DELIVERED)
    first = item.criteria.first()
    response = api_for(client_po).post(
        f"/items/{item.key}/reject", {"reason": "The pay button does nothing", "criteria_met": [first.id]}
    )
    body = response.json()
    assert body["status"] == "rejected" and body["rejection_reason"] == "The pay button does nothing"
    assert [c["met"] for c in body["criteria"]] == [True, False]


@pytest.mark.parametrize("reason", ["too short", "          x", None])
def test_rejecting_without_a_real_reason_gets_422_naming_reason(client_po, make_item, reason):
    item = make_item(Status.DELIVERED)
    response = api_for(client_po).post(f"/items/{item.key}/reject", {"reason": reason} if reason else {})
    assert response.status_code == 422 and fields(response) == ["reason"]
    item.refresh_from_db()
    assert item.status == Status.DELIVERED


# --- history and comments -------------------------------------------------------------------------------


def test_history_lists_events_oldest_first(po, dev, make_item):
    item = make_item()
    api_for(dev).post(f"/items/{item.key}/transition", {"to": "ready", "note": "Groomed"})
    events = api_for(po).get(f"/items/{item.key}/history").json()
    assert [e["action"] for e in events] == ["item.created", "item.transitioned"]
    assert events[1]["actor"] == dev.user.email and events[1]["note"] == "Groomed"
    assert events[1]["changes"] == {"status": ["draft", "ready"]}
    assert set(events[0]) == {"id", "at", "actor", "action", "changes", "note"}


def test_history_hides_internal_events_from_client_roles(dev, client_po, stakeholder, make_item):
    item = make_item()
    comment_add(actor=dev.user, membership=dev, item=item, body="Client is slow to answer", internal=True)
    comment_add(actor=dev.user, membership=dev, item=item, body="Ready for review")
    agency = [e["note"] for e in api_for(dev).get(f"/items/{item.key}/history").json()]
    assert "Client is slow to answer" in agency and "Ready for review" in agency
    for member in (client_po, stakeholder):
        notes = [e["note"] for e in api_for(member).get(f"/items/{item.key}/history").json()]
        assert "Client is slow to answer" not in notes and "Ready for review" in notes


def test_comments_hide_internal_notes_from_client_roles(dev, client_po, make_item):
    item = make_item()
    client = api_for(dev)
    assert (
        client.post(f"/items/{item.key}/comments", {"body": "Internal", "internal": True}).status_code == 201
    )
    created = client.post(f"/items/{item.key}/comments", {"body": "Public"})
    assert created.status_code == 201
    assert created.json()["author"] == dev.user.email and created.json()["internal"] is False
    assert [c["body"] for c in client.get(f"/items/{item.key}/comments").json()] == ["Internal", "Public"]
    assert [c["body"] for c in api_for(client_po).get(f"/items/{item.key}/comments").json()] == ["Public"]


def test_client_roles_may_comment_but_not_internally(stakeholder, make_item):
    item = make_item()
    client = api_for(stakeholder)
    assert client.post(f"/items/{item.key}/comments", {"body": "Nice"}).status_code == 201
    response = client.post(f"/items/{item.key}/comments", {"body": "Secret", "internal": True})
    assert response.status_code == 403
    assert item.comments.count() == 1


def test_empty_comments_get_422(dev, make_item):
    item = make_item()
    for body in ({"body": ""}, {"body": "   "}, {}):
        response = api_for(dev).post(f"/items/{item.key}/comments", body)
        assert response.status_code == 422 and fields(response) == ["body"], body


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
