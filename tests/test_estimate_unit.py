"""The project's estimate unit (points, hours or both): which estimates items carry, what the
Definition of Ready asks for, and that estimates of zero or less are refused everywhere."""

from decimal import Decimal

import pytest

from sightline.backlog.models import Status
from sightline.backlog.services import item_create, item_update
from sightline.backlog.transitions import item_transition
from sightline.lib.errors import DomainError, InvalidInput
from tests.api_support import api_for, fields
from tests.conftest import login

S = Status


@pytest.fixture
def unit(project):
    def set_unit(value):
        project.estimate_unit = value
        project.save(update_fields=["estimate_unit"])
        return project

    return set_unit


def _draft(membership, **estimate):
    return item_create(
        actor=membership.user,
        membership=membership,
        title="Gift cards",
        user_story="As a buyer I want to give a bike",
        criteria=["A card can be bought"],
        **estimate,
    )


def _ready(membership, item):
    return item_transition(actor=membership.user, membership=membership, item=item, to=S.READY)


# --- Definition of Ready by unit -----------------------------------------------------------------


def test_a_points_project_needs_points_to_be_ready(po, unit):
    unit("points")
    item = _draft(po)
    with pytest.raises(DomainError) as refused:
        _ready(po, item)
    assert "an estimate in points" in refused.value.message
    item = item_update(actor=po.user, membership=po, item=item, version=None, changes={"points": 2})
    assert _ready(po, item).status == S.READY


def test_an_hours_project_needs_hours_to_be_ready(po, unit):
    unit("hours")
    item = _draft(po)
    with pytest.raises(DomainError) as refused:
        _ready(po, item)
    assert "an estimate in hours" in refused.value.message
    item = item_update(actor=po.user, membership=po, item=item, version=None, changes={"estimate_hours": 6})
    assert _ready(po, item).status == S.READY


@pytest.mark.parametrize("estimate", [{"points": 3}, {"estimate_hours": 5}])
def test_a_both_project_takes_either_estimate(po, estimate):
    assert _ready(po, _draft(po, **estimate)).status == S.READY


def test_an_item_estimated_before_the_unit_changed_is_judged_by_the_new_unit(po, unit):
    item = _draft(po, estimate_hours=5)  # estimated while the project used both
    unit("points")
    with pytest.raises(DomainError) as refused:
        _ready(po, item)
    assert "points" in refused.value.message


# --- Estimates outside the unit, and of zero or less ------------------------------------------------


def test_a_points_project_refuses_hours_naming_the_field(po, unit):
    unit("points")
    with pytest.raises(InvalidInput) as refused:
        _draft(po, estimate_hours=4)
    assert refused.value.field == "estimate_hours"
    assert "points only" in refused.value.message


def test_an_hours_project_refuses_points_naming_the_field(po, unit):
    unit("hours")
    with pytest.raises(InvalidInput) as refused:
        _draft(po, points=2)
    assert refused.value.field == "points"


def test_an_estimate_kept_from_an_earlier_unit_does_not_block_other_edits(po, unit):
    item = _draft(po, estimate_hours=5)
    unit("points")
    item = item_update(
        actor=po.user, membership=po, item=item, version=None, changes={"title": "Gift cards", "points": 2}
    )
    assert item.points == 2 and item.estimate_hours == 5


@pytest.mark.parametrize(("value", "field"), [(0, "points"), (-1, "points"), (0, "estimate_hours")])
def test_the_item_form_refuses_zero_and_negative_estimates(po, value, field):
    response = login(po.user).post(
        "/p/ACME/items/new/", {"type": "story", "title": "Gift cards", "priority": "high", field: value}
    )
    assert response.status_code == 422
    assert "more than 0" in response.content.decode()


@pytest.mark.parametrize(("value", "field"), [(0, "points"), (-2, "estimate_hours"), (0.01, "points")])
def test_the_api_refuses_zero_and_negative_estimates_naming_the_field(po, value, field):
    response = api_for(po).post("/projects/ACME/items", {"title": "Gift cards", field: value})
    assert response.status_code == 422
    assert fields(response) == [field]


def test_the_api_refuses_an_estimate_outside_the_projects_unit(po, unit):
    unit("hours")
    response = api_for(po).post("/projects/ACME/items", {"title": "Gift cards", "points": 3})
    assert response.status_code == 422
    assert fields(response) == ["points"]
    created = api_for(po).post("/projects/ACME/items", {"title": "Gift cards", "estimate_hours": 3})
    assert created.status_code == 201
    assert Decimal(str(created.json()["estimate_hours"])) == 3


# --- Pages show the unit's figures -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "shown", "hidden"),
    [
        ("points", 'name="points"', 'name="estimate_hours"'),
        ("hours", 'name="estimate_hours"', 'name="points"'),
    ],
)
def test_the_item_form_shows_only_the_units_estimate(po, unit, value, shown, hidden):
    unit(value)
    page = login(po.user).get("/p/ACME/items/new/").content.decode()
    assert shown in page
    assert hidden not in page


def test_the_item_form_shows_both_estimates_by_default(po):
    page = login(po.user).get("/p/ACME/items/new/").content.decode()
    assert 'name="points"' in page and 'name="estimate_hours"' in page


def test_an_hours_project_edits_an_item_without_touching_points(po, unit, make_item):
    item = make_item(points=3)
    unit("hours")
    response = login(po.user).post(
        f"/p/ACME/items/{item.key}/edit/",
        {
            "type": "story",
            "title": "Renamed",
            "priority": "high",
            "estimate_hours": "6",
            "version": item.version,
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.title, item.points, item.estimate_hours) == ("Renamed", 3, 6)


def test_the_backlog_of_an_hours_project_shows_hours(po, unit, make_item):
    unit("hours")
    make_item(points=None, estimate_hours=6)
    page = login(po.user).get("/p/ACME/backlog/").content.decode()
    assert "6 h estimated" in page
    assert ">Hours<" in page
    assert "point" not in page.split("<h1>Backlog</h1>")[1].split("</p>")[0]
