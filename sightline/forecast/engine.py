"""Release forecasts: a linear projection and a Monte Carlo simulation over whole periods (sprints).

Each trial draws one throughput per period (from the closed sprints' history, with replacement, or
from the range the product owner entered while fewer than 3 sprints are closed), weighs it by the
period's working days and the what-if velocity factor, and adds it up. A release is done in the first
period in which that sum reaches its scope plus the scope of every release before it; the same draws
serve all releases, so a later release is never done before an earlier one. P50/P85/P95 are the
nearest-rank percentiles of those periods, dated on the period's last working day.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from sightline.forecast.calendar import ForecastError, SprintCalendar
from sightline.forecast.sampling import Sampler, bootstrap, sampler_name, simulate, uniform_range

__all__ = [
    "DEFAULT_TRIALS",
    "MAX_TRIALS",
    "Forecast",
    "ForecastError",
    "ReleaseForecast",
    "ReleaseInput",
    "Sampler",
    "VelocityStats",
    "bootstrap",
    "forecast_releases",
    "percentile_period",
    "uniform_range",
    "velocity_stats",
]

MAX_TRIALS = 200_000
DEFAULT_TRIALS = 10_000
MIN_HISTORY = 3  # closed periods needed before the history is sampled instead of the entered range
PERCENTILES = (50, 85, 95)


@dataclass(frozen=True)
class VelocityStats:
    samples: tuple[float, ...]  # history used, oldest first
    mean: float | None  # mean of the last 3 (or of all if fewer); None without history
    last: float | None
    low: float | None  # min of the last 3
    high: float | None  # max of the last 3


def velocity_stats(history: Sequence[float], window: int = 3) -> VelocityStats:
    if window < 1:
        raise ForecastError("The velocity window must hold at least one sprint.", field="window")
    samples = tuple(float(value) for value in history)
    if not samples:
        return VelocityStats(samples=(), mean=None, last=None, low=None, high=None)
    recent = samples[-window:]
    return VelocityStats(
        samples=samples, mean=sum(recent) / len(recent), last=samples[-1], low=min(recent), high=max(recent)
    )


@dataclass(frozen=True)
class ReleaseInput:
    name: str
    remaining: float  # >= 0, this release's own remaining scope (points or hours)
    target_date: date | None = None


@dataclass(frozen=True)
class ReleaseForecast:
    name: str
    remaining: float
    cumulative: float  # remaining of this and all earlier releases
    complete: bool  # nothing remains (all dates below None)
    linear_periods: int | None  # ceil(cumulative / mean velocity); None without a mean
    linear_date: date | None  # None also when linear_periods is beyond the horizon (max_periods)
    p50: date | None  # a percentile is None when it lies beyond the horizon (see beyond_horizon)
    p85: date | None
    p95: date | None
    p50_periods: int | None
    p85_periods: int | None
    p95_periods: int | None
    probability_on_target: float | None  # share of trials done on/before target_date; None without target
    histogram: tuple[tuple[date, int], ...]  # (period end date, trials finishing in that period), ascending
    beyond_horizon: int  # trials that did not finish within the horizon (counted as later than any date)


@dataclass(frozen=True)
class Forecast:
    releases: tuple[ReleaseForecast, ...]
    velocity: VelocityStats
    low_confidence: bool  # fewer than 3 history samples -> the range was used
    assumption: (
        str  # plain words: "Sampled from 8 closed sprints", "… the points accepted per week in 6 weeks"
    )
    trials: int
    seed: int | None
    strategy: str  # "bootstrap" | "range" (or a custom sampler's name)


def _number(value: float) -> str:
    return f"{value:.6g}"


def _check_whole(value: object, low: int, high: int | None, *, what: str, field: str) -> None:
    whole = isinstance(value, int | np.integer) and not isinstance(value, bool)
    if not whole or value < low or (high is not None and value > high):  # type: ignore[operator]
        upper = f" and {high:,}".replace(",", " ") if high is not None else " or more"
        span = f"between {low}{upper}" if high is not None else f"{low}{upper}"
        raise ForecastError(f"{what} must be a whole number {span}; got {value!r}.", field=field)


def _as_float(value: object) -> float:
    """``value`` as a float, NaN when it is no number at all (None, text): refused as not finite."""
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.nan


def _check_inputs(trials: int, seed: int | None, velocity_factor: float, max_periods: int) -> float:
    """Check the run's settings; returns the velocity factor as a float."""
    _check_whole(trials, 1, MAX_TRIALS, what="Trials", field="trials")
    if seed is not None:
        _check_whole(seed, 0, None, what="The seed", field="seed")
    _check_whole(max_periods, 1, None, what="The horizon in periods", field="max_periods")
    factor = _as_float(velocity_factor)
    if not math.isfinite(factor) or factor <= 0:
        raise ForecastError(
            f"The velocity change must leave a velocity above zero (factor {_number(factor)}).",
            field="velocity_factor",
        )
    return factor


def _check_history(history: Sequence[float]) -> tuple[float, ...]:
    for value in history:
        number = _as_float(value)
        if not math.isfinite(number):
            raise ForecastError(f"A closed sprint's throughput is not a number ({value}).", field="history")
        if number < 0:
            raise ForecastError(
                f"A closed sprint's throughput is negative ({_number(number)}).", field="history"
            )
    return tuple(float(value) for value in history)


def _check_releases(releases: Sequence[ReleaseInput]) -> list[float]:
    """Each release's remaining scope as a float."""
    for release in releases:
        remaining = _as_float(release.remaining)
        if not math.isfinite(remaining):
            raise ForecastError(
                f"The remaining scope of “{release.name}” is not a number ({release.remaining}).",
                field="remaining",
            )
        if remaining < 0:
            raise ForecastError(
                f"The remaining scope of “{release.name}” is negative ({_number(remaining)}); "
                "estimates must be zero or more.",
                field="remaining",
            )
    return [float(release.remaining) for release in releases]


def _choose_sampler(
    samples: tuple[float, ...],
    fallback_range: tuple[float, float] | None,
    sampler: Sampler | None,
    unit: str,
    period: str,
) -> tuple[Sampler, str]:
    """The sampler and the assumption behind it in plain words."""
    if sampler is not None:
        return sampler, f"Sampled by {sampler_name(sampler)}"
    if len(samples) >= MIN_HISTORY:
        if period == "sprint":
            return bootstrap(samples), f"Sampled from {len(samples)} closed sprints"
        return bootstrap(
            samples
        ), f"Sampled from the {unit} accepted per {period} in {len(samples)} {period}s"
    if fallback_range is None:
        raise ForecastError(
            f"Fewer than {MIN_HISTORY} {period}s are closed ({len(samples)}) and no throughput range is "
            f"entered: enter the low and high {unit} per {period} the team expects to forecast.",
            field="fallback_range",
        )
    if len(fallback_range) != 2:
        raise ForecastError("The entered throughput range must be two numbers.", field="fallback_range")
    low, high = (_as_float(value) for value in fallback_range)
    chosen = uniform_range(low, high)
    return chosen, (
        f"Between {_number(low)} and {_number(high)} {unit} per {period} "
        f"(entered range; fewer than {MIN_HISTORY} {period}s closed)"
    )


def _factor_note(velocity_factor: float) -> str:
    if velocity_factor == 1:
        return ""
    return f"; velocity changed by {(velocity_factor - 1) * 100:+.3g} %"


def percentile_period(counts: np.ndarray, trials: int, pct: int) -> int | None:
    """Nearest rank: the smallest n such that at least pct % of the trials finished within n periods.

    ``counts[n]`` is the number of trials finishing in period n (``counts[0]``: beyond the horizon, they
    count as later than any period). None when the rank falls among those beyond the horizon."""
    rank = -(-pct * trials // 100)  # ceil(pct * trials / 100) in integers
    within = np.cumsum(counts[1:])
    n = int(np.searchsorted(within, rank))  # first index where within >= rank
    return n + 1 if n < within.size else None


def _histogram(counts: np.ndarray, calendar: SprintCalendar) -> tuple[tuple[date, int], ...]:
    """(period end, trials) from the first to the last period anyone finished in; periods that end on
    the same working day (a period without working days) share one bar."""
    finished = np.flatnonzero(counts[1:]) + 1
    if not finished.size:
        return ()
    bars: dict[date, int] = {}
    for n in range(int(finished[0]), int(finished[-1]) + 1):
        day = calendar.period_end(n)
        bars[day] = bars.get(day, 0) + int(counts[n])
    return tuple(bars.items())


def _linear_periods(cumulative: float, mean: float | None, velocity_factor: float) -> int | None:
    if mean is None or mean <= 0:
        return None
    return max(1, math.ceil(cumulative / (mean * velocity_factor) - 1e-9))


def _date(calendar: SprintCalendar, periods: int | None, max_periods: int) -> date | None:
    return calendar.period_end(periods) if periods is not None and periods <= max_periods else None


def _on_target(bars: tuple[tuple[date, int], ...], target: date | None, trials: int) -> float | None:
    if target is None:
        return None
    return sum(count for day, count in bars if day <= target) / trials


def _complete(release: ReleaseInput, cumulative: float) -> ReleaseForecast:
    return ReleaseForecast(
        name=release.name,
        remaining=float(release.remaining),
        cumulative=cumulative,
        complete=True,
        linear_periods=None,
        linear_date=None,
        p50=None,
        p85=None,
        p95=None,
        p50_periods=None,
        p85_periods=None,
        p95_periods=None,
        probability_on_target=None if release.target_date is None else 1.0,
        histogram=(),
        beyond_horizon=0,
    )


def _release_forecast(
    release: ReleaseInput,
    cumulative: float,
    finish: np.ndarray,
    linear_periods: int | None,
    calendar: SprintCalendar,
    max_periods: int,
) -> ReleaseForecast:
    """The forecast of an unfinished release from ``finish``, each trial's period (0: beyond)."""
    trials = finish.size
    counts = np.bincount(finish, minlength=1)
    p50, p85, p95 = (percentile_period(counts, trials, pct) for pct in PERCENTILES)
    bars = _histogram(counts, calendar)
    return ReleaseForecast(
        name=release.name,
        remaining=float(release.remaining),
        cumulative=cumulative,
        complete=False,
        linear_periods=linear_periods,
        linear_date=_date(calendar, linear_periods, max_periods),
        p50=_date(calendar, p50, max_periods),
        p85=_date(calendar, p85, max_periods),
        p95=_date(calendar, p95, max_periods),
        p50_periods=p50,
        p85_periods=p85,
        p95_periods=p95,
        probability_on_target=_on_target(bars, release.target_date, trials),
        histogram=bars,
        beyond_horizon=int(counts[0]),
    )


def forecast_releases(
    releases: Sequence[ReleaseInput],
    *,
    history: Sequence[float],
    calendar: SprintCalendar,
    fallback_range: tuple[float, float] | None = None,
    trials: int = DEFAULT_TRIALS,
    seed: int | None = None,
    velocity_factor: float = 1.0,
    sampler: Sampler | None = None,
    max_periods: int = 520,
    unit: str = "points",
    period: str = "sprint",
) -> Forecast:
    """Forecast ``releases`` in order, a later one starting where the earlier ones end.

    ``history`` is the throughput per closed period, oldest first; with fewer than 3 of them the
    ``fallback_range`` is sampled instead (low confidence). ``unit`` and ``period`` only word the
    assumption ("points"/"hours", "sprint"/"week")."""
    velocity_factor = _check_inputs(trials, seed, velocity_factor, max_periods)
    samples = _check_history(history)
    remaining = _check_releases(releases)
    chosen, assumption = _choose_sampler(samples, fallback_range, sampler, unit, period)
    stats = velocity_stats(samples)
    cumulative = [float(c) for c in np.cumsum(remaining)]
    open_ = [i for i, scope in enumerate(remaining) if scope > 0]
    finish = simulate(
        chosen,
        np.random.default_rng(seed),
        trials=trials,
        scopes=[cumulative[i] for i in open_],
        weight=calendar.period_weights,
        factor=velocity_factor,
        max_periods=max_periods,
    )
    rows = dict(zip(open_, finish, strict=True))
    linear = [_linear_periods(scope, stats.mean, velocity_factor) for scope in cumulative]
    return Forecast(
        releases=tuple(
            _release_forecast(release, cumulative[i], rows[i], linear[i], calendar, max_periods)
            if i in rows
            else _complete(release, cumulative[i])
            for i, release in enumerate(releases)
        ),
        velocity=stats,
        low_confidence=len(samples) < MIN_HISTORY,
        assumption=assumption + _factor_note(velocity_factor),
        trials=trials,
        seed=seed,
        strategy=sampler_name(chosen),
    )
