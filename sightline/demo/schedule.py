"""When things happen in the demo engagement, apart from the sprint scripts: the working days of a sprint,
when the current sprint began, when the backlog is groomed, and the bank holidays the forecast leaves
out."""

from datetime import date, timedelta

from sightline.demo.content import ItemSpec, ProjectSpec

WORKING_DAYS_PER_SPRINT = 10


def working_day(start: date, n: int) -> date:
    """The ``n``-th working day (0-based) of a sprint starting on a Monday."""
    return start + timedelta(days=n + 2 * (n // 5))


def active_sprint_start(today: date) -> date:
    """The Monday the current two-week sprint began: today lies within its ten working days."""
    monday = today - timedelta(days=today.weekday())
    return monday - timedelta(days=7) if today.weekday() < 5 else monday


def christmas_holidays(start: date, last_year: int) -> list[str]:
    """England's Christmas Day, Boxing Day and New Year's Day bank holidays from ``start`` to the end of
    ``last_year`` (moved to the next free weekday when they fall on a weekend), as ISO dates."""
    days: list[date] = []
    for year in range(start.year, last_year + 1):
        for day in (date(year, 1, 1), date(year, 12, 25), date(year, 12, 26)):
            while day.weekday() >= 5 or day in days:
                day += timedelta(days=1)
            days.append(day)
    return [day.isoformat() for day in sorted(days) if day >= start]


def grooming_plan(spec: ProjectSpec) -> dict[int, list[ItemSpec]]:
    """When each kick-off item is groomed (made ready), by sprint number (0 is kick-off week): two
    sprints before it is first planned, and the rest of the backlog a few at a time, in backlog order,
    at the refinements of the closed sprints; ideas (drafts) stay drafts."""
    sprints = [*spec.closed_sprints, spec.active_sprint, *([spec.next_sprint] if spec.next_sprint else [])]
    first_planned: dict[str, int] = {}
    for number, sprint in enumerate(sprints, start=1):
        for slug, _outcome in sprint.items:
            first_planned.setdefault(slug, number)
    unplanned = [item for item in spec.items if not item.draft and item.slug not in first_planned]
    plan: dict[int, list[ItemSpec]] = {}
    for item in spec.items:
        if item.draft:
            continue
        if item.slug in first_planned:
            when = max(0, first_planned[item.slug] - 2)
        else:
            when = 1 + unplanned.index(item) * len(spec.closed_sprints) // len(unplanned)
        plan.setdefault(when, []).append(item)
    return plan
