"""Release forecasts with answers worked out by hand: constant and two-point throughputs, releases in
order, holidays, the what-if velocity factor, the horizon, and every input the engine refuses."""

from datetime import date
from decimal import Decimal

import numpy as np
import pytest

from sightline.forecast.calendar import SprintCalendar, WorkCalendar
from sightline.forecast.engine import (
    DEFAULT_TRIALS,
    MAX_TRIALS,
    ForecastError,
    ReleaseInput,
    bootstrap,
    forecast_releases,
    percentile_period,
    uniform_range,
    velocity_stats,
)

MONDAY = date(2026, 1, 5)
SPRINTS = SprintCalendar(first_start=MONDAY, length_days=14)  # period n ends on the Friday of its 2nd week
TWO_POINT = [5, 10, 10, 5]  # with replacement: 5 or 10, each with probability 1/2


def forecast(*remaining: float, **kwargs):
    kwargs.setdefault("calendar", SPRINTS)
    kwargs.setdefault("seed", 42)
    releases = [ReleaseInput(f"R{n}", scope) for n, scope in enumerate(remaining, start=1)]
    return forecast_releases(releases, **kwargs)


def share_within(release, periods: int, trials: int) -> float:
    """The share of trials done within ``periods`` periods, read from the histogram."""
    last = SPRINTS.period_end(periods)
    return sum(count for day, count in release.histogram if day <= last) / trials


# --- known answers ------------------------------------------------------------------------------
def test_a_constant_throughput_gives_one_exact_date():
    result = forecast_releases(
        [ReleaseInput("Launch", 45, target_date=date(2026, 3, 13))],
        history=[10, 10, 10],
        calendar=SPRINTS,
        seed=1,
    )
    launch = result.releases[0]
    # 45 points at 10 per sprint: done in sprint 5, which runs 2 to 15 March; Friday 13 March.
    assert (launch.p50_periods, launch.p85_periods, launch.p95_periods) == (5, 5, 5)
    assert launch.p50 == launch.p85 == launch.p95 == launch.linear_date == date(2026, 3, 13)
    assert launch.linear_periods == 5
    assert launch.histogram == ((date(2026, 3, 13), DEFAULT_TRIALS),)
    assert launch.probability_on_target == 1.0
    assert launch.beyond_horizon == 0
    assert not launch.complete
    assert (result.trials, result.seed, result.strategy, result.low_confidence) == (
        DEFAULT_TRIALS,
        1,
        "bootstrap",
        False,
    )
    assert result.assumption == "Sampled from 3 closed sprints"


@pytest.mark.parametrize(
    "target, probability",
    [(date(2026, 3, 13), 1.0), (date(2026, 3, 31), 1.0), (date(2026, 3, 12), 0.0), (date(2025, 12, 1), 0.0)],
)
def test_the_probability_on_target_counts_trials_done_on_or_before_it(target, probability):
    result = forecast_releases([ReleaseInput("Launch", 45, target)], history=[10, 10, 10], calendar=SPRINTS)
    assert result.releases[0].probability_on_target == probability


def test_a_scope_reached_exactly_is_done_in_that_sprint():
    assert forecast(50, history=[10, 10, 10]).releases[0].p95_periods == 5


def test_two_point_history_for_ten_points():
    # Done in sprint 1 only when it delivers 10 (probability 1/2); always within 2 sprints.
    trials = 40_000
    release = forecast(10, history=TWO_POINT, trials=trials).releases[0]
    assert share_within(release, 1, trials) == pytest.approx(0.5, abs=0.01)
    assert share_within(release, 2, trials) == 1.0
    assert (release.p85_periods, release.p95_periods) == (2, 2)


def test_two_point_history_for_thirty_points():
    # Within 3 sprints: 10+10+10 only, 1/8. Within 4: at least two 10s of four, 11/16.
    # Within 5: at least one 10 of five, 31/32. Within 6: always (6 x 5 = 30).
    trials = 40_000
    release = forecast(30, history=TWO_POINT, trials=trials).releases[0]
    for periods, expected in [(3, 1 / 8), (4, 11 / 16), (5, 31 / 32), (6, 1.0)]:
        assert share_within(release, periods, trials) == pytest.approx(expected, abs=0.01)
    # nearest rank: P50 -> 4 (11/16 >= 1/2 > 1/8), P85 -> 5 (31/32 >= 0.85 > 11/16), P95 -> 5
    assert (release.p50_periods, release.p85_periods, release.p95_periods) == (4, 5, 5)
    assert (release.p50, release.p85, release.p95) == (
        date(2026, 2, 27),
        date(2026, 3, 13),
        date(2026, 3, 13),
    )
    assert release.histogram[0][0] == SPRINTS.period_end(3)
    assert release.histogram[-1][0] == SPRINTS.period_end(6)
    assert sum(count for _, count in release.histogram) == trials


def test_the_probability_on_target_of_the_two_point_history():
    result = forecast_releases(
        [ReleaseInput("Beta", 30, target_date=SPRINTS.period_end(4))],
        history=TWO_POINT,
        calendar=SPRINTS,
        trials=40_000,
        seed=7,
    )
    assert result.releases[0].probability_on_target == pytest.approx(11 / 16, abs=0.01)


@pytest.mark.parametrize(
    "counts, trials, expected",
    [
        ([0, 1, 1, 1, 1], 4, (2, 4, 4)),  # ranks 2, ceil(3.4) = 4, ceil(3.8) = 4
        ([0, 0, 10], 10, (2, 2, 2)),
        ([0, 50, 35, 10, 5], 100, (1, 2, 3)),  # exactly 50 %, 85 %, 95 % within 1, 2, 3
        ([1, 3], 4, (1, None, None)),  # one trial beyond the horizon: later than any period
        ([4], 4, (None, None, None)),
    ],
)
def test_percentiles_are_nearest_rank(counts, trials, expected):
    assert tuple(percentile_period(np.array(counts), trials, pct) for pct in (50, 85, 95)) == expected


def test_a_later_release_starts_where_the_earlier_ones_end():
    first, done, second = forecast(30, 0, 20, history=[10, 10, 10]).releases
    assert (first.cumulative, first.p50_periods, first.p50) == (30, 3, date(2026, 2, 13))
    assert (second.cumulative, second.p50_periods, second.linear_periods) == (50, 5, 5)
    assert done.complete and done.cumulative == 30


def test_a_release_with_nothing_left_is_complete_and_has_no_dates():
    result = forecast_releases(
        [ReleaseInput("Shipped", 0, target_date=date(2026, 1, 30)), ReleaseInput("Untargeted", 0)],
        history=[10, 10, 10],
        calendar=SPRINTS,
    )
    shipped, untargeted = result.releases
    assert shipped.complete and shipped.probability_on_target == 1.0
    assert untargeted.probability_on_target is None
    for release in result.releases:
        assert (release.p50, release.p85, release.p95, release.linear_date, release.histogram) == (
            None,
            None,
            None,
            None,
            (),
        )


def test_a_holiday_makes_a_sprint_deliver_less():
    holiday = date(2026, 1, 14)  # Wednesday of week 2
    weeks = SprintCalendar(MONDAY, 7)
    weeks_with_holiday = SprintCalendar(MONDAY, 7, WorkCalendar(holidays=frozenset({holiday})))
    assert forecast(20, history=[10, 10, 10], calendar=weeks).releases[0].p95_periods == 2
    # 10 + 8 = 18 after two weeks: done in the third week, on Friday 23 January
    release = forecast(20, history=[10, 10, 10], calendar=weeks_with_holiday).releases[0]
    assert (release.p50_periods, release.p95, release.linear_periods) == (3, date(2026, 1, 23), 2)


def test_a_week_off_delivers_nothing_and_shares_its_bar_with_the_week_before():
    week_off = frozenset(date(2026, 1, day) for day in range(12, 17))
    weeks = SprintCalendar(MONDAY, 7, WorkCalendar(holidays=week_off))
    release = forecast(15, history=[5, 10, 5, 10], calendar=weeks, trials=4000).releases[0]
    dates = [day for day, _ in release.histogram]
    assert dates == sorted(set(dates))
    assert date(2026, 1, 16) not in dates  # the Friday off is no delivery date


@pytest.mark.parametrize("factor, periods", [(1.5, 3), (1.0, 5), (0.5, 9)])
def test_the_velocity_factor_scales_every_sprint(factor, periods):
    release = forecast(45, history=[10, 10, 10], velocity_factor=factor).releases[0]
    assert release.p50_periods == release.p95_periods == release.linear_periods == periods


def test_the_velocity_factor_is_named_in_the_assumption():
    assert forecast(45, history=[10, 10, 10], velocity_factor=1.1).assumption == (
        "Sampled from 3 closed sprints; velocity changed by +10 %"
    )
    assert forecast(45, history=[10] * 8, velocity_factor=0.8).assumption == (
        "Sampled from 8 closed sprints; velocity changed by -20 %"
    )


def test_a_weekly_history_is_worded_per_week():
    result = forecast(45, history=[10, 10, 10, 10], unit="hours", period="week")
    assert result.assumption == "Sampled from the hours accepted per week in 4 weeks"
    assert result.releases[0].p95_periods == 5


def test_the_linear_projection_uses_the_mean_of_the_last_three():
    result = forecast(52, history=[100, 8, 10, 34])  # mean of the last three: 52 / 3
    assert result.velocity.mean == pytest.approx(52 / 3)
    assert result.releases[0].linear_periods == 3


# --- fewer than 3 sprints: the entered range ----------------------------------------------------
def test_with_fewer_than_three_sprints_the_entered_range_is_sampled():
    result = forecast(45, history=[12, 30], fallback_range=(10, 20))
    assert result.low_confidence and result.strategy == "range"
    assert (
        result.assumption
        == "Between 10 and 20 points per sprint (entered range; fewer than 3 sprints closed)"
    )
    release = result.releases[0]
    assert 3 <= release.p50_periods <= release.p95_periods <= 5  # 45 / 20 and 45 / 10, rounded up
    assert result.velocity.mean == 21  # the page still shows the sprints there are
    assert release.linear_periods == 3


def test_a_range_of_one_value_is_a_constant_throughput():
    result = forecast(45, history=[], fallback_range=(9, 9), unit="hours", period="week")
    assert result.releases[0].p50_periods == result.releases[0].p95_periods == 5
    assert result.releases[0].linear_periods is None  # no history, no mean
    assert result.assumption == "Between 9 and 9 hours per week (entered range; fewer than 3 weeks closed)"


def test_three_sprints_are_sampled_even_with_a_range():
    result = forecast(45, history=[10, 10, 10], fallback_range=(1, 2))
    assert (result.strategy, result.low_confidence, result.releases[0].p95_periods) == ("bootstrap", False, 5)


# --- samplers -----------------------------------------------------------------------------------
def test_a_custom_sampler_replaces_the_strategy():
    def constant_seven(rng, trials, periods):
        return np.full((trials, periods), 7.0)

    result = forecast(21, history=[], sampler=constant_seven)
    assert (result.strategy, result.assumption, result.low_confidence) == (
        "constant_seven",
        "Sampled by constant_seven",
        True,
    )
    assert result.releases[0].p50_periods == 3


@pytest.mark.parametrize(
    "draw, message",
    [
        (lambda rng, trials, periods: np.ones((trials, 1)), "The sampler returned shape"),
        (lambda rng, trials, periods: -np.ones((trials, periods)), "negative or not a number"),
        (lambda rng, trials, periods: np.full((trials, periods), np.nan), "negative or not a number"),
    ],
)
def test_a_broken_custom_sampler_is_refused(draw, message):
    with pytest.raises(ForecastError, match=message):
        forecast(10, history=[], sampler=draw)


def test_samplers_draw_from_their_source():
    rng = np.random.default_rng(0)
    drawn = bootstrap([5, 10])(rng, 100, 8)
    assert drawn.shape == (100, 8) and set(np.unique(drawn)) == {5.0, 10.0}
    ranged = uniform_range(10, 20)(rng, 100, 8)
    assert ranged.shape == (100, 8) and ranged.min() >= 10 and ranged.max() <= 20


# --- velocity statistics ------------------------------------------------------------------------
@pytest.mark.parametrize(
    "history, expected",
    [
        ([], (None, None, None, None)),
        ([5], (5, 5, 5, 5)),
        ([4, 8], (6, 8, 4, 8)),
        ([30, 4, 8, 12], (8, 12, 4, 12)),
    ],
)
def test_velocity_stats_look_at_the_last_three(history, expected):
    stats = velocity_stats(history)
    assert (stats.mean, stats.last, stats.low, stats.high) == expected
    assert stats.samples == tuple(float(value) for value in history)


# --- the horizon --------------------------------------------------------------------------------
def test_trials_beyond_the_horizon_are_counted_and_have_no_date():
    release = forecast(100, history=[10, 10, 10], max_periods=4, trials=500).releases[0]
    assert (release.p50, release.p85, release.p95, release.linear_date) == (None, None, None, None)
    assert (release.beyond_horizon, release.histogram, release.linear_periods) == (500, (), 10)


def test_some_trials_beyond_the_horizon_count_as_later_than_any_date():
    trials = 40_000
    release = forecast(30, history=TWO_POINT, max_periods=4, trials=trials).releases[0]
    assert release.beyond_horizon / trials == pytest.approx(5 / 16, abs=0.01)
    assert (release.p50_periods, release.p85_periods) == (4, None)


def test_an_unreachable_scope_ends_quickly_with_the_most_trials():
    release = forecast(1e12, history=[1, 2, 3], trials=MAX_TRIALS).releases[0]
    assert release.beyond_horizon == MAX_TRIALS and release.p50 is None


def test_a_team_that_delivers_nothing_most_sprints_still_ends():
    release = forecast(400, history=[0, 0, 0, 0, 0, 0, 0, 1], trials=1000).releases[0]
    assert release.beyond_horizon == 1000


# --- reproducibility ----------------------------------------------------------------------------
def test_the_same_seed_gives_the_same_forecast():
    assert forecast(123, 45, history=[3, 9, 14, 0, 7], seed=5) == forecast(
        123, 45, history=[3, 9, 14, 0, 7], seed=5
    )


def test_another_seed_gives_another_draw():
    first = forecast(123, history=[3, 9, 14, 0, 7], seed=5).releases[0]
    second = forecast(123, history=[3, 9, 14, 0, 7], seed=6).releases[0]
    assert first.histogram != second.histogram


def test_an_empty_release_list_still_describes_the_velocity():
    result = forecast(history=[4, 5, 6])
    assert result.releases == () and result.velocity.mean == 5


def test_decimals_as_the_database_gives_them_are_accepted():
    result = forecast_releases(
        [ReleaseInput("Launch", Decimal("45.0"))],
        history=[Decimal("10"), Decimal("10.0"), Decimal("10")],
        calendar=SPRINTS,
        velocity_factor=Decimal("1.5"),
        fallback_range=(Decimal("1"), Decimal("2")),
    )
    assert result.releases[0].p50_periods == result.releases[0].linear_periods == 3
    assert result.releases[0].remaining == 45.0 and result.velocity.samples == (10.0, 10.0, 10.0)
    low_confidence = forecast(45, history=[], fallback_range=(Decimal("10"), Decimal("20")))
    assert low_confidence.assumption.startswith("Between 10 and 20 points per sprint")
