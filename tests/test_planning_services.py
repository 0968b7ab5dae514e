"""Release forecasts and what-ifs from the database: releases in order, what-ifs that only ever help
when they should, reproducibility, and clear answers for data that cannot be forecast yet."""

from datetime import date
from decimal import Decimal

import pytest

from sightline.lib.errors import InvalidInput
from sightline.planning.services import WhatIf, percent, release_forecasts, what_if
from tests.planning_helpers import build_roadmap, closed_sprints, epic, item, release

pytestmark = pytest.mark.django_db
TODAY = date(2026, 9, 7)  # a Monday after the six closed sprints below


@pytest.fixture
def plan(project, po):
    return build_roadmap(project, po)


def test_releases_are_forecast_in_roadmap_order(project, plan):
    plans = release_forecasts(project, seed=7, today=TODAY)
    r1, r2 = plans.releases
    assert [r1.release.name, r2.release.name] == ["R1", "R2"]
    assert r1.scope.remaining == 50 + 13 and r2.scope.remaining == 40  # unestimated: the median, 13
    assert r2.forecast.cumulative == 103
    assert r1.forecast.p50 <= r1.forecast.p85 <= r1.forecast.p95
    assert r2.forecast.p85 >= r1.forecast.p85
    assert plans.forecast.low_confidence is False
    assert plans.forecast.assumption.startswith("Sampled from 6 closed sprints")
    assert plans.calendar.first_start == TODAY
    assert 0 <= r1.forecast.probability_on_target <= 1
    assert sum(count for _, count in r1.forecast.histogram) + r1.forecast.beyond_horizon == 10_000


def test_the_same_seed_gives_the_same_forecast_and_pages_have_a_fixed_one(project, plan):
    first = release_forecasts(project, seed=42, today=TODAY)
    again = release_forecasts(project, seed=42, today=TODAY)
    assert first.forecast.releases == again.forecast.releases
    assert release_forecasts(project, today=TODAY).seed == release_forecasts(project, today=TODAY).seed


def test_dropping_an_epic_never_makes_the_p85_later(project, plan):
    result = what_if(project, plan["r1"], WhatIf(drop=(plan["e2"].pk,)), seed=3)
    assert result.after.scope.remaining == 30
    assert result.after.forecast.p85 <= result.before.forecast.p85
    assert result.p85_shift_days <= 0
    assert [e.title for e in result.dropped] == ["Wishlist"]


def test_adding_an_epic_never_makes_the_p85_earlier(project, plan):
    result = what_if(project, plan["r1"], WhatIf(add=(plan["e4"].pk,)), seed=3)
    assert result.after.scope.remaining == 63 + 15
    assert result.after.forecast.p85 >= result.before.forecast.p85


def test_moving_an_epic_from_a_later_release_takes_it_out_of_that_one(project, plan):
    result = what_if(project, plan["r1"], WhatIf(add=(plan["e3"].pk,)), seed=3)
    r2_after = result.changed.plan_for(plan["r2"].pk)
    assert r2_after.scope.epics == []
    assert result.after.scope.remaining == 103


def test_more_velocity_never_makes_the_p85_later(project, plan):
    result = what_if(project, plan["r1"], WhatIf(velocity_change=50), seed=3)
    assert result.after.forecast.p85 <= result.before.forecast.p85
    assert result.after.scope.remaining == result.before.scope.remaining
    slower = what_if(project, plan["r1"], WhatIf(velocity_change=-50), seed=3)
    assert slower.after.forecast.p85 >= slower.before.forecast.p85


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (WhatIf(velocity_change=-95), "velocity"),
        (WhatIf(velocity_change=301), "velocity"),
        (WhatIf(drop=(999_999,)), "drop"),
        (WhatIf(add=(999_999,)), "add"),
    ],
)
def test_a_what_if_out_of_bounds_names_the_field(project, plan, change, field):
    with pytest.raises(InvalidInput) as refused:
        what_if(project, plan["r1"], change)
    assert refused.value.field == field


def test_an_epic_already_in_the_release_cannot_be_added(project, plan):
    with pytest.raises(InvalidInput) as refused:
        what_if(project, plan["r1"], WhatIf(add=(plan["e1"].pk,)))
    assert refused.value.field == "add"


@pytest.mark.parametrize("trials", [0, -1, 200_001])
def test_trials_out_of_range_are_refused_naming_the_field(project, plan, trials):
    with pytest.raises(InvalidInput) as refused:
        release_forecasts(project, trials=trials)
    assert refused.value.field == "trials"
    assert "200,000" in refused.value.message


def test_without_history_and_without_a_range_there_is_no_forecast_but_a_reason(project, po):
    closed_sprints(project, [10, 12])
    r1 = release(project, "R1")
    item(po, epic=epic(project, "Checkout", release=r1), points=5)
    plans = release_forecasts(project)
    assert plans.forecast is None
    assert plans.needs_range
    assert "2 closed sprints" in plans.problem and "project settings" in plans.problem
    assert plans.releases[0].scope.remaining == 5


def test_with_a_range_and_little_history_the_forecast_is_low_confidence(project, po):
    project.forecast_velocity_low, project.forecast_velocity_high = Decimal("5"), Decimal("15")
    project.save()
    closed_sprints(project, [10])
    r1 = release(project, "R1", date(2027, 1, 4))
    item(po, epic=epic(project, "Checkout", release=r1), points=30)
    plans = release_forecasts(project, today=TODAY)
    assert plans.forecast.low_confidence
    assert "entered range" in plans.forecast.assumption
    assert plans.releases[0].forecast.p85 is not None


def test_a_history_of_zeros_is_explained_not_raised(project, po):
    closed_sprints(project, [0, 0, 0])
    r1 = release(project, "R1")
    item(po, epic=epic(project, "Checkout", release=r1), points=5)
    plans = release_forecasts(project)
    assert plans.forecast is None and plans.problem


def test_a_release_without_epics_is_forecast_as_nothing_to_do(project, plan):
    release(project, "R3 (empty)", date(2027, 6, 1))
    plans = release_forecasts(project, today=TODAY)
    empty = plans.releases[-1]
    assert not empty.has_epics and empty.forecast.complete
    assert empty.forecast.probability_on_target is None and empty.chance_on_target == ""
    assert empty.message.startswith("No epics in this release yet")
    assert plans.releases[0].message == ""


def test_chance_on_target_reads_as_a_sentence(project, plan):
    r1 = release_forecasts(project, seed=1, today=TODAY).releases[0]
    assert r1.chance_on_target.endswith("chance by 2 Nov")
    assert percent(0.624) == "62 %" and percent(0.999) == "> 99 %" and percent(0.001) == "< 1 %"
    assert percent(1.0) == "100 %" and percent(0.0) == "0 %"


def test_what_the_active_sprint_already_delivered_is_not_forecast_again(project, po):
    """Constant velocity 10, 25 points remain: 3 sprints from a fresh start. When the active sprint
    (period 1) has already delivered 8 points, its 10 cover those 8 and only 2 of the release: 4 sprints
    counting the active one, not the 3 it would seem if the sprint were counted whole again."""
    from tests.conftest import make_sprint

    closed_sprints(project, [10, 10, 10])  # 1 Jun .. 12 Jul
    r1 = release(project, "R1")
    e1 = epic(project, "Checkout", release=r1)
    item(po, epic=e1, points=Decimal(25))
    today = date(2026, 7, 15)
    before = release_forecasts(project, seed=1, today=today).releases[0].forecast
    active = make_sprint(po, start=date(2026, 7, 13), active=True)
    done = item(po, points=Decimal(8), status="accepted", created=date(2026, 7, 13))
    done.sprint = active
    done.save(update_fields=["sprint"])
    after = release_forecasts(project, seed=1, today=today).releases[0].forecast
    assert before.p50_periods == before.p95_periods == 3
    assert after.p50_periods == after.p95_periods == 4  # 8 + 25 = 33 points: 4 sprints of 10
    assert after.linear_periods == 4
    assert after.remaining == 25 and after.cumulative == 33  # the delivered 8 count first


def test_a_sprint_run_past_its_end_date_is_forecast_from_today_not_in_the_past(project, po):
    """Constant velocity 10, 25 points remain, and the active sprint (13-24 Jul) is still open on Tue
    15 Sep with 8 points accepted in it. Its time is behind us: the periods start today, 14 days each,
    and the 8 points are delivered, out of the 25. Three sprints from today: 26 Oct, never a date before
    today (counting from 13 Jul would say 4 Sep)."""
    from tests.conftest import make_sprint

    closed_sprints(project, [10, 10, 10])  # 1 Jun .. 10 Jul
    r1 = release(project, "R1", date(2026, 10, 30))
    item(po, epic=epic(project, "Checkout", release=r1), points=Decimal(25))
    active = make_sprint(po, start=date(2026, 7, 13), active=True)
    done = item(po, points=Decimal(8), status="accepted", created=date(2026, 7, 14))
    done.sprint = active
    done.save(update_fields=["sprint"])
    today = date(2026, 9, 15)
    plans = release_forecasts(project, seed=1, today=today)
    forecast = plans.releases[0].forecast
    assert plans.calendar.first_start == today
    assert forecast.remaining == forecast.cumulative == 25  # the delivered 8 are not charged again
    assert forecast.p50 == forecast.p85 == forecast.p95 == forecast.linear_date == date(2026, 10, 26)
    assert forecast.probability_on_target == 1.0


def test_a_velocity_change_scales_the_work_to_come_not_what_the_active_sprint_delivered(project, po):
    """Constant velocity 10; the active sprint has delivered 5 points and 7 remain. With −50 % the rest
    of this sprint delivers (10 − 5) × 0.5 = 2.5 and each later sprint 5: 7 points are done in the 2nd
    sprint. Scaling the delivered 5 as well would make them cost 10 of the halved pace: the 3rd."""
    from tests.conftest import make_sprint

    closed_sprints(project, [10, 10, 10])
    r1 = release(project, "R1")
    item(po, epic=epic(project, "Checkout", release=r1), points=Decimal(7))
    active = make_sprint(po, start=date(2026, 7, 13), active=True)  # 13-24 Jul
    done = item(po, points=Decimal(5), status="accepted", created=date(2026, 7, 14))
    done.sprint = active
    done.save(update_fields=["sprint"])
    today = date(2026, 7, 15)
    current = release_forecasts(project, seed=1, today=today)
    halved = what_if(project, r1, WhatIf(velocity_change=-50), current=current).after.forecast
    assert halved.p50_periods == halved.p95_periods == halved.linear_periods == 2
    assert halved.p85 == date(2026, 8, 7)
    doubled = what_if(project, r1, WhatIf(velocity_change=100), current=current).after.forecast
    assert doubled.p95_periods == 1  # (10 − 5) × 2 = 10 more this sprint
