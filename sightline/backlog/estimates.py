"""How a project estimates its items: in points, in hours, or both (``Project.estimate_unit``).

One place says which estimate fields a unit uses, what the Definition of Ready asks for, and which
estimate values are acceptable; the forms, services, API and pages all ask here.
"""

from decimal import Decimal

from sightline.lib.errors import InvalidInput
from sightline.projects.models import EstimateUnit

FIELD_LABELS = {"points": "Points", "estimate_hours": "Hours"}

UNIT_FIELDS: dict[str, tuple[str, ...]] = {
    EstimateUnit.POINTS: ("points",),
    EstimateUnit.HOURS: ("estimate_hours",),
    EstimateUnit.BOTH: ("points", "estimate_hours"),
}

READY_NEEDS = {
    EstimateUnit.POINTS: "an estimate in points",
    EstimateUnit.HOURS: "an estimate in hours",
    EstimateUnit.BOTH: "an estimate (points or hours)",
}


def estimate_fields(unit: str) -> tuple[str, ...]:
    """The item fields a project with ``unit`` estimates in (unknown units count as both)."""
    return UNIT_FIELDS.get(unit, UNIT_FIELDS[EstimateUnit.BOTH])


def has_estimate(item, unit: str) -> bool:
    """Whether ``item`` carries an estimate in the project's unit (either one for ``both``)."""
    return any(getattr(item, field) is not None for field in estimate_fields(unit))


def ready_need(unit: str) -> str:
    return READY_NEEDS.get(unit, READY_NEEDS[EstimateUnit.BOTH])


def check_estimate(value, field: str, unit: str = EstimateUnit.BOTH) -> None:
    """Refuse an estimate of zero or less, and one in a field the project's unit does not use."""
    if value is None:
        return
    label = FIELD_LABELS.get(field, field)
    if field not in estimate_fields(unit):
        used = " and ".join(FIELD_LABELS[f].lower() for f in estimate_fields(unit))
        raise InvalidInput(
            f"{label}: this project estimates in {used} only; leave {label.lower()} empty.", field=field
        )
    if Decimal(value) <= 0:
        raise InvalidInput(
            f"{label}: an estimate must be more than 0 (leave it empty while the item is not estimated).",
            field=field,
        )
