"""The items API's list: rank order with the full item shape, filters and pagination, who may list, and a
query count that stays the same for 10 and for 500 items."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sightline.backlog.models import AcceptanceCriterion, Epic, Item, Status
from sightline.projects.models import Project
from tests.api_support import api_for, fields
from tests.conftest import make_sprint


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
