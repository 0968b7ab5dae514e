"""Throughput samplers and the vectorised Monte Carlo simulation behind ``engine.forecast_releases``.

A sampler draws a ``(trials, periods)`` matrix of throughputs (points or hours per period). The
simulation asks it for blocks of ``BLOCK`` periods, always the same size and in the same order, so that
with one seed the draws for period ``n`` of trial ``t`` are the same whatever the scope, the velocity
factor or the horizon: more scope is never done earlier, a faster team never later.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from sightline.forecast.calendar import ForecastError

Sampler = Callable[[np.random.Generator, int, int], np.ndarray]  # (rng, trials, periods) -> (trials, periods)

BLOCK = 16  # periods per sampler call
CHUNK_CELLS = 4_000_000  # at most this many draws (32 MB of float64) are processed at once
HORIZON_MARGIN = 1.1  # the next chunk covers the slowest unfinished trial at the mean pace, plus a tenth


def _number(value: float) -> str:
    return f"{value:.6g}"


@dataclass(frozen=True, eq=False)
class _Bootstrap:
    """Each period's throughput drawn with replacement from the history."""

    values: np.ndarray
    name: str = "bootstrap"

    @property
    def ceiling(self) -> float:
        return float(self.values.max())

    def __call__(self, rng: np.random.Generator, trials: int, periods: int) -> np.ndarray:
        # Drawn period-major and handed back transposed: the simulation reads it period by period.
        return self.values[rng.integers(0, self.values.size, size=(periods, trials), dtype=np.int32)].T


@dataclass(frozen=True, eq=False)
class _UniformRange:
    """Each period's throughput uniform in [low, high]."""

    low: float
    high: float
    name: str = "range"

    @property
    def ceiling(self) -> float:
        return self.high

    def __call__(self, rng: np.random.Generator, trials: int, periods: int) -> np.ndarray:
        return rng.uniform(self.low, self.high, size=(periods, trials)).T


def bootstrap(history: Sequence[float]) -> Sampler:
    """Sample with replacement from ``history`` (throughput per closed period)."""
    values = np.asarray(list(history), dtype=float)
    if values.size == 0:
        raise ForecastError("There is no closed sprint to sample a throughput from.", field="history")
    for value in values:
        if not math.isfinite(value):
            raise ForecastError(f"A closed sprint's throughput is not a number ({value}).", field="history")
        if value < 0:
            raise ForecastError(
                f"A closed sprint's throughput is negative ({_number(value)}).", field="history"
            )
    if not values.any():
        raise ForecastError(
            "Every closed sprint in the history delivered nothing, so there is no pace to forecast from.",
            field="history",
        )
    values.setflags(write=False)
    return _Bootstrap(values)


def uniform_range(low: float, high: float) -> Sampler:
    """Sample uniformly between ``low`` and ``high`` (the range the product owner enters)."""
    if not (math.isfinite(low) and math.isfinite(high)):
        raise ForecastError("The entered throughput range must be two numbers.", field="fallback_range")
    if low <= 0:
        raise ForecastError(
            f"The entered throughput range must start above zero; its low is {_number(low)}.",
            field="fallback_range",
        )
    if low > high:
        raise ForecastError(
            f"The entered throughput range has its low ({_number(low)}) above its high ({_number(high)}).",
            field="fallback_range",
        )
    return _UniformRange(float(low), float(high))


def sampler_name(sampler: Sampler) -> str:
    return str(getattr(sampler, "name", None) or getattr(sampler, "__name__", "custom"))


class _Draws:
    """The trial draws in period order, drawn from the sampler BLOCK periods at a time and handed out
    period-major, shape (periods, trials), so that running sums go down contiguous rows."""

    def __init__(self, sampler: Sampler, rng: np.random.Generator, trials: int):
        self.sampler, self.rng, self.trials = sampler, rng, trials
        self.trusted = isinstance(sampler, _Bootstrap | _UniformRange)
        self.left = np.empty((0, trials))

    def _block(self) -> np.ndarray:
        block = np.asarray(self.sampler(self.rng, self.trials, BLOCK), dtype=float)
        if block.shape != (self.trials, BLOCK):
            raise ForecastError(f"The sampler returned shape {block.shape}, not {(self.trials, BLOCK)}.")
        if not self.trusted and not (np.isfinite(block).all() and (block >= 0).all()):
            raise ForecastError("The sampler returned a throughput that is negative or not a number.")
        return block.T

    def take(self, periods: int) -> np.ndarray:
        """The next ``periods`` periods of every trial, a fresh array of shape (periods, trials)."""
        parts, have = [self.left], self.left.shape[0]
        while have < periods:
            parts.append(self._block())
            have += BLOCK
        drawn = np.concatenate(parts, axis=0)
        self.left = drawn[periods:]
        return drawn[:periods]


def _record(
    finish: np.ndarray, cum: np.ndarray, active: np.ndarray, thresholds: np.ndarray, done: int
) -> None:
    """Set ``finish[r, t]`` to the period in which trial ``t`` first reached ``thresholds[r]``.

    ``cum`` (periods, active trials) holds the running throughput of the ``active`` trials over this
    chunk's periods; it never decreases down a column, so the periods below a threshold are exactly
    those before it is reached.
    """
    periods = cum.shape[0]
    for release, threshold in enumerate(thresholds):
        pending = finish[release, active] == 0
        if not pending.any():
            continue
        all_pending = bool(pending.all())
        columns = cum if all_pending else cum[:, pending]
        below = np.count_nonzero(columns < threshold, axis=0)
        hit = below < periods
        trials = active if all_pending else active[pending]
        finish[release, trials[hit]] = done + below[hit] + 1


def _next_chunk(pace: float, gap: float, trials: int, done: int, room: int) -> int:
    """How many more periods to draw: enough to close the slowest unfinished trial's ``gap`` at the
    mean ``pace`` per period of the last chunk, with a margin; doubling the horizon without a pace."""
    estimate = gap / pace * HORIZON_MARGIN if pace > 0 else math.inf
    wanted = math.ceil(estimate) + 2 if estimate < room else max(done, BLOCK)
    cap = max(BLOCK, CHUNK_CELLS // trials)
    return max(1, min(wanted, cap, room))


def _reachable(
    thresholds: list[float],
    sampler: Sampler,
    weight: Callable[[int, int], Sequence[float]],
    factor: float,
    max_periods: int,
) -> np.ndarray:
    """The thresholds some trial could reach within the horizon: when the sampler knows its largest
    draw (``ceiling``), scopes beyond ``ceiling`` x every period's weight need not be simulated."""
    ceiling = getattr(sampler, "ceiling", None)
    if ceiling is None:
        return np.array(thresholds, dtype=float)
    reach = float(ceiling) * factor * float(np.sum(weight(1, max_periods)))
    return np.array([t for t in thresholds if t <= reach], dtype=float)


def simulate(
    sampler: Sampler,
    rng: np.random.Generator,
    *,
    trials: int,
    scopes: Sequence[float],
    weight: Callable[[int, int], Sequence[float]],
    factor: float,
    max_periods: int,
) -> np.ndarray:
    """For each cumulative scope (non-decreasing, above zero) and each trial, the period in which the
    trial's cumulative throughput — each period's draw x ``weight`` x ``factor`` — first reaches it:
    an int array of shape (len(scopes), trials), 0 when not reached within ``max_periods``.

    ``weight(first, count)`` gives the weights of periods first .. first + count - 1. The horizon grows
    chunk by chunk from a one-period pilot and stops once every trial has reached the last scope.
    """
    finish = np.zeros((len(scopes), trials), dtype=np.int64)
    thresholds = _reachable([s - 1e-9 * max(1.0, s) for s in scopes], sampler, weight, factor, max_periods)
    if not thresholds.size:
        return finish
    draws = _Draws(sampler, rng, trials)
    running = np.zeros(trials)
    active = np.arange(trials)
    done, size = 0, 1
    while active.size and done < max_periods:
        taken = draws.take(size)
        cum = taken if active.size == trials else taken[:, active]
        cum *= (np.asarray(weight(done + 1, size), dtype=float) * factor)[:, None]
        np.cumsum(cum, axis=0, out=cum)
        start = running[active]
        cum += start
        _record(finish, cum, active, thresholds, done)
        pace = float((cum[-1] - start).mean()) / size
        running[active] = cum[-1]
        done += size
        active = active[cum[-1] < thresholds[-1]]
        if active.size:
            gap = float(thresholds[-1] - running[active].min())
            size = _next_chunk(pace, gap, trials, done, max_periods - done)
    return finish
