"""The forecast's periods: the project's working calendar, the sprint that is period 1, and what that
sprint has already delivered (its sampled throughput includes it)."""

from datetime import date, timedelta

from django.db.models import Sum

from sightline.backlog.models import Item, Status
from sightline.forecast.calendar import SprintCalendar, WorkCalendar
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


def sprint_calendar(project: Project, *, today: date, sprints: list[Sprint] | None = None) -> SprintCalendar:
    """Forecast periods of the project's sprint length. Period 1 is the active sprint if there is one;
    otherwise the next planned sprint (if it starts today or later), else a sprint starting the day after
    the last one ended, or today if that is past. Never before the project's start date."""
    sprints = project_sprints(project) if sprints is None else sprints
    active = next((s for s in sprints if s.state == SprintState.ACTIVE), None)
    if active is not None:
        first = active.start_date
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
    return SprintCalendar(
        first_start=first, length_days=7 * (project.sprint_length_weeks or 2), work=work_calendar(project)
    )


def done_in_current_period(project: Project, *, unit: str, sprints: list[Sprint] | None = None) -> float:
    """Points (hours on an hours project) already accepted in the active sprint.

    Period 1 of the forecast is the active sprint, and each trial draws a whole sprint's throughput for
    it; what that sprint has already delivered is part of that throughput, so the forecast counts it
    before the releases' remaining work (otherwise a half-finished sprint would be counted twice)."""
    sprints = project_sprints(project) if sprints is None else sprints
    active = next((s for s in sprints if s.state == SprintState.ACTIVE), None)
    if active is None:
        return 0.0
    done = Item.objects.filter(sprint=active, status=Status.ACCEPTED).aggregate(
        total=Sum(estimate_field(unit))
    )["total"]
    return float(done or 0)
