"""Forecast engine benchmark: one Monte Carlo release forecast, as a release page or the API computes it.

    .venv/bin/python bench/forecast.py [--trials 10000] [--items 500] [--history 20] [--runs 30]

500 remaining items with random estimates of 1 to 8 points (seeded), split in order over three releases,
forecast with 10 000 trials from 20 closed two-week sprints (25 to 45 points each, seeded) on a calendar
with a few holidays. After a warm-up run, it times ``--runs`` calls of ``forecast_releases`` (each with
its own seed) and prints one JSON object: ``trials, items, history, runs, median_ms, p95_ms``, the
median CPU time of the process (``cpu_median_ms``, steadier than wall-clock time on a busy machine) and
the ``load_average`` (other work on the machine skews the figures). The target is a median under 50 ms.

No Django and no database: the engine is plain Python and numpy.
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sightline.forecast.calendar import SprintCalendar, WorkCalendar  # noqa: E402
from sightline.forecast.engine import ReleaseInput, forecast_releases  # noqa: E402

FIRST_SPRINT = date(2026, 1, 5)
HOLIDAYS = frozenset(
    {date(2026, 4, 6), date(2026, 5, 1), date(2026, 5, 14), date(2026, 5, 25), date(2026, 12, 25)}
)
RELEASES = 3


def scenario(items: int, history: int) -> tuple[list[ReleaseInput], list[float]]:
    rng = random.Random(42)
    estimates = [rng.randint(1, 8) for _ in range(items)]
    size = -(-items // RELEASES)
    releases = [
        ReleaseInput(f"Release {n + 1}", float(sum(estimates[n * size : (n + 1) * size])))
        for n in range(RELEASES)
    ]
    velocities = [float(rng.randint(25, 45)) for _ in range(history)]
    return releases, velocities


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=10_000)
    parser.add_argument("--items", type=int, default=500)
    parser.add_argument("--history", type=int, default=20)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    releases, history = scenario(args.items, args.history)
    calendar = SprintCalendar(FIRST_SPRINT, 14, WorkCalendar(holidays=HOLIDAYS))

    def once(seed: int):
        return forecast_releases(releases, history=history, calendar=calendar, trials=args.trials, seed=seed)

    once(0)  # warm-up: imports, numpy's first allocations
    times, cpu_times, result = [], [], None
    for seed in range(1, args.runs + 1):
        started, cpu_started = time.perf_counter(), time.process_time()
        result = once(seed)
        times.append((time.perf_counter() - started) * 1000)
        cpu_times.append((time.process_time() - cpu_started) * 1000)
    last = result.releases[-1]
    print(
        json.dumps(
            {
                "trials": args.trials,
                "items": args.items,
                "history": args.history,
                "runs": args.runs,
                "median_ms": round(statistics.median(times), 1),
                "p95_ms": round(statistics.quantiles(times, n=20, method="inclusive")[-1], 1),
                "cpu_median_ms": round(statistics.median(cpu_times), 1),
                "releases": RELEASES,
                "remaining_points": last.cumulative,
                "last_release_p85_periods": last.p85_periods,
                "load_average": round(os.getloadavg()[0], 1),
            }
        )
    )


if __name__ == "__main__":
    main()
