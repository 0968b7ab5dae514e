"""API: a project's sprints — list, create, read, start and close (with velocity and rollover)."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from django.db.models import Prefetch
from django.http import Http404
from ninja import Field, Path, Router, Status
from pydantic import BaseModel

from sightline.api.access import project_for
from sightline.api.errors import ERRORS
from sightline.api.schemas import MAX_ID, Input, tenths, text
from sightline.backlog.api.schemas import ItemKey
from sightline.backlog.models import Item
from sightline.lib.errors import InvalidInput
from sightline.projects.models import Membership
from sightline.projects.policy import get_project_for
from sightline.sprints.models import Sprint, SprintState
from sightline.sprints.services import (
    next_sprint_defaults,
    sprint_close,
    sprint_create,
    sprint_plan_item,
    sprint_start,
)

router = Router(tags=["sprints"])

SprintDate = Annotated[date, Field(ge=date(2000, 1, 1), le=date(2100, 12, 31))]
StateName = Literal[tuple(SprintState.values)]  # type: ignore[valid-type]


class SprintIn(Input):
    """Dates default to the days after the last sprint, with the project's sprint length."""

    start_date: SprintDate | None = None
    end_date: SprintDate | None = None
    goal: text(max_length=300) = ""
    capacity_hours: tenths("999999.9") = Decimal(0)


class PlanIn(Input):
    """The item to pull into the sprint: a ready item (it becomes planned), or unfinished work carried
    over without a sprint (it keeps its state)."""

    item: ItemKey = Field(description="The item's key")
    scope_reason: text(max_length=1000) = Field(
        "", description="Required to add anything but a critical bug to an active sprint"
    )


class SprintOut(BaseModel):
    id: int
    number: int
    project: str = Field(description="The project's key")
    goal: str
    start_date: date
    end_date: date
    capacity_hours: float
    state: StateName
    started_at: datetime | None
    closed_at: datetime | None
    items: list[str] = Field(description="Keys of the sprint's items in backlog order")
    velocity_points: float | None = Field(description="Accepted points, once closed")
    accepted_count: int | None = Field(description="Accepted items, once closed")
    rolled_over: list[str] = Field(description="Keys of the items not accepted at close")
    rolled_to: int | None = Field(description="The sprint they rolled into (null: the backlog)")


def _with_items(sprints):
    return sprints.select_related("project", "rolled_to").prefetch_related(
        Prefetch("items", queryset=Item.objects.order_by("rank", "id").only("id", "key", "sprint_id", "rank"))
    )


def sprint_data(sprint: Sprint) -> dict:
    return {
        "id": sprint.id,
        "number": sprint.number,
        "project": sprint.project.key,
        "goal": sprint.goal,
        "start_date": sprint.start_date,
        "end_date": sprint.end_date,
        "capacity_hours": float(sprint.capacity_hours),
        "state": sprint.state,
        "started_at": sprint.started_at,
        "closed_at": sprint.closed_at,
        "items": [item.key for item in sprint.items.all()],
        "velocity_points": float(sprint.velocity_points) if sprint.velocity_points is not None else None,
        "accepted_count": sprint.accepted_count,
        "rolled_over": sprint.rolled_over,
        "rolled_to": sprint.rolled_to.number if sprint.rolled_to_id else None,
    }


def _fresh(sprint: Sprint) -> dict:
    return sprint_data(_with_items(Sprint.objects.filter(pk=sprint.pk)).get())


def _sprint_for(request, sprint_id: int) -> tuple[Sprint, Membership]:
    """The sprint with the caller's membership; the same 404 for outsiders and for ids that do not exist."""
    sprint = Sprint.objects.select_related("project").filter(pk=sprint_id).first()
    if sprint is None:
        raise Http404("No such sprint.")
    try:
        _, membership = get_project_for(request.auth, sprint.project.key, "sprint.view")
    except Http404:
        raise Http404("No such sprint.") from None
    return sprint, membership


SprintId = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.get(
    "/projects/{key}/sprints",
    response={200: list[SprintOut], **ERRORS},
    operation_id="sprint_list",
    summary="List a project's sprints",
)
def sprint_list(request, key: str):
    """The project's sprints by number."""
    project, _ = project_for(request, key, "sprint.view")
    return [sprint_data(s) for s in _with_items(Sprint.objects.filter(project=project).order_by("number"))]


@router.post(
    "/projects/{key}/sprints",
    response={201: SprintOut, **ERRORS},
    operation_id="sprint_create",
    summary="Create a sprint",
)
def sprint_create_endpoint(request, key: str, payload: SprintIn):
    """Create the next sprint (agency PO)."""
    project, membership = project_for(request, key, "sprint.view")
    defaults = next_sprint_defaults(project)
    start = payload.start_date or defaults["start_date"]
    end = payload.end_date or (start + (defaults["end_date"] - defaults["start_date"]))
    sprint = sprint_create(
        actor=request.auth,
        membership=membership,
        start_date=start,
        end_date=end,
        goal=payload.goal,
        capacity_hours=payload.capacity_hours,
    )
    return Status(201, _fresh(sprint))


@router.get(
    "/sprints/{sprint_id}",
    response={200: SprintOut, **ERRORS},
    operation_id="sprint_detail",
    summary="Read a sprint",
)
def sprint_detail(request, sprint_id: SprintId):
    sprint, _ = _sprint_for(request, sprint_id)
    return _fresh(sprint)


@router.post(
    "/sprints/{sprint_id}/plan",
    response={200: SprintOut, **ERRORS},
    operation_id="sprint_plan_item",
    summary="Pull an item into a sprint",
)
def sprint_plan_endpoint(request, sprint_id: SprintId, payload: PlanIn):
    """Pull a ready item, or unfinished work carried over without a sprint, into the sprint (agency PO).
    An active sprint takes it only with a `scope_reason`, unless it is a critical bug."""
    sprint, membership = _sprint_for(request, sprint_id)
    item = Item.objects.filter(project=sprint.project, key=payload.item).first()
    if item is None:
        raise InvalidInput(f"{sprint.project.key} has no item {payload.item}.", field="item")
    sprint_plan_item(
        actor=request.auth,
        membership=membership,
        sprint=sprint,
        item=item,
        scope_reason=payload.scope_reason,
    )
    return _fresh(sprint)


@router.post(
    "/sprints/{sprint_id}/start",
    response={200: SprintOut, **ERRORS},
    operation_id="sprint_start",
    summary="Start a sprint",
)
def sprint_start_endpoint(request, sprint_id: SprintId):
    """Start a planned sprint (agency PO); only one sprint is active at a time."""
    sprint, membership = _sprint_for(request, sprint_id)
    return _fresh(sprint_start(actor=request.auth, membership=membership, sprint=sprint))


@router.post(
    "/sprints/{sprint_id}/close",
    response={200: SprintOut, **ERRORS},
    operation_id="sprint_close",
    summary="Close a sprint",
)
def sprint_close_endpoint(request, sprint_id: SprintId):
    """Close the active sprint (agency PO): records velocity (accepted points) and rolls every item not
    accepted into the next planned sprint, or back to the backlog."""
    sprint, membership = _sprint_for(request, sprint_id)
    return _fresh(sprint_close(actor=request.auth, membership=membership, sprint=sprint))
