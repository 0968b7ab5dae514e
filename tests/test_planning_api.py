"""API: a release's forecast (its exact shape, reproducibility, errors) and a project's velocity."""

from datetime import date

import pytest
from django.test import Client

from sightline.accounts.services import token_create
from sightline.planning.services import release_forecasts
from tests.planning_helpers import build_roadmap, closed_sprints, epic, item, release

pytestmark = pytest.mark.django_db

FORECAST_KEYS = {
    "remaining_points",
    "unestimated_items",
    "velocity",
    "linear_date",
    "p50",
    "p85",
    "p95",
    "probability_on_target",
    "trials",
    "histogram",
    "low_confidence",
    "assumption",
    "message",
}


@pytest.fixture
def roadmap(project, po):
    return build_roadmap(project, po)


def _get(user, url):
    headers = {"Authorization": f"Bearer {token_create(user=user)}"} if user else {}
    return Client().get(url, headers=headers)


def test_a_release_forecast_has_the_documented_shape(project, po, roadmap):
    response = _get(po.user, f"/api/v1/releases/{roadmap['r1'].pk}/forecast?trials=2000&seed=5")
    assert response.status_code == 200
    data = response.json()
    assert set(data) == FORECAST_KEYS
    assert data["remaining_points"] == 63 and data["unestimated_items"] == 1
    assert data["velocity"] == {
        "mean": pytest.approx(34 / 3),
        "last": 11.0,
        "samples": [8, 12, 10, 14, 9, 11],
    }
    assert data["trials"] == 2000 and data["low_confidence"] is False
    assert data["assumption"] == "Sampled from 6 closed sprints"
    assert sum(bar["count"] for bar in data["histogram"]) == 2000
    assert all(set(bar) == {"date", "count"} for bar in data["histogram"])
    assert (
        date.fromisoformat(data["p50"]) <= date.fromisoformat(data["p85"]) <= date.fromisoformat(data["p95"])
    )
    assert 0 <= data["probability_on_target"] <= 1
    plans = release_forecasts(project, trials=2000, seed=5)
    assert data["p85"] == plans.plan_for(roadmap["r1"].pk).forecast.p85.isoformat()


def test_the_same_seed_gives_the_same_answer_and_the_default_is_the_pages(project, po, roadmap):
    url = f"/api/v1/releases/{roadmap['r2'].pk}/forecast"
    assert _get(po.user, url + "?seed=11").json() == _get(po.user, url + "?seed=11").json()
    default = _get(po.user, url).json()
    assert default["trials"] == 10_000
    assert default["p85"] == release_forecasts(project).plan_for(roadmap["r2"].pk).forecast.p85.isoformat()


@pytest.mark.parametrize("trials", ["0", "-3", "200001", "many"])
def test_trials_out_of_range_are_a_422_naming_the_field(po, roadmap, trials):
    response = _get(po.user, f"/api/v1/releases/{roadmap['r1'].pk}/forecast?trials={trials}")
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["trials"]


def test_a_negative_seed_is_a_422(po, roadmap):
    response = _get(po.user, f"/api/v1/releases/{roadmap['r1'].pk}/forecast?seed=-1")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "seed"


def test_outsiders_and_unknown_releases_get_404_anonymous_401(po, outsider, roadmap):
    url = f"/api/v1/releases/{roadmap['r1'].pk}/forecast"
    assert _get(outsider.user, url).status_code == 404
    assert _get(po.user, "/api/v1/releases/999999/forecast").status_code == 404
    assert _get(None, url).status_code == 401
    assert (
        _get(outsider.user, url).json()["detail"]
        == _get(po.user, "/api/v1/releases/999999/forecast").json()["detail"]
    )


def test_without_history_or_range_the_api_says_what_to_enter(project, po, client_po):
    closed_sprints(project, [10])
    r1 = release(project, "R1")
    item(po, epic=epic(project, "Checkout", release=r1), points=5)
    response = _get(client_po.user, f"/api/v1/releases/{r1.pk}/forecast")
    assert response.status_code == 400
    body = response.json()
    assert body["errors"][0]["field"] == "forecast_velocity_low"
    assert "project settings" in body["detail"]


def test_a_release_without_epics_has_nothing_remaining(project, po, roadmap):
    empty = release(project, "R3")
    data = _get(po.user, f"/api/v1/releases/{empty.pk}/forecast").json()
    assert data["remaining_points"] == 0 and data["p85"] is None and data["histogram"] == []


def test_a_release_without_epics_claims_no_chance_of_meeting_its_target_and_says_why(project, po, roadmap):
    empty = release(project, "R3", date(2027, 6, 1))
    data = _get(po.user, f"/api/v1/releases/{empty.pk}/forecast").json()
    assert data["probability_on_target"] is None
    assert data["p50"] is None and data["linear_date"] is None
    assert data["message"].startswith("No epics in this release yet")
    planned = _get(po.user, f"/api/v1/releases/{roadmap['r1'].pk}/forecast").json()
    assert planned["message"] is None and planned["probability_on_target"] is not None


def test_project_velocity(project, stakeholder, roadmap, outsider):
    response = _get(stakeholder.user, "/api/v1/projects/ACME/velocity")
    assert response.status_code == 200
    data = response.json()
    assert data["unit"] == "points"
    assert [s["velocity"] for s in data["sprints"]] == [8, 12, 10, 14, 9, 11]
    assert (data["low"], data["high"]) == (9, 14)
    assert data["accepted_first_time"] is None  # no verdicts recorded in these sprints
    assert _get(outsider.user, "/api/v1/projects/ACME/velocity").status_code == 404
