"""Teams without sprints are forecast in weeks: the points accepted per ISO week (in the project's time
zone) are the history once at least 3 weeks are complete; with fewer, the entered range per sprint
applies as before, with its low-confidence label."""

import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from sightline.accounts.services import token_create
from sightline.backlog.models import Item, Status
from sightline.planning.periods import weekly_periods
from sightline.planning.selectors import accepted_per_week, project_today
from sightline.planning.services import release_forecasts
from tests.conftest import login
from tests.planning_helpers import epic, item, release

pytestmark = pytest.mark.django_db

TODAY = date(2026, 10, 28)  # a Wednesday; its week began on Mon 26 Oct
WEEKS = (date(2026, 10, 5), date(2026, 10, 12), date(2026, 10, 19))  # three complete weeks before it


def accepted(po, day: date, points) -> Item:
    return item(po, points=Decimal(points), status=Status.ACCEPTED, created=day, accepted=day)


def plant_weeks(project, po, today: date):
    """No sprints at all; 6 points accepted in each of the three weeks before ``today``'s (3 on Monday
    and 3 on Thursday), 2 on this week's Monday, and a release R1 (target Fri 13 Nov 2026) with 16
    points left."""
    monday = today - timedelta(days=today.weekday())
    for weeks_ago in (3, 2, 1):
        accepted(po, monday - timedelta(weeks=weeks_ago), 3)
        accepted(po, monday - timedelta(weeks=weeks_ago) + timedelta(days=3), 3)
    accepted(po, monday, 2)
    r1 = release(project, "R1", date(2026, 11, 13))
    item(po, epic=epic(project, "Checkout", release=r1), points=Decimal(16))
    return r1


@pytest.fixture
def weekly_team(project, po):
    return plant_weeks(project, po, TODAY)


# --- the selector ------------------------------------------------------------------------------------------
def test_accepted_points_are_summed_per_week_from_monday_in_the_projects_time_zone(project, po):
    late_sunday = accepted(po, date(2026, 6, 7), 5)
    Item.objects.filter(pk=late_sunday.pk).update(accepted_at=datetime(2026, 6, 7, 23, 30, tzinfo=UTC))
    accepted(po, date(2026, 6, 7), 2)  # Sunday noon: the week of Mon 1 Jun
    accepted(po, date(2026, 6, 8), 3)
    item(po, points=Decimal(8), status=Status.READY)  # not accepted: not counted
    imported = accepted(po, date(2026, 6, 9), 13)
    Item.objects.filter(pk=imported.pk).update(accepted_at=None)  # no date: in no week
    with CaptureQueriesContext(connection) as queries:
        weeks = accepted_per_week(project)
    # 23:30 UTC on Sunday 7 Jun is 00:30 on Monday 8 Jun in London (summer time)
    assert weeks == {date(2026, 6, 1): 2.0, date(2026, 6, 8): 8.0}
    assert len(queries) == 1
    project.time_zone = "UTC"
    assert accepted_per_week(project) == {date(2026, 6, 1): 7.0, date(2026, 6, 8): 3.0}


# --- the weeks as periods ------------------------------------------------------------------------------------
def test_the_week_under_way_is_period_1_with_what_it_has_accepted_so_far(project):
    per_week = {WEEKS[0]: 6.0, WEEKS[2]: 6.0, date(2026, 10, 26): 2.0}
    weeks = weekly_periods(project, today=TODAY, per_week=per_week)
    assert weeks.calendar.first_start == date(2026, 10, 26) and weeks.calendar.length_days == 7
    assert weeks.history == (6.0, 0.0, 6.0)  # a week without acceptance counts as nothing delivered
    assert weeks.done == 2.0


def test_once_the_weeks_working_days_are_over_it_joins_the_history_and_next_week_is_period_1(project):
    per_week = {WEEKS[0]: 6.0, WEEKS[1]: 6.0, WEEKS[2]: 6.0, date(2026, 10, 26): 2.0}
    weeks = weekly_periods(project, today=date(2026, 10, 31), per_week=per_week)  # a Saturday
    assert weeks.calendar.first_start == date(2026, 11, 2)
    assert weeks.history == (6.0, 6.0, 6.0, 2.0)
    assert weeks.done == 0.0


def test_fewer_than_three_complete_weeks_are_not_a_weekly_history(project):
    assert weekly_periods(project, today=TODAY, per_week={WEEKS[1]: 6.0, TODAY: 2.0}) is None
    assert weekly_periods(project, today=TODAY, per_week={}) is None


# --- the forecast --------------------------------------------------------------------------------------------
def test_a_team_without_sprints_is_forecast_from_its_weeks(project, weekly_team):
    """6 points a week, 2 already accepted this week, 16 left: 2 + 16 = 18 points are 3 weeks from
    Mon 26 Oct, so every percentile and the straight line fall on Friday 13 Nov."""
    plans = release_forecasts(project, seed=1, today=TODAY)
    forecast = plans.releases[0].forecast
    assert plans.period == "week" and plans.problem == ""
    assert plans.calendar.first_start == date(2026, 10, 26) and plans.calendar.length_days == 7
    assert plans.velocity.samples == (6.0, 6.0, 6.0)
    assert plans.forecast.assumption == "Sampled from the points accepted per week in 3 weeks"
    assert plans.forecast.low_confidence is False
    assert forecast.remaining == 16
    assert forecast.p50 == forecast.p85 == forecast.p95 == forecast.linear_date == date(2026, 11, 13)
    assert forecast.probability_on_target == 1.0


def test_with_fewer_than_three_complete_weeks_the_entered_range_per_sprint_applies(project, po):
    accepted(po, WEEKS[1], 6)
    accepted(po, WEEKS[2], 6)
    item(po, epic=epic(project, "Checkout", release=release(project, "R1")), points=Decimal(16))
    plans = release_forecasts(project, seed=1, today=TODAY)
    assert plans.period == "sprint" and plans.needs_range
    project.forecast_velocity_low, project.forecast_velocity_high = Decimal(5), Decimal(10)
    plans = release_forecasts(project, seed=1, today=TODAY)
    assert plans.period == "sprint" and plans.forecast.low_confidence
    assert plans.forecast.assumption.startswith("Between 5 and 10 points per sprint (entered range")


def test_the_weekly_history_costs_the_same_queries_for_3_or_30_weeks(project, po):
    def queries_for(weeks: int) -> int:
        Item.objects.all().delete()
        for n in range(weeks):
            accepted(po, date.fromordinal(WEEKS[2].toordinal() - 7 * n), 3)
        with CaptureQueriesContext(connection) as queries:
            plans = release_forecasts(project, seed=1, trials=100, today=TODAY)
        assert plans.period == "week" and len(plans.velocity.samples) == weeks
        return len(queries)

    release(project, "R1")
    assert queries_for(3) == queries_for(30)


# --- what the pages, the API and the command line say ------------------------------------------------------
def test_the_page_the_api_and_the_command_say_per_week(project, po):
    r1 = plant_weeks(project, po, project_today(project))  # the pages forecast from today
    page = login(po.user).get(f"/p/{project.key}/releases/").content.decode()
    assert "Sampled from the points accepted per week in 3 weeks" in page and "week by week" in page
    token = token_create(user=po.user)
    data = (
        Client()
        .get(f"/api/v1/releases/{r1.pk}/forecast", headers={"Authorization": f"Bearer {token}"})
        .json()
    )
    assert "per week" in data["assumption"] and data["velocity"]["samples"] == [6, 6, 6]
    out = StringIO()
    call_command("forecast", "ACME", stdout=out)
    assert "per week" in out.getvalue() and "; weeks from " in out.getvalue()
    out = StringIO()
    call_command("forecast", "ACME", "--json", stdout=out)
    assert "per week" in json.loads(out.getvalue())[0]["assumption"]
