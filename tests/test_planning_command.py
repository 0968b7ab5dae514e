"""`sightline forecast KEY`: a plain table or JSON, reproducible with --seed, clear errors."""

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from sightline.planning.services import release_forecasts
from tests.planning_helpers import build_roadmap, closed_sprints, epic, item, release

pytestmark = pytest.mark.django_db


@pytest.fixture
def roadmap(project, po):
    return build_roadmap(project, po)


def forecast(*args) -> str:
    out = StringIO()
    call_command("forecast", *args, stdout=out)
    return out.getvalue()


def test_the_table_shows_each_release_with_its_dates(project, roadmap):
    text = forecast("ACME", "--seed", "9")
    plans = release_forecasts(project, seed=9)
    assert "Sampled from 6 closed sprints" in text
    header = next(line for line in text.splitlines() if line.startswith("Release"))
    assert "P85" in header and "Straight line" in header
    for plan in plans.releases:
        line = next(line for line in text.splitlines() if line.startswith(plan.release.name))
        assert plan.forecast.p85.isoformat() in line
        assert plan.chance_on_target in line
    assert "63 points (1 unestimated)" in text


def test_json_is_the_api_shape_and_reproducible_with_a_seed(project, roadmap):
    first = json.loads(forecast("ACME", "--json", "--seed", "4", "--trials", "3000"))
    again = json.loads(forecast("ACME", "--json", "--seed", "4", "--trials", "3000"))
    assert first == again
    assert [r["release"] for r in first] == ["R1", "R2"]
    assert {"remaining_points", "p50", "p85", "p95", "histogram", "low_confidence", "velocity"} <= set(
        first[0]
    )
    assert first[0]["trials"] == 3000


def test_one_release_by_name(roadmap):
    rows = json.loads(forecast("ACME", "--release", "R2", "--json"))
    assert [r["release"] for r in rows] == ["R2"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["NOPE"], "No project with the key 'NOPE'"),
        (["ACME", "--release", "R9"], "ACME has no release named 'R9'; its releases: 'R1', 'R2'"),
        (["ACME", "--trials", "0"], "--trials: Trials must be a whole number from 1 to 200,000"),
        (["ACME", "--trials", "200001"], "--trials"),
        (["ACME", "--seed", "-1"], "--seed"),
    ],
)
def test_clear_errors(roadmap, args, message):
    with pytest.raises(CommandError, match=message.replace("(", r"\(")):
        forecast(*args)


def test_without_history_or_range_the_command_says_what_to_enter(project, po):
    closed_sprints(project, [10])
    item(po, epic=epic(project, "Checkout", release=release(project, "R1")), points=5)
    with pytest.raises(CommandError, match="project settings"):
        forecast("ACME")


def test_a_release_without_epics_shows_its_target_date_without_a_chance(project, roadmap):
    release(project, "R3", date(2027, 6, 1))
    line = next(line for line in forecast("ACME", "--seed", "2").splitlines() if line.startswith("R3"))
    assert "no epics yet" in line and line.endswith("2027-06-01")
    (row,) = json.loads(forecast("ACME", "--release", "R3", "--json"))
    assert row["target_date"] == "2027-06-01" and row["probability_on_target"] is None
    assert row["message"].startswith("No epics in this release yet")
