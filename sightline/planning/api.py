"""API: a release's forecast and a project's velocity.

A forecast is computed on each call (nothing is stored); the same ``seed`` gives the same answer as
long as the data does not change, and leaving it out uses the project's fixed seed, the one the pages
use. A project with fewer than 3 closed sprints and no entered velocity range cannot be forecast: 400,
naming the setting (``forecast_velocity_low``) the agency PO fills in.
"""

import datetime as dt
from datetime import date
from typing import Annotated

from django.http import Http404
from ninja import Field, Path, Query, Router
from pydantic import BaseModel

from sightline.api.access import project_for
from sightline.api.errors import ERRORS
from sightline.api.schemas import MAX_ID, Input
from sightline.forecast.engine import DEFAULT_TRIALS, MAX_TRIALS
from sightline.lib.errors import DomainError
from sightline.planning.services import (
    MAX_SEED,
    PlanForecast,
    ReleasePlan,
    release_forecasts,
    velocity_overview,
)
from sightline.projects.policy import get_project_for
from sightline.roadmap.models import Release

router = Router(tags=["planning"])

ReleaseId = Annotated[int, Path(ge=1, le=MAX_ID)]


# --- schemas -------------------------------------------------------------------------------------
class ForecastQuery(Input):
    trials: int = Field(DEFAULT_TRIALS, ge=1, le=MAX_TRIALS, description="Simulated futures (1 to 200 000)")
    seed: int | None = Field(
        None, ge=0, le=MAX_SEED, description="Makes the answer reproducible; default: the project's own"
    )


class VelocityOut(BaseModel):
    mean: float | None = Field(description="Mean of the last 3 closed sprints (or of all, if fewer)")
    last: float | None = Field(description="The last closed sprint's velocity")
    samples: list[float] = Field(
        description="Velocity per closed sprint, oldest first; per complete week for a team forecast in "
        "weeks (no closed sprint yet)"
    )


class HistogramBar(BaseModel):
    date: dt.date = Field(description="The last working day of a sprint (or week)")
    count: int = Field(description="Simulated futures finishing in that sprint")


class ReleaseForecastOut(BaseModel):
    remaining_points: float = Field(
        description="Scope left (not accepted) in the project's unit (hours when it estimates in hours "
        "only); unestimated items count as the project's median estimate"
    )
    unestimated_items: int = Field(description="Items left without an estimate")
    velocity: VelocityOut
    linear_date: date | None = Field(
        description="The end of the sprint (or week) reached at the mean velocity"
    )
    p50: date | None = Field(description="Done by this date in half of the simulated futures")
    p85: date | None
    p95: date | None
    probability_on_target: float | None = Field(
        description="Share of simulated futures done by the target date (0 to 1); null without a target "
        "date or for a release with no epics yet"
    )
    trials: int
    histogram: list[HistogramBar] = Field(description="Finishing sprints (or weeks), earliest first")
    low_confidence: bool = Field(
        description="Fewer than 3 closed sprints: the entered velocity range was sampled instead"
    )
    assumption: str = Field(
        description="What the forecast rests on, e.g. “Sampled from 8 closed sprints”, or for a team "
        "without sprints “Sampled from the points accepted per week in 6 weeks”"
    )
    message: str | None = Field(
        description="Why figures are missing, e.g. a release with no epics yet (no dates and no "
        "probability_on_target); null when there is nothing to explain"
    )


class SprintVelocityOut(BaseModel):
    number: int
    start_date: date
    end_date: date
    velocity: float = Field(description="Accepted points (or hours) of the sprint")
    accepted_items: int


class ProjectVelocityOut(BaseModel):
    project: str
    unit: str = Field(description='"points", or "hours" when the project estimates in hours only')
    sprints: list[SprintVelocityOut] = Field(description="The last 12 closed sprints, oldest first")
    mean: float | None = Field(description="Mean of the last 3")
    low: float | None = Field(description="Lowest of the last 3")
    high: float | None = Field(description="Highest of the last 3")
    accepted_first_time: float | None = Field(
        description="Share of the items accepted in those sprints that were never rejected (0 to 1)"
    )


# --- data ----------------------------------------------------------------------------------------
def forecast_data(plan: ReleasePlan, plans: PlanForecast) -> dict:
    """The forecast of one release in the API's shape (also the CLI's --json)."""
    forecast = plan.forecast
    velocity = plans.velocity
    return {
        "remaining_points": round(plan.scope.remaining, 2),
        "unestimated_items": len(plan.scope.unestimated),
        "velocity": {"mean": velocity.mean, "last": velocity.last, "samples": list(velocity.samples)},
        "linear_date": forecast.linear_date if forecast else None,
        "p50": forecast.p50 if forecast else None,
        "p85": forecast.p85 if forecast else None,
        "p95": forecast.p95 if forecast else None,
        "probability_on_target": forecast.probability_on_target if forecast else None,
        "trials": plans.trials,
        "histogram": [
            {"date": day, "count": count} for day, count in (forecast.histogram if forecast else ())
        ],
        "low_confidence": bool(plans.forecast and plans.forecast.low_confidence),
        "assumption": plans.forecast.assumption if plans.forecast else "",
        "message": plan.message or None,
    }


def require_forecast(plans: PlanForecast) -> None:
    """A forecast that could not be made is refused with the reason (400), naming the setting."""
    if plans.forecast is None:
        raise DomainError(plans.problem, field=plans.problem_field or None)


# --- routes --------------------------------------------------------------------------------------
@router.get(
    "/releases/{release_id}/forecast",
    response={200: ReleaseForecastOut, **ERRORS},
    operation_id="release_forecast",
    summary="Forecast a release",
)
def release_forecast(request, release_id: ReleaseId, params: Query[ForecastQuery]):
    """Remaining scope, the straight-line date at the mean velocity, and P50/P85/P95 dates from a Monte
    Carlo simulation of the team's past sprints; the releases before it in the roadmap come first."""
    release = Release.objects.select_related("project").filter(pk=release_id).first()
    if release is None:
        raise Http404("No such release.")
    try:
        get_project_for(request.auth, release.project.key, "roadmap.view")
    except Http404:
        raise Http404("No such release.") from None
    plans = release_forecasts(release.project, trials=params.trials, seed=params.seed)
    require_forecast(plans)
    return forecast_data(plans.plan_for(release.pk), plans)


@router.get(
    "/projects/{key}/velocity",
    response={200: ProjectVelocityOut, **ERRORS},
    operation_id="project_velocity",
    summary="Read a project's velocity",
)
def project_velocity(request, key: str):
    """Accepted points (or hours) and items per closed sprint, the mean of the last 3 with its range,
    and how often work is accepted the first time."""
    project, _ = project_for(request, key, "sprint.view")
    overview = velocity_overview(project, flow=False)
    stats = overview.stats
    return {
        "project": project.key,
        "unit": overview.history.unit,
        "sprints": [
            {
                "number": s.number,
                "start_date": s.start_date,
                "end_date": s.end_date,
                "velocity": s.throughput,
                "accepted_items": s.accepted_items,
            }
            for s in overview.history.sprints
        ],
        "mean": stats.mean,
        "low": stats.low,
        "high": stats.high,
        "accepted_first_time": overview.first_time.rate,
    }
