"""Release forecasts: the selectors' data turned into the engine's inputs, and its answers back into
dates, probabilities and histograms per release. Nothing here writes: a what-if is computed, not saved.

Bad parameters (trials, velocity change, epics of a what-if) raise ``InvalidInput`` naming the field.
Data that cannot be forecast yet (fewer than 3 closed sprints and no entered range, a history of
zeros) is not an error of the caller: the result says why in ``problem`` and carries no forecast.
"""

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from sightline.forecast.calendar import SprintCalendar
from sightline.forecast.engine import (
    DEFAULT_TRIALS,
    MAX_TRIALS,
    Forecast,
    ForecastError,
    ReleaseForecast,
    ReleaseInput,
    VelocityStats,
    forecast_releases,
    velocity_stats,
)
from sightline.lib.errors import InvalidInput
from sightline.planning.flow import Flow, cumulative_flow
from sightline.planning.periods import done_in_current_period, sprint_calendar, weekly_periods
from sightline.planning.selectors import (
    VELOCITY_SPRINTS,
    FirstTimeAcceptance,
    ReleaseScope,
    Scopes,
    VelocityHistory,
    accepted_per_week,
    default_seed,
    first_time_acceptance,
    project_sprints,
    project_today,
    release_scopes,
    velocity_history,
)
from sightline.projects.models import Project
from sightline.roadmap.models import Release

MIN_HISTORY = 3
VELOCITY_CHANGE_MIN, VELOCITY_CHANGE_MAX = -90, 300  # what-if, in percent
MAX_SEED = 2**63 - 1


@dataclass(frozen=True)
class ReleasePlan:
    """One release: its scope as it stands (or as a what-if has it) and its forecast."""

    scope: ReleaseScope
    forecast: ReleaseForecast | None
    today: date

    @property
    def release(self) -> Release:
        return self.scope.release

    @property
    def has_epics(self) -> bool:
        return bool(self.scope.epics)

    @property
    def is_done(self) -> bool:
        return self.has_epics and self.scope.remaining_count == 0

    @property
    def message(self) -> str:
        """Why the forecast's figures are missing, in words; empty when there is nothing to explain."""
        if not self.has_epics:
            return (
                "No epics in this release yet: there is nothing to forecast, so no dates and no chance "
                "of meeting the target date. Place epics in it on the roadmap."
            )
        return ""

    @property
    def chance_on_target(self) -> str:
        """ "62 % chance by 15 Mar": the probability of meeting the target date, in words."""
        target = self.release.target_date
        if target is None or self.forecast is None or self.forecast.probability_on_target is None:
            return ""
        when = f"{target.day} {target:%b}" + (f" {target.year}" if target.year != self.today.year else "")
        return f"{percent(self.forecast.probability_on_target)} chance by {when}"


def percent(share: float) -> str:
    """A share as a whole percentage that never claims certainty it does not have."""
    if 0 < share < 0.005:
        return "< 1 %"
    if 0.995 <= share < 1:
        return "> 99 %"
    return f"{round(share * 100)} %"


@dataclass(frozen=True)
class PlanForecast:
    """Every release of a project forecast in order, with what the forecast rests on."""

    project: Project
    unit: str
    today: date
    calendar: SprintCalendar
    history: VelocityHistory  # the closed sprints (none for a team forecast in weeks)
    velocity: VelocityStats  # of the periods sampled: closed sprints, or complete weeks
    scopes: Scopes
    releases: tuple[ReleasePlan, ...]
    forecast: Forecast | None  # None when no forecast could be made: see ``problem``
    problem: str = ""
    problem_field: str = ""
    velocity_factor: float = 1.0
    seed: int = 0
    trials: int = DEFAULT_TRIALS
    period: str = "sprint"  # the forecast's periods: "week" for a team without closed sprints

    def plan_for(self, release_id: int) -> ReleasePlan | None:
        return next((p for p in self.releases if p.release.pk == release_id), None)

    @property
    def fallback_range(self) -> tuple[float, float] | None:
        return fallback_range(self.project)

    @property
    def needs_range(self) -> bool:
        """No forecast because there are too few closed sprints and no entered range."""
        return self.problem_field == "forecast_velocity_low"


def fallback_range(project: Project) -> tuple[float, float] | None:
    low, high = project.forecast_velocity_low, project.forecast_velocity_high
    if low is None or high is None:
        return None
    return float(low), float(high)


def check_trials(trials: int) -> int:
    if isinstance(trials, bool) or not isinstance(trials, int) or not 1 <= trials <= MAX_TRIALS:
        raise InvalidInput(f"Trials must be a whole number from 1 to {MAX_TRIALS:,}.", field="trials")
    return trials


def check_seed(seed: int | None, project: Project) -> int:
    if seed is None:
        return default_seed(project)
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
        raise InvalidInput("The seed must be a whole number from 0 to 2^63 - 1.", field="seed")
    return seed


def release_forecasts(
    project: Project,
    *,
    trials: int = DEFAULT_TRIALS,
    seed: int | None = None,
    velocity_factor: float = 1.0,
    epics_override: dict[int, list[int]] | None = None,
    today: date | None = None,
) -> PlanForecast:
    """Forecast every release of ``project`` in timeline order, a later release starting where the
    earlier ones end. ``seed`` None is the project's fixed seed; ``epics_override`` ({release id: epic
    ids}) and ``velocity_factor`` (1.5 = +50 %) make a what-if. Writes nothing."""
    trials = check_trials(trials)
    seed = check_seed(seed, project)
    if not velocity_factor > 0:
        raise InvalidInput("The velocity must stay above zero.", field="velocity")
    today = today or project_today(project)
    sprints = project_sprints(project)
    history = velocity_history(project, sprints=sprints)
    periods = _periods(project, today=today, sprints=sprints, history=history)
    scopes = release_scopes(project)
    releases = scopes.with_epics(epics_override)
    base: dict[str, Any] = {
        "project": project,
        "unit": history.unit,
        "today": today,
        "calendar": periods.calendar,
        "history": history,
        "velocity": velocity_stats(periods.history),
        "scopes": scopes,
        "velocity_factor": velocity_factor,
        "seed": seed,
        "trials": trials,
        "period": periods.period,
    }
    problem, problem_field = _unforecastable(project, periods.history, history.unit)
    if problem:
        return _without_forecast(base, releases, today, problem, problem_field)
    inputs = [
        ReleaseInput(name=s.release.name, remaining=s.remaining, target_date=s.release.target_date)
        for s in releases
    ]
    # Period 1's draws are whole periods (the active sprint, or the week under way), of which this much
    # is already delivered: count it first, as if it were a release of its own, so it is not forecast
    # as still to come. The what-if factor scales the throughput still to come, not what was delivered
    # at the team's real pace: the delivered work takes ``done`` of a period's draw, which is
    # ``done × factor`` once the draws are scaled (with −50 %, 5 delivered points stand for 5 points of
    # the sprint, not 10).
    done = periods.done
    offset = (
        [ReleaseInput(name=f"Delivered so far this {periods.period}", remaining=done * velocity_factor)]
        if done
        else []
    )
    try:
        forecast = forecast_releases(
            offset + inputs,
            history=periods.history,
            calendar=periods.calendar,
            fallback_range=fallback_range(project),
            trials=trials,
            seed=seed,
            velocity_factor=velocity_factor,
            unit=history.unit,
            period=periods.period,
        )
    except ForecastError as exc:
        return _without_forecast(base, releases, today, exc.message, exc.field or "")
    forecast = replace(forecast, releases=forecast.releases[len(offset) :])
    plans = tuple(
        # A release without epics has nothing left, which the engine reads as done; it is not done, it
        # is not planned yet, so it has no chance of meeting its target date to report.
        ReleasePlan(scope=s, forecast=f if s.epics else replace(f, probability_on_target=None), today=today)
        for s, f in zip(releases, forecast.releases, strict=True)
    )
    return PlanForecast(**base, releases=plans, forecast=forecast)


@dataclass(frozen=True)
class _Periods:
    period: str  # "sprint" or "week"
    calendar: SprintCalendar
    history: tuple[float, ...]  # throughput per closed period, oldest first
    done: float  # already delivered in period 1


def _periods(project: Project, *, today: date, sprints: list, history: VelocityHistory) -> _Periods:
    """Sprints as the forecast's periods; for a team without closed sprints but with at least 3
    complete weeks of accepted work, weeks (otherwise sprints still, with the entered range)."""
    if not history.sprints:
        weeks = weekly_periods(project, today=today, per_week=accepted_per_week(project))
        if weeks is not None:
            return _Periods("week", weeks.calendar, weeks.history, weeks.done)
    return _Periods(
        "sprint",
        sprint_calendar(project, today=today, sprints=sprints),
        history.samples,
        done_in_current_period(project, unit=history.unit, today=today, sprints=sprints),
    )


def _unforecastable(project: Project, samples: tuple[float, ...], unit: str) -> tuple[str, str]:
    if len(samples) < MIN_HISTORY and fallback_range(project) is None:
        closed = len(samples)
        sprints = f"{closed} closed sprint{'s' if closed != 1 else ''}"
        return (
            f"{project.key} has {sprints}: at least {MIN_HISTORY} are needed (or, without sprints, "
            f"{MIN_HISTORY} complete weeks of accepted work) to forecast from the team's own velocity. "
            f"Until then the agency product owner enters the lowest and highest {unit} per sprint to "
            "assume in the project settings.",
            "forecast_velocity_low",
        )
    return "", ""


def _without_forecast(base: dict, releases, today: date, problem: str, problem_field: str) -> PlanForecast:
    plans = tuple(ReleasePlan(scope=s, forecast=None, today=today) for s in releases)
    return PlanForecast(**base, releases=plans, forecast=None, problem=problem, problem_field=problem_field)


# --- What if -----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class WhatIf:
    """A change to try on one release: epics dropped from it, epics added to it, velocity up or down."""

    drop: tuple[int, ...] = ()
    add: tuple[int, ...] = ()
    velocity_change: int = 0  # percent

    @property
    def is_change(self) -> bool:
        return bool(self.drop or self.add or self.velocity_change)


@dataclass(frozen=True)
class WhatIfResult:
    current: PlanForecast
    changed: PlanForecast
    release_id: int
    change: WhatIf
    dropped: list = field(default_factory=list)  # EpicScope
    added: list = field(default_factory=list)  # EpicScope

    @property
    def before(self) -> ReleasePlan | None:
        return self.current.plan_for(self.release_id)

    @property
    def after(self) -> ReleasePlan | None:
        return self.changed.plan_for(self.release_id)

    @property
    def p85_shift_days(self) -> int | None:
        """Days the P85 date moves (negative: earlier); None when either has no P85."""
        before, after = self.before, self.after
        if not (before and after and before.forecast and after.forecast):
            return None
        if before.forecast.p85 is None or after.forecast.p85 is None:
            return None
        return (after.forecast.p85 - before.forecast.p85).days


def what_if(
    project: Project,
    release: Release,
    change: WhatIf,
    *,
    trials: int = DEFAULT_TRIALS,
    seed: int | None = None,
    current: PlanForecast | None = None,
) -> WhatIfResult:
    """The forecast of ``release`` with ``change`` applied, next to the current one, drawn from the same
    trials (same seed) so that the difference is the change's, not chance's."""
    current = current or release_forecasts(project, trials=trials, seed=seed)
    if not VELOCITY_CHANGE_MIN <= change.velocity_change <= VELOCITY_CHANGE_MAX:
        raise InvalidInput(
            f"Change the velocity by {VELOCITY_CHANGE_MIN} % to +{VELOCITY_CHANGE_MAX} %.", field="velocity"
        )
    scope = current.scopes.release(release.pk)
    if scope is None:
        raise InvalidInput(f"{project.key} has no release {release.pk}.", field="release")
    in_release = [e.id for e in scope.epics]
    unknown_drop = [i for i in change.drop if i not in in_release]
    if unknown_drop:
        raise InvalidInput("Only epics of this release can be dropped from it.", field="drop")
    unknown_add = [i for i in change.add if i not in current.scopes.epics or i in in_release]
    if unknown_add:
        raise InvalidInput(
            "Only epics of this project that are not in this release can be added.", field="add"
        )
    epic_ids = [i for i in in_release if i not in change.drop] + list(dict.fromkeys(change.add))
    changed = release_forecasts(
        project,
        trials=current.trials,
        seed=current.seed,
        velocity_factor=1 + change.velocity_change / 100,
        epics_override={release.pk: epic_ids},
        today=current.today,
    )
    return WhatIfResult(
        current=current,
        changed=changed,
        release_id=release.pk,
        change=change,
        dropped=[current.scopes.epics[i] for i in change.drop],
        added=[current.scopes.epics[i] for i in dict.fromkeys(change.add)],
    )


# --- Velocity ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class VelocityOverview:
    """The velocity page: the last closed sprints, the mean of the last 3 with its range, how often work
    is accepted the first time, and the cumulative flow of the last weeks."""

    history: VelocityHistory  # the last VELOCITY_SPRINTS closed sprints
    stats: VelocityStats
    first_time: FirstTimeAcceptance
    flow: Flow | None
    today: date


def velocity_overview(project: Project, *, today: date | None = None, flow: bool = True) -> VelocityOverview:
    today = today or project_today(project)
    history = velocity_history(project, limit=VELOCITY_SPRINTS)
    return VelocityOverview(
        history=history,
        stats=velocity_stats(history.samples),
        first_time=first_time_acceptance(project, history.sprint_numbers),
        flow=cumulative_flow(project, today=today) if flow else None,
        today=today,
    )
