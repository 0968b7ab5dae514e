"""Writes to a project's own settings."""

from datetime import date
from decimal import Decimal

from django.db import transaction

from sightline.audit.services import audit_record, diff, snapshot
from sightline.lib.errors import InvalidInput
from sightline.projects.models import EstimateUnit, Membership, Project
from sightline.projects.policy import require
from sightline.roadmap.models import Release
from sightline.sprints.models import Sprint
from sightline.sprints.services import sprints_recompute_capacity

PLANNING_FIELDS = (
    "estimate_unit",
    "focus_factor",
    "start_date",
    "holidays",
    "forecast_velocity_low",
    "forecast_velocity_high",
)
FOCUS_MIN, FOCUS_MAX = Decimal("0.10"), Decimal("1.00")


def check_planning_settings(values: dict) -> None:
    """The rules of the planning settings, whoever sends them (form, API, command)."""
    if values["estimate_unit"] not in EstimateUnit.values:
        raise InvalidInput(
            f"Estimate unit must be one of: {', '.join(EstimateUnit.values)}.", field="estimate_unit"
        )
    focus = values["focus_factor"]
    if focus is None or not FOCUS_MIN <= Decimal(focus) <= FOCUS_MAX:
        raise InvalidInput("Focus factor must be between 0.10 and 1.00, e.g. 0.80.", field="focus_factor")
    for number, day in enumerate(values["holidays"], start=1):
        try:
            date.fromisoformat(day)
        except (TypeError, ValueError):
            raise InvalidInput(
                f"Holiday {number} ({day!r}) is not a date like 2026-12-25.", field="holidays"
            ) from None
    low, high = values["forecast_velocity_low"], values["forecast_velocity_high"]
    if (low is None) != (high is None):
        missing = "forecast_velocity_high" if high is None else "forecast_velocity_low"
        raise InvalidInput("Give both ends of the velocity range, or neither.", field=missing)
    if low is not None:
        if low <= 0:
            raise InvalidInput("The low end of the range must be more than 0.", field="forecast_velocity_low")
        if low > high:
            raise InvalidInput(
                "The low end of the range must not be above the high end.", field="forecast_velocity_high"
            )


def check_start_date(project: Project, start: date) -> None:
    """The engagement cannot start after one of its sprints starts or a release's target date: no plan
    may begin before the engagement does."""
    sprint = Sprint.objects.filter(project=project, start_date__lt=start).order_by("start_date").first()
    if sprint is not None:
        raise InvalidInput(
            f"The engagement cannot start on {start:%-d %b %Y}: Sprint {sprint.number} starts before it, "
            f"on {sprint.start_date:%-d %b %Y}. Choose {sprint.start_date:%-d %b %Y} or earlier.",
            field="start_date",
        )
    release = Release.objects.filter(project=project, target_date__lt=start).order_by("target_date").first()
    if release is not None:
        raise InvalidInput(
            f"The engagement cannot start on {start:%-d %b %Y}: the release “{release.name}” targets "
            f"{release.target_date:%-d %b %Y}, before it. Choose {release.target_date:%-d %b %Y} or earlier.",
            field="start_date",
        )


@transaction.atomic
def project_planning_update(*, actor, membership: Membership, **values) -> Project:
    """Change the project's planning settings (estimate unit, focus factor, start date, holidays and the
    fallback velocity range). A new focus factor resets the capacity of open sprints with availability."""
    require(membership, "project.manage")
    project = Project.objects.select_for_update().get(pk=membership.project_id)
    values = {name: values.get(name, getattr(project, name)) for name in PLANNING_FIELDS}
    values["holidays"] = sorted(set(values["holidays"] or []))
    check_planning_settings(values)
    if values["start_date"] is not None and values["start_date"] != project.start_date:
        check_start_date(project, values["start_date"])
    before = snapshot(project, PLANNING_FIELDS)
    for name, value in values.items():
        setattr(project, name, value)
    changes = diff(before, snapshot(project, PLANNING_FIELDS))
    if not changes:
        return project
    project.save(update_fields=list(changes))
    audit_record(
        actor=actor, project=project, action="project.settings_updated", target=project, changes=changes
    )
    if "focus_factor" in changes:
        project.refresh_from_db(fields=["focus_factor"])
        sprints_recompute_capacity(actor=actor, project=project)
    membership.project = project
    return project
