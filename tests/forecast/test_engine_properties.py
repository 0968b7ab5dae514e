"""Properties every forecast keeps, whatever the history, scope, calendar or seed (hypothesis)."""

import math
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from sightline.forecast.calendar import SprintCalendar, WorkCalendar
from sightline.forecast.engine import ReleaseInput, forecast_releases

TRIALS = 400
examples = settings(max_examples=40, deadline=None)

histories = st.lists(st.integers(min_value=0, max_value=30), min_size=3, max_size=10).filter(any)
scopes = st.floats(min_value=0.5, max_value=400, allow_nan=False)
seeds = st.integers(min_value=0, max_value=2**32)
factors = st.floats(min_value=0.3, max_value=3.0)


@st.composite
def calendars(draw):
    first = draw(st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 31)))
    weekdays = draw(st.frozensets(st.integers(0, 6), min_size=1))
    holidays = draw(st.frozensets(st.integers(0, 400).map(lambda n: first + timedelta(days=n)), max_size=25))
    return SprintCalendar(first, draw(st.sampled_from([7, 14])), WorkCalendar(weekdays, holidays))


def periods(release) -> tuple[float, float, float]:
    """P50/P85/P95 in periods, beyond the horizon as infinity."""
    return tuple(
        math.inf if value is None else value
        for value in (release.p50_periods, release.p85_periods, release.p95_periods)
    )


def run(remaining, history, seed, calendar=None, factor=1.0):
    return forecast_releases(
        [ReleaseInput(f"R{n}", scope) for n, scope in enumerate(remaining)],
        history=history,
        calendar=calendar or SprintCalendar(date(2026, 1, 5), 14),
        trials=TRIALS,
        seed=seed,
        velocity_factor=factor,
        max_periods=200,
    )


@examples
@given(history=histories, scope=scopes, seed=seeds, calendar=calendars())
def test_p50_is_never_after_p85_nor_p85_after_p95(history, scope, seed, calendar):
    release = run([scope], history, seed, calendar).releases[0]
    p50, p85, p95 = periods(release)
    assert p50 <= p85 <= p95
    dates = [day for day in (release.p50, release.p85, release.p95) if day is not None]
    assert dates == sorted(dates)
    assert all(calendar.work.is_working_day(day) for day in dates)
    assert sum(count for _, count in release.histogram) + release.beyond_horizon == TRIALS


@examples
@given(history=histories, scope=scopes, extra=scopes, seed=seeds)
def test_more_scope_is_never_done_earlier(history, scope, extra, seed):
    smaller = run([scope], history, seed).releases[0]
    larger = run([scope + extra], history, seed).releases[0]
    assert all(a <= b for a, b in zip(periods(smaller), periods(larger), strict=True))


@examples
@given(
    history=histories, scope=scopes, factor=factors, boost=st.floats(min_value=1.0, max_value=3.0), seed=seeds
)
def test_a_higher_velocity_factor_is_never_later(history, scope, factor, boost, seed):
    slower = run([scope], history, seed, factor=factor).releases[0]
    faster = run([scope], history, seed, factor=factor * boost).releases[0]
    assert all(a >= b for a, b in zip(periods(slower), periods(faster), strict=True))
    if slower.linear_periods is not None:
        assert faster.linear_periods <= slower.linear_periods


@examples
@given(
    history=histories,
    remaining=st.lists(st.floats(min_value=0, max_value=150), min_size=2, max_size=5),
    seed=seeds,
    calendar=calendars(),
)
def test_a_later_release_is_never_done_before_an_earlier_one(history, remaining, seed, calendar):
    releases = [
        release for release in run(remaining, history, seed, calendar).releases if not release.complete
    ]
    for earlier, later in zip(releases, releases[1:], strict=False):
        assert all(a <= b for a, b in zip(periods(earlier), periods(later), strict=True))
        assert earlier.cumulative <= later.cumulative


@settings(max_examples=15, deadline=None)
@given(
    history=histories, remaining=st.lists(scopes, min_size=1, max_size=3), seed=seeds, calendar=calendars()
)
def test_the_same_seed_gives_the_same_forecast(history, remaining, seed, calendar):
    assert run(remaining, history, seed, calendar) == run(remaining, history, seed, calendar)


@examples
@given(history=histories, scope=scopes, seed=seeds, days=st.integers(min_value=-30, max_value=3000))
def test_a_later_target_date_is_never_less_likely(history, scope, seed, days):
    calendar = SprintCalendar(date(2026, 1, 5), 14)
    target = date(2026, 1, 5) + timedelta(days=days)
    sooner, later = (
        forecast_releases(
            [ReleaseInput("R", scope, target_date=day)],
            history=history,
            calendar=calendar,
            trials=TRIALS,
            seed=seed,
        ).releases[0]
        for day in (target, target + timedelta(days=14))
    )
    assert 0.0 <= sooner.probability_on_target <= later.probability_on_target <= 1.0
