"""Working days, holidays, sprint periods and today's date in a project's time zone.

The forecast counts in whole periods — sprints, or weeks for teams without sprints. Period 1 starts on
``SprintCalendar.first_start``; work planned for a period is delivered on its last working day.
A period with holidays has less room: its weight is its working days over a normal period's.

Pure Python, no Django: the engine and its tests use it as is.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

MONDAY_TO_FRIDAY = frozenset({0, 1, 2, 3, 4})


class ForecastError(ValueError):
    """Input the forecast cannot use. The message is user-facing and names the problem; ``field``
    names the input it is about when there is one (e.g. ``"trials"``)."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def _as_date(value: date | str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ForecastError(
            f"The holiday “{value}” is not a date (use YYYY-MM-DD).", field="holidays"
        ) from None


def _working_weekdays(days: Iterable[int]) -> frozenset[int]:
    weekdays = frozenset(days)
    if not weekdays or any(
        isinstance(d, bool) or not isinstance(d, int) or not 0 <= d <= 6 for d in weekdays
    ):
        raise ForecastError(
            "Working days must be one or more weekdays, numbered 0 (Monday) to 6 (Sunday).",
            field="working_days",
        )
    return weekdays


@dataclass(frozen=True)
class WorkCalendar:
    """Which days are worked: the weekdays in ``working_days`` (Monday = 0) except ``holidays``.

    Lists and ISO date strings (as a project stores them) are accepted and turned into frozensets.
    """

    working_days: frozenset[int] = MONDAY_TO_FRIDAY
    holidays: frozenset[date] = frozenset()
    # Ordinals of the holidays that fall on a working weekday, sorted: counted with a binary search.
    _holiday_ordinals: tuple[int, ...] = field(default=(), init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        weekdays = _working_weekdays(self.working_days)
        holidays = frozenset(_as_date(day) for day in self.holidays)
        object.__setattr__(self, "working_days", weekdays)
        object.__setattr__(self, "holidays", holidays)
        ordinals = sorted(day.toordinal() for day in holidays if day.weekday() in weekdays)
        object.__setattr__(self, "_holiday_ordinals", tuple(ordinals))

    def is_working_day(self, day: date) -> bool:
        return day.weekday() in self.working_days and day not in self.holidays

    def weekdays_between(self, start: date, end: date) -> int:
        """Days from ``start`` to ``end`` (inclusive) on a working weekday, holidays not subtracted."""
        if end < start:
            return 0
        weeks, rest = divmod((end - start).days + 1, 7)
        first = start.weekday()
        return weeks * len(self.working_days) + sum(
            1 for offset in range(rest) if (first + offset) % 7 in self.working_days
        )

    def working_days_between(self, start: date, end: date) -> int:
        """Working days from ``start`` to ``end``, both included; 0 when ``end`` is before ``start``."""
        if end < start:
            return 0
        ordinals = self._holiday_ordinals
        off = bisect.bisect_right(ordinals, end.toordinal()) - bisect.bisect_left(ordinals, start.toordinal())
        return self.weekdays_between(start, end) - off

    def last_working_day_on_or_before(self, day: date) -> date:
        # Ends: at most 6 non-working weekdays in a row, and finitely many holidays.
        while not self.is_working_day(day):
            day -= timedelta(days=1)
        return day

    def first_working_day_on_or_after(self, day: date) -> date:
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day


@dataclass(frozen=True)
class SprintCalendar:
    """Forecast periods of ``length_days`` days, period 1 starting on ``first_start``."""

    first_start: date  # first day of forecast period 1 (the current sprint if one is active, else the next)
    length_days: int  # 7 * sprint_length_weeks (7 for weekly periods of teams without sprints)
    work: WorkCalendar = WorkCalendar()

    def __post_init__(self) -> None:
        if (
            isinstance(self.length_days, bool)
            or not isinstance(self.length_days, int)
            or self.length_days < 1
        ):
            raise ForecastError("A sprint must last at least one day.", field="length_days")

    def period_start(self, n: int) -> date:
        if n < 1:
            raise ForecastError(f"Periods are numbered from 1; got {n}.", field="period")
        try:
            return self.first_start + timedelta(days=(n - 1) * self.length_days)
        except OverflowError:
            raise ForecastError(
                f"Period {n} starts after the last date the calendar can hold.", field="period"
            ) from None

    def _period_last_day(self, n: int) -> date:
        return self.period_start(n) + timedelta(days=self.length_days - 1)

    def period_end(self, n: int) -> date:
        """The last working day of period ``n``, the day its work is delivered. A period end on a
        weekend or holiday moves back to the working day before it."""
        return self.work.last_working_day_on_or_before(self._period_last_day(n))

    def period_weight(self, n: int) -> float:
        """Working days in period ``n`` over the working days of the same period without holidays:
        1.0 for a normal period, less with holidays, 0.0 when the whole period is off."""
        start, last = self.period_start(n), self._period_last_day(n)
        normal = self.work.weekdays_between(start, last)
        if normal == 0:
            return 0.0
        return self.work.working_days_between(start, last) / normal

    def period_weights(self, first: int, count: int) -> list[float]:
        """``period_weight`` of the ``count`` periods from ``first`` on (quick for whole weeks)."""
        if self.length_days % 7:
            return [self.period_weight(n) for n in range(first, first + count)]
        normal = self.length_days // 7 * len(self.work.working_days)  # every whole week has them all
        ordinals = self.work._holiday_ordinals
        start = self.period_start(first).toordinal()
        if not ordinals or ordinals[-1] < start:
            return [1.0] * count
        edges = [start + k * self.length_days for k in range(count + 1)]
        off = [bisect.bisect_left(ordinals, edge) for edge in edges]
        return [(normal - (off[k + 1] - off[k])) / normal for k in range(count)]

    def period_containing(self, day: date) -> int:
        """The 1-based period that holds ``day``; 0 when ``day`` is before ``first_start``."""
        if day < self.first_start:
            return 0
        return (day - self.first_start).days // self.length_days + 1


def zone_named(time_zone: str) -> ZoneInfo:
    """The time zone called ``time_zone`` (an IANA name, e.g. "Europe/Paris"); an unknown name is
    refused, never replaced by another zone."""
    try:
        return ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise ForecastError(f"“{time_zone}” is not a known time zone.", field="time_zone") from None


def local_today(time_zone: str, now: datetime) -> date:
    """The date it is at the aware moment ``now`` in ``time_zone`` (an IANA name, e.g. "Europe/Paris")."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ForecastError("The current time must carry its time zone.", field="now")
    return now.astimezone(zone_named(time_zone)).date()
