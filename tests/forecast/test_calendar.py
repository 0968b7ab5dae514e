"""Working days, holidays, sprint periods and today's date in the project's time zone."""

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sightline.forecast.calendar import ForecastError, SprintCalendar, WorkCalendar, local_today

MONDAY = date(2026, 1, 5)  # a Monday
SUNDAY_TO_THURSDAY = frozenset({6, 0, 1, 2, 3})


def days(first: date, count: int) -> list[date]:
    return [first + timedelta(days=n) for n in range(count)]


# --- WorkCalendar -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "day, working",
    [
        (date(2026, 1, 5), True),  # Monday
        (date(2026, 1, 9), True),  # Friday
        (date(2026, 1, 10), False),  # Saturday
        (date(2026, 1, 11), False),  # Sunday
        (date(2026, 1, 7), False),  # Wednesday, a holiday
    ],
)
def test_a_working_day_is_a_working_weekday_that_is_not_a_holiday(day, working):
    calendar = WorkCalendar(holidays=frozenset({date(2026, 1, 7)}))
    assert calendar.is_working_day(day) is working


@pytest.mark.parametrize(
    "start, end, holidays, expected",
    [
        (date(2026, 1, 5), date(2026, 1, 9), [], 5),  # Monday to Friday
        (date(2026, 1, 5), date(2026, 1, 11), [], 5),  # the weekend adds nothing
        (date(2026, 1, 5), date(2026, 1, 18), [], 10),  # two weeks
        (date(2026, 1, 10), date(2026, 1, 11), [], 0),  # a weekend
        (date(2026, 1, 9), date(2026, 1, 9), [], 1),  # one day, both ends included
        (date(2026, 1, 9), date(2026, 1, 5), [], 0),  # end before start
        (date(2026, 1, 5), date(2026, 1, 9), [date(2026, 1, 7)], 4),  # a holiday on a Wednesday
        (date(2026, 1, 5), date(2026, 1, 11), [date(2026, 1, 10)], 5),  # a holiday on a Saturday
        (date(2026, 1, 5), date(2026, 1, 9), [date(2026, 1, 12)], 5),  # a holiday after the range
    ],
)
def test_working_days_between_counts_both_ends(start, end, holidays, expected):
    calendar = WorkCalendar(holidays=frozenset(holidays))
    assert calendar.working_days_between(start, end) == expected


def test_a_sunday_to_thursday_week_has_five_working_days():
    calendar = WorkCalendar(working_days=SUNDAY_TO_THURSDAY)
    assert calendar.working_days_between(date(2026, 1, 4), date(2026, 1, 10)) == 5
    assert not calendar.is_working_day(date(2026, 1, 9))  # Friday
    assert calendar.is_working_day(date(2026, 1, 11))  # Sunday


@given(
    start=st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
    length=st.integers(min_value=0, max_value=60),
    weekdays=st.frozensets(st.integers(0, 6), min_size=1),
    holidays=st.lists(st.dates(min_value=date(2019, 12, 1), max_value=date(2031, 3, 1)), max_size=30),
)
def test_working_days_between_matches_counting_day_by_day(start, length, weekdays, holidays):
    calendar = WorkCalendar(working_days=weekdays, holidays=frozenset(holidays))
    end = start + timedelta(days=length)
    by_hand = sum(1 for day in days(start, length + 1) if calendar.is_working_day(day))
    assert calendar.working_days_between(start, end) == by_hand


@pytest.mark.parametrize(
    "working_days, holidays, day, expected",
    [
        (None, [], date(2026, 1, 9), date(2026, 1, 9)),  # a Friday stays
        (None, [], date(2026, 1, 10), date(2026, 1, 9)),  # Saturday -> Friday
        (None, [], date(2026, 1, 11), date(2026, 1, 9)),  # Sunday -> Friday
        (None, [date(2026, 1, 12)], date(2026, 1, 12), date(2026, 1, 9)),  # a Monday holiday -> Friday
        (None, [date(2026, 1, 8), date(2026, 1, 9)], date(2026, 1, 11), date(2026, 1, 7)),
        (SUNDAY_TO_THURSDAY, [], date(2026, 1, 10), date(2026, 1, 8)),  # Saturday -> Thursday
    ],
)
def test_last_working_day_on_or_before(working_days, holidays, day, expected):
    kwargs = {"working_days": working_days} if working_days else {}
    calendar = WorkCalendar(holidays=frozenset(holidays), **kwargs)
    assert calendar.last_working_day_on_or_before(day) == expected


def test_first_working_day_on_or_after_skips_weekends_and_holidays():
    calendar = WorkCalendar(holidays=frozenset({date(2026, 12, 28)}))
    assert calendar.first_working_day_on_or_after(date(2026, 12, 23)) == date(2026, 12, 23)  # a Wednesday
    assert calendar.first_working_day_on_or_after(date(2026, 12, 26)) == date(
        2026, 12, 29
    )  # Sat, Sun, holiday


def test_lists_and_iso_strings_are_accepted_as_a_project_stores_them():
    calendar = WorkCalendar(working_days=[0, 1, 2, 3], holidays=["2026-12-25", "2026-12-28"])
    assert calendar.working_days == frozenset({0, 1, 2, 3})
    assert calendar.holidays == frozenset({date(2026, 12, 25), date(2026, 12, 28)})
    assert calendar == WorkCalendar(working_days=frozenset({0, 1, 2, 3}), holidays=calendar.holidays)


@pytest.mark.parametrize(
    "kwargs, field, message",
    [
        (
            {"working_days": []},
            "working_days",
            "Working days must be one or more weekdays, numbered 0 (Monday) to 6 (Sunday).",
        ),
        (
            {"working_days": [0, 7]},
            "working_days",
            "Working days must be one or more weekdays, numbered 0 (Monday) to 6 (Sunday).",
        ),
        (
            {"holidays": ["25/12/2026"]},
            "holidays",
            "The holiday “25/12/2026” is not a date (use YYYY-MM-DD).",
        ),
    ],
)
def test_a_bad_work_calendar_is_refused(kwargs, field, message):
    with pytest.raises(ForecastError) as caught:
        WorkCalendar(**kwargs)
    assert caught.value.field == field
    assert str(caught.value) == message


# --- SprintCalendar -----------------------------------------------------------------------------
def test_periods_follow_each_other_from_the_first_start():
    sprints = SprintCalendar(first_start=MONDAY, length_days=14)
    assert [sprints.period_start(n) for n in (1, 2, 3)] == [MONDAY, date(2026, 1, 19), date(2026, 2, 2)]


@pytest.mark.parametrize(
    "first_start, length, working_days, holidays, n, expected",
    [
        (MONDAY, 14, None, [], 1, date(2026, 1, 16)),  # ends on a Sunday -> Friday
        (MONDAY, 14, None, [], 2, date(2026, 1, 30)),
        (MONDAY, 7, None, [date(2026, 1, 9)], 1, date(2026, 1, 8)),  # Friday holiday -> Thursday
        (date(2026, 1, 7), 14, None, [], 1, date(2026, 1, 20)),  # Wednesday sprints end on a Tuesday
        (date(2026, 1, 4), 7, SUNDAY_TO_THURSDAY, [], 1, date(2026, 1, 8)),  # Saturday -> Thursday
    ],
)
def test_a_period_ends_on_its_last_working_day(first_start, length, working_days, holidays, n, expected):
    kwargs = {"working_days": working_days} if working_days else {}
    sprints = SprintCalendar(first_start, length, WorkCalendar(holidays=frozenset(holidays), **kwargs))
    assert sprints.period_end(n) == expected
    assert sprints.work.is_working_day(sprints.period_end(n))


@pytest.mark.parametrize(
    "length, holidays, expected",
    [
        (14, [], 1.0),
        (14, [date(2026, 1, 7)], 0.9),  # one of ten working days off
        (7, [date(2026, 1, 7)], 0.8),  # one of five
        (7, [date(2026, 1, 10)], 1.0),  # a holiday on a Saturday costs nothing
        (7, days(MONDAY, 5), 0.0),  # the whole week off
        (10, [date(2026, 1, 14)], 7 / 8),  # a ten-day period from a Monday has 8 working days
    ],
)
def test_holidays_lower_the_weight_of_a_period(length, holidays, expected):
    sprints = SprintCalendar(MONDAY, length, WorkCalendar(holidays=frozenset(holidays)))
    assert sprints.period_weight(1) == pytest.approx(expected)
    assert sprints.period_weights(1, 1) == pytest.approx([expected])


def test_a_week_off_ends_on_the_working_day_before_it():
    sprints = SprintCalendar(MONDAY, 7, WorkCalendar(holidays=frozenset(days(date(2026, 1, 12), 5))))
    assert sprints.period_weight(2) == 0.0
    assert sprints.period_end(2) == sprints.period_end(1) == date(2026, 1, 9)


@settings(max_examples=60)
@given(
    first=st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 31)),
    length=st.sampled_from([1, 5, 7, 10, 14, 21]),
    weekdays=st.frozensets(st.integers(0, 6), min_size=1),
    holidays=st.lists(st.dates(min_value=date(2024, 1, 1), max_value=date(2028, 12, 31)), max_size=20),
    start=st.integers(min_value=1, max_value=20),
    count=st.integers(min_value=1, max_value=30),
)
def test_period_weights_match_period_weight(first, length, weekdays, holidays, start, count):
    sprints = SprintCalendar(first, length, WorkCalendar(weekdays, frozenset(holidays)))
    expected = [sprints.period_weight(n) for n in range(start, start + count)]
    assert sprints.period_weights(start, count) == pytest.approx(expected)
    assert all(0.0 <= weight <= 1.0 for weight in expected)


@pytest.mark.parametrize(
    "day, expected",
    [
        (date(2026, 1, 4), 0),  # before the first start
        (MONDAY, 1),
        (date(2026, 1, 18), 1),  # the last day of period 1
        (date(2026, 1, 19), 2),
        (date(2026, 3, 1), 4),
    ],
)
def test_period_containing(day, expected):
    assert SprintCalendar(MONDAY, 14).period_containing(day) == expected


@pytest.mark.parametrize(
    "make, field, message",
    [
        (lambda: SprintCalendar(MONDAY, 0), "length_days", "A sprint must last at least one day."),
        (lambda: SprintCalendar(MONDAY, 14).period_start(0), "period", "Periods are numbered from 1; got 0."),
        (lambda: SprintCalendar(MONDAY, 14).period_end(-1), "period", "Periods are numbered from 1; got -1."),
        (
            lambda: SprintCalendar(MONDAY, 14).period_end(10**6),
            "period",
            "Period 1000000 starts after the last date the calendar can hold.",
        ),
    ],
)
def test_a_bad_sprint_calendar_or_period_is_refused(make, field, message):
    with pytest.raises(ForecastError) as caught:
        make()
    assert (caught.value.field, str(caught.value)) == (field, message)


# --- time zones ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "now, zone, expected",
    [
        # 11:30 UTC on 1 March: already 2 March in Auckland (UTC+13), still 1 March in Los Angeles (UTC-8).
        (datetime(2026, 3, 1, 11, 30, tzinfo=UTC), "Pacific/Auckland", date(2026, 3, 2)),
        (datetime(2026, 3, 1, 11, 30, tzinfo=UTC), "America/Los_Angeles", date(2026, 3, 1)),
        # 07:59 UTC on 1 March: 20:59 on 1 March in Auckland, 23:59 on 28 February in Los Angeles.
        (datetime(2026, 3, 1, 7, 59, tzinfo=UTC), "Pacific/Auckland", date(2026, 3, 1)),
        (datetime(2026, 3, 1, 7, 59, tzinfo=UTC), "America/Los_Angeles", date(2026, 2, 28)),
        # one minute later it is 1 March in both
        (datetime(2026, 3, 1, 8, 0, tzinfo=UTC), "America/Los_Angeles", date(2026, 3, 1)),
        (datetime(2026, 3, 1, 23, 59, tzinfo=UTC), "UTC", date(2026, 3, 1)),
    ],
)
def test_local_today_is_the_date_in_the_project_time_zone(now, zone, expected):
    assert local_today(zone, now) == expected


@pytest.mark.parametrize(
    "zone, now, field, message",
    [
        (
            "Mars/Olympus_Mons",
            datetime(2026, 3, 1, tzinfo=UTC),
            "time_zone",
            "“Mars/Olympus_Mons” is not a known time zone.",
        ),
        ("", datetime(2026, 3, 1, tzinfo=UTC), "time_zone", "“” is not a known time zone."),
        ("Europe/Paris", datetime(2026, 3, 1), "now", "The current time must carry its time zone."),
    ],
)
def test_local_today_refuses_unknown_zones_and_naive_times(zone, now, field, message):
    with pytest.raises(ForecastError) as caught:
        local_today(zone, now)
    assert (caught.value.field, str(caught.value)) == (field, message)
