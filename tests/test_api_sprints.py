"""The sprints API: list, create, read, start and close with velocity and rollover."""

from datetime import date

import pytest

from sightline.backlog.models import Status
from sightline.backlog.transitions import item_accept
from sightline.sprints.models import Sprint
from tests.api_support import api_for, fields
from tests.conftest import make_sprint


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_sprints_are_listed_by_number_for_every_member(po, stakeholder):
    make_sprint(po, goal="Checkout")
    make_sprint(po, start=date(2026, 11, 16), goal="Wishlist")
    sprints = api_for(stakeholder).get("/projects/ACME/sprints").json()
    assert [(s["number"], s["goal"], s["state"]) for s in sprints] == [
        (1, "Checkout", "planned"),
        (2, "Wishlist", "planned"),
    ]
    assert set(sprints[0]) == {
        "id",
        "number",
        "project",
        "goal",
        "start_date",
        "end_date",
        "capacity_hours",
        "state",
        "started_at",
        "closed_at",
        "items",
        "velocity_points",
        "accepted_count",
        "rolled_over",
        "rolled_to",
    }
    assert sprints[0]["start_date"] == "2026-11-02" and sprints[0]["capacity_hours"] == 80


def test_po_creates_a_sprint_with_dates_and_capacity(po):
    response = api_for(po).post(
        "/projects/ACME/sprints",
        {
            "start_date": "2026-12-07",
            "end_date": "2026-12-18",
            "goal": "Ship payments",
            "capacity_hours": 120.5,
        },
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["number"], body["goal"], body["capacity_hours"], body["state"]) == (
        1,
        "Ship payments",
        120.5,
        "planned",
    )
    assert (body["start_date"], body["end_date"], body["project"]) == ("2026-12-07", "2026-12-18", "ACME")


def test_sprint_dates_default_to_the_days_after_the_last_sprint(po):
    make_sprint(po)  # 2 to 13 November 2026
    body = api_for(po).post("/projects/ACME/sprints", {}).json()
    assert body["number"] == 2 and body["start_date"] == "2026-11-16" and body["end_date"] == "2026-11-27"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"start_date": "2026-12-18", "end_date": "2026-12-07"}, "end_date"),
        ({"start_date": "soon"}, "start_date"),
        ({"start_date": "9999-12-31"}, "start_date"),
        ({"capacity_hours": -1}, "capacity_hours"),
        ({"goal": "g" * 301}, "goal"),
    ],
)
def test_invalid_sprints_get_422_naming_the_field(po, body, field):
    response = api_for(po).post("/projects/ACME/sprints", body)
    assert response.status_code == 422 and fields(response) == [field]
    assert not Sprint.objects.exists()


def test_only_the_agency_po_creates_sprints(dev, client_po):
    for member in (dev, client_po):
        response = api_for(member).post("/projects/ACME/sprints", {})
        assert response.status_code == 403 and "agency_po" in response.json()["detail"]


def test_sprint_detail_lists_its_items_in_rank_order(po, client_po, make_item):
    sprint = make_sprint(po)
    first = make_item(Status.PLANNED, sprint=sprint)
    second = make_item(Status.PLANNED, sprint=sprint)
    body = api_for(client_po).get(f"/sprints/{sprint.id}").json()
    assert body["number"] == 1 and body["items"] == [first.key, second.key]


def test_unknown_and_foreign_sprints_get_404(po, other_project):
    foreign = Sprint.objects.create(
        project=other_project, number=1, start_date=date(2026, 1, 5), end_date=date(2026, 1, 16)
    )
    client = api_for(po)
    for path in (f"/sprints/{foreign.id}", "/sprints/424242"):
        response = client.get(path)
        assert response.status_code == 404 and response.json()["detail"] == "No such sprint."
    assert client.post(f"/sprints/{foreign.id}/start").status_code == 404
    assert client.get("/projects/GLOBEX/sprints").status_code == 404


@pytest.mark.parametrize("sprint_id", ["abc", "0", "-3", str(10**30)])
def test_malformed_sprint_ids_get_422(po, sprint_id):
    response = api_for(po).get(f"/sprints/{sprint_id}")
    assert response.status_code == 422 and fields(response) == ["sprint_id"]


def test_po_starts_a_planned_sprint(po):
    sprint = make_sprint(po)
    response = api_for(po).post(f"/sprints/{sprint.id}/start")
    assert response.status_code == 200
    assert response.json()["state"] == "active" and response.json()["started_at"] is not None


def test_starting_a_second_sprint_while_one_is_active_gets_400(po):
    make_sprint(po, active=True)
    second = make_sprint(po, start=date(2026, 11, 16))
    response = api_for(po).post(f"/sprints/{second.id}/start")
    assert response.status_code == 400 and "still active" in response.json()["detail"]


def test_developers_may_not_start_or_close_sprints(po, dev):
    sprint = make_sprint(po)
    assert api_for(dev).post(f"/sprints/{sprint.id}/start").status_code == 403
    sprint.refresh_from_db()
    assert sprint.state == "planned"


def test_closing_reports_velocity_and_rolls_unaccepted_items_into_the_next_sprint(po, client_po, make_item):
    sprint = make_sprint(po)
    done = make_item(Status.DELIVERED, sprint=sprint, points=5)
    left = make_item(Status.IN_PROGRESS, sprint=sprint, points=3)
    item_accept(actor=client_po.user, membership=client_po, item=done)
    following = make_sprint(po, start=date(2026, 11, 16))
    client = api_for(po)
    client.post(f"/sprints/{sprint.id}/start")
    response = client.post(f"/sprints/{sprint.id}/close")
    assert response.status_code == 200
    body = response.json()
    assert body["state"] == "closed" and body["closed_at"] is not None
    assert (body["velocity_points"], body["accepted_count"]) == (5, 1)
    assert body["rolled_over"] == [left.key] and body["rolled_to"] == following.number
    assert api_for(po).get(f"/items/{left.key}").json()["sprint"] == following.number


def test_closing_without_a_next_sprint_rolls_back_to_the_backlog(po, make_item):
    sprint = make_sprint(po)
    left = make_item(Status.PLANNED, sprint=sprint)
    client = api_for(po)
    client.post(f"/sprints/{sprint.id}/start")
    body = client.post(f"/sprints/{sprint.id}/close").json()
    assert body["rolled_over"] == [left.key] and body["rolled_to"] is None and body["velocity_points"] == 0
    assert client.get("/projects/ACME/items", {"sprint": "none"}).json()["items"][0]["key"] == left.key


def test_closing_a_sprint_that_is_not_active_gets_400(po):
    sprint = make_sprint(po)
    response = api_for(po).post(f"/sprints/{sprint.id}/close")
    assert response.status_code == 400 and "only the active sprint" in response.json()["detail"]
