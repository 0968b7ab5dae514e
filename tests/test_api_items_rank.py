"""The items API's ranking: moving an item to the top, to a position or next to a neighbour, and who may rank."""

import pytest

from tests.api_support import api_for, fields

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
