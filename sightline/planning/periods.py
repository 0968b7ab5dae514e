"""The forecast's periods: the project's working calendar, the sprint that is period 1, and what that
sprint has already delivered (its sampled throughput includes it). A team without closed sprints but
with at least 3 complete weeks of accepted work is forecast in weeks instead (``weekly_periods``).

The active sprint is period 1 only while it lasts. Once it has run past its end date, its time is
behind us: the periods start today (or on the next working day) and each is a whole sprint to come,
while what the overrunning sprint delivered stays delivered — out of the releases' remaining scope,
not charged again to the sprints ahead."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Sum

from sightline.backlog.models import Item, Status
from sightline.forecast.calendar import SprintCalendar, WorkCalendar
from sightline.forecast.engine import MIN_HISTORY
from sightline.planning.selectors import estimate_field, project_sprints
from sightline.projects.models import Project
from sightline.sprints.models import Sprint, SprintState


def work_calendar(project: Project) -> WorkCalendar:
    """The project's working weekdays and holidays; malformed entries are ignored, no working day at all
    falls back to Monday to Friday."""
    days = frozenset(d for d in (project.working_days or []) if isinstance(d, int) and 0 <= d <= 6)
    holidays = set()
    for text in project.holidays or []:
        try:
            holidays.add(date.fromisoformat(str(text)))
        except ValueError:
            continue
    return WorkCalendar(working_days=days or frozenset(range(5)), holidays=frozenset(holidays))


def current_sprint(sprints: list[Sprint], *, today: date) -> Sprint | None:
    """The active sprint if it has not run past its end date: period 1 of the forecast."""
    active = next((s for s in sprints if s.state == SprintState.ACTIVE), None)
    return active if active is not None and active.end_date >= today else None


def sprint_calendar(project: Project, *, today: date, sprints: list[Sprint] | None = None) -> SprintCalendar:
    """Forecast periods of the project's sprint length. Period 1 is the active sprint if there is one
    and it has not run past its end date; an overrunning sprint's periods start today, or on the next
    working day. Without an active sprint, period 1 is the next planned sprint (if it starts today or
    later), else a sprint starting the day after the last one ended, or today if that is past. Never
    before the project's start date."""
    sprints = project_sprints(project) if sprints is None else sprints
    work = work_calendar(project)
    current = current_sprint(sprints, today=today)
    if current is not None:
        first = current.start_date
    elif any(s.state == SprintState.ACTIVE for s in sprints):  # run past its end date
        first = work.first_working_day_on_or_after(today)
    else:
        upcoming = sorted(
            s.start_date for s in sprints if s.state == SprintState.PLANNED and s.start_date >= today
        )
        if upcoming:
            first = upcoming[0]
        else:
            ends = [s.end_date for s in sprints if s.state == SprintState.CLOSED]
            first = max(today, max(ends) + timedelta(days=1)) if ends else today
    if project.start_date is not None and first < project.start_date:
        first = project.start_date
    return SprintCalendar(first_start=first, length_days=7 * (project.sprint_length_weeks or 2), work=work)


def done_in_current_period(
    project: Project, *, unit: str, today: date, sprints: list[Sprint] | None = None
) -> float:
    """Points (hours on an hours project) already accepted in the active sprint, while it is period 1.

    Period 1 of the forecast is the active sprint, and each trial draws a whole sprint's throughput for
    it; what that sprint has already delivered is part of that throughput, so the forecast counts it
    before the releases' remaining work (otherwise a half-finished sprint would be counted twice).
    A sprint past its end date is no period of the forecast: nothing is counted for it."""
    sprints = project_sprints(project) if sprints is None else sprints
    active = current_sprint(sprints, today=today)
    if active is None:
        return 0.0
    done = Item.objects.filter(sprint=active, status=Status.ACCEPTED).aggregate(
        total=Sum(estimate_field(unit))
    )["total"]
    return float(done or 0)


@dataclass(frozen=True)
class WeeklyPeriods:
    """Forecast periods of one week for a team without sprints, with its history of whole weeks."""

    calendar: SprintCalendar  # 7-day periods from a Monday
    history: tuple[float, ...]  # accepted per complete week, oldest first, weeks without any as 0
    done: float  # accepted so far in period 1, when period 1 is the week under way


def weekly_periods(project: Project, *, today: date, per_week: dict[date, float]) -> WeeklyPeriods | None:
    """Weeks as the forecast's periods, from ``per_week`` ({Monday: amount accepted}, see
    ``selectors.accepted_per_week``); None when fewer than 3 complete weeks lie between the week of the
    first acceptance and now.

    A week is complete once its last working day is before today. Period 1 is the week under way (what
    it has accepted so far counted first, as for an active sprint), or the next one once this week's
    working days are over. Never before the project's start date."""
    if not per_week:
        return None
    work = work_calendar(project)
    monday = today - timedelta(days=today.weekday())
    week_over = work.last_working_day_on_or_before(monday + timedelta(days=6)) < today
    first = monday + timedelta(days=7) if week_over else monday
    oldest = min(per_week)
    complete = [oldest + timedelta(days=7 * n) for n in range(max(0, (first - oldest).days // 7))]
    if len(complete) < MIN_HISTORY:
        return None
    done = 0.0 if week_over else per_week.get(monday, 0.0)
    if project.start_date is not None and first < project.start_date:
        first, done = project.start_date, 0.0
    return WeeklyPeriods(
        calendar=SprintCalendar(first_start=first, length_days=7, work=work),
        history=tuple(per_week.get(week, 0.0) for week in complete),
        done=done,
    )
