"""API: edit an epic and move it among its project's epics. Its release changes on the roadmap."""

from typing import Annotated, Literal

from django.http import Http404
from ninja import Field, Path, Router
from pydantic import BaseModel, model_validator

from sightline.api.errors import ERRORS
from sightline.api.schemas import MAX_ID, Input, LongText, Number, PriorityName, Title, optional
from sightline.backlog.epics import RELEASE_ON_ROADMAP, epic_move, epic_position, epic_update
from sightline.backlog.models import Epic
from sightline.projects.models import Membership
from sightline.projects.policy import get_project_for

router = Router(tags=["epics"])

EpicId = Annotated[int, Path(ge=1, le=MAX_ID)]


class EpicOut(BaseModel):
    id: int
    project: str = Field(description="The project's key")
    title: str
    description: str
    business_value: str
    priority: PriorityName
    colour: str
    release_id: int | None = Field(description="Its release (changed on the roadmap, not here)")
    rank: int = Field(description="Order among the project's epics (lower comes first)")
    position: int = Field(description="Its place among the project's epics, from 1")


class EpicPatch(Input):
    """Only the fields sent are changed. The release is not among them: it changes on the roadmap
    (`POST /roadmap/epics/{id}/release`, or a change request where the project has a client PO)."""

    title: Title = optional()
    description: LongText = optional()
    business_value: LongText = optional()
    priority: PriorityName = optional()

    @model_validator(mode="before")
    @classmethod
    def no_release(cls, data):
        if isinstance(data, dict) and {"release", "release_id"} & set(data):
            raise ValueError(RELEASE_ON_ROADMAP)
        return data


class EpicMoveIn(Input):
    """Say where the epic goes: exactly one of ``direction`` (one step up or down, or to the top or the
    bottom) or ``position`` (1-based; past the end means last)."""

    direction: Literal["up", "down", "top", "bottom"] | None = None
    position: Number | None = None

    @model_validator(mode="after")
    def one_target(self):
        if (self.direction is None) == (self.position is None):
            raise ValueError("Give exactly one of direction or position")
        return self


def epic_for(request, epic_id: int) -> tuple[Epic, Membership]:
    """The epic with the caller's membership; the same 404 for outsiders and for ids that do not exist."""
    epic = Epic.objects.select_related("project").filter(pk=epic_id).first()
    if epic is None:
        raise Http404("No such epic.")
    try:
        _, membership = get_project_for(request.auth, epic.project.key, "item.view")
    except Http404:
        raise Http404("No such epic.") from None
    return epic, membership


def epic_data(epic: Epic) -> dict:
    return {
        "id": epic.pk,
        "project": epic.project.key,
        "title": epic.title,
        "description": epic.description,
        "business_value": epic.business_value,
        "priority": epic.priority,
        "colour": epic.colour,
        "release_id": epic.release_id,
        "rank": epic.rank,
        "position": epic_position(epic),
    }


@router.patch(
    "/epics/{epic_id}", response={200: EpicOut, **ERRORS}, operation_id="epic_update", summary="Edit an epic"
)
def epic_edit(request, epic_id: EpicId, payload: EpicPatch):
    """Edit an epic's title, description, business value or priority (agency PO)."""
    epic, membership = epic_for(request, epic_id)
    changes = payload.model_dump(exclude_unset=True)
    epic = epic_update(actor=request.auth, membership=membership, epic=epic, changes=changes)
    return epic_data(epic)


@router.post(
    "/epics/{epic_id}/move",
    response={200: EpicOut, **ERRORS},
    operation_id="epic_move",
    summary="Move an epic among its project's epics",
)
def epic_move_endpoint(request, epic_id: EpicId, payload: EpicMoveIn):
    """Move the epic (agency PO and client PO): the order of epics is the order of features on the
    roadmap and in the release forecasts."""
    epic, membership = epic_for(request, epic_id)
    epic = epic_move(
        actor=request.auth,
        membership=membership,
        epic=epic,
        direction=payload.direction,
        position=payload.position,
    )
    return epic_data(epic)
