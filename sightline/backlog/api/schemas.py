"""Request and response schemas of the items API. Inputs are bounded (see ``sightline.api.schemas``);
outputs are plain pydantic models validated from dicts, which keeps long pages fast."""

from datetime import datetime
from typing import Annotated

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from ninja import Field
from pydantic import AfterValidator, BaseModel, model_validator

from sightline.api.schemas import (
    Criteria,
    Email,
    Hours,
    Id,
    Input,
    ItemTypeName,
    Labels,
    LongText,
    Note,
    Number,
    Points,
    PriorityName,
    StatusName,
    Title,
    optional,
    text,
)
from sightline.backlog.transitions import MIN_REJECTION_REASON

MAX_PAGE_SIZE = 500


class EpicRef(BaseModel):
    id: int
    title: str


class CriterionOut(BaseModel):
    id: int
    position: int
    text: str
    met: bool


class ItemOut(BaseModel):
    id: int
    key: str
    project: str = Field(description="The project's key")
    type: ItemTypeName
    title: str
    user_story: str
    description: str = Field(description="Markdown")
    priority: PriorityName
    status: StatusName
    rank: int = Field(description="Position in the backlog's total order (lower comes first)")
    points: float | None
    estimate_hours: float | None
    epic: EpicRef | None
    sprint: int | None = Field(description="The sprint's number")
    assignee: str | None = Field(description="The assignee's email")
    labels: list[str]
    criteria: list[CriterionOut] = Field(description="Acceptance criteria in order")
    version: int = Field(description="Send it back with edits; a stale one is refused with 409")
    staging_url: str
    delivery_note: str
    delivered_at: datetime | None
    accepted_at: datetime | None
    accepted_by: str | None = Field(description="The accepting client's email")
    rejection_reason: str
    created_at: datetime
    updated_at: datetime


class ItemPage(BaseModel):
    """One page of items in backlog order."""

    items: list[ItemOut]
    count: int = Field(description="Items matching the filters, on all pages")
    page: int
    page_size: int
    next: int | None = Field(description="The number of the next page, or null on the last page")


class ItemFilters(Input):
    status: StatusName | None = None
    sprint: text(max_length=10) | None = Field(
        None, pattern=r"^(none|[0-9]{1,9})$", description="A sprint number, or `none` for the backlog"
    )
    type: ItemTypeName | None = None
    priority: PriorityName | None = None
    epic: Id | None = Field(None, description="An epic id")
    q: text(max_length=200) | None = Field(None, description="Text in the key, title or user story")
    page: Number = 1
    page_size: Annotated[int, Field(ge=1, le=MAX_PAGE_SIZE)] = 50


def _check_url(value: str) -> str:
    try:
        if value:
            URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        raise ValueError("Enter a valid http(s) URL") from None
    return value


StagingUrl = Annotated[text(max_length=200), AfterValidator(_check_url)]
ItemKey = Annotated[text(max_length=24), Field(pattern=r"^[A-Z]{2,10}-[0-9]{1,9}$")]


class ItemIn(Input):
    title: Title
    type: ItemTypeName = "story"
    priority: PriorityName = "medium"
    user_story: LongText = ""
    description: LongText = ""
    points: Points | None = None
    estimate_hours: Hours | None = None
    epic_id: Id | None = None
    assignee: Email | None = Field(None, description="The email of a project member")
    labels: Labels = []
    criteria: Criteria = Field([], description="Acceptance criteria, in order")


class ItemPatch(Input):
    """Only the fields sent are changed; ``criteria``, when sent, replaces the list (ticks of unchanged
    criteria are kept). Agency roles may edit; a PATCH of only ``priority`` is open to the client PO too."""

    version: Number = Field(description="The version you read")
    title: Title = optional()
    type: ItemTypeName = optional()
    priority: PriorityName = optional()
    user_story: LongText = optional()
    description: LongText = optional()
    points: Points | None = None
    estimate_hours: Hours | None = None
    epic_id: Id | None = None
    assignee: Email | None = Field(None, description="The email of a project member, or null")
    labels: Labels = optional()
    criteria: Criteria = optional()


class MoveIn(Input):
    """Say where the item goes: exactly one of ``to_top``, ``position`` (1-based), ``after`` (the item
    that ends up directly above) or ``before`` (the item that ends up directly below)."""

    to_top: bool = False
    position: Number | None = None
    before: ItemKey | None = None
    after: ItemKey | None = None

    @model_validator(mode="after")
    def one_target(self):
        given = [
            bool(self.to_top),
            self.position is not None,
            self.before is not None,
            self.after is not None,
        ]
        if sum(given) != 1:
            raise ValueError("Give exactly one of to_top, position, before or after")
        return self


class TransitionIn(Input):
    to: StatusName
    note: Note = ""
    staging_url: StagingUrl = Field("", description="Where the client can see a delivered item")
    sprint: Number | None = Field(
        None, description="The sprint number, when planning (default: the next one)"
    )
    scope_reason: Note = Field(
        "", description="Required to add anything but a critical bug to an active sprint"
    )
    version: Number | None = Field(None, description="The version you read, to refuse a stale move (409)")


class AcceptIn(Input):
    criteria_met: Annotated[list[Id], Field(max_length=200)] | None = Field(
        None, description="Ids of the ticked criteria (all when omitted); all must be met to accept"
    )
    comment: Note = ""


class RejectIn(Input):
    reason: text(min_length=MIN_REJECTION_REASON, max_length=10_000)
    criteria_met: Annotated[list[Id], Field(max_length=200)] | None = None


class EventOut(BaseModel):
    id: int
    at: datetime
    actor: str | None = Field(description="The actor's email")
    action: str
    changes: dict = Field(description="{field: [before, after]}")
    note: str


class CommentIn(Input):
    body: text(min_length=1, max_length=20_000)
    internal: bool = Field(False, description="Internal notes are never shown to client roles")


class CommentOut(BaseModel):
    id: int
    author: str | None = Field(description="The author's email")
    body: str
    internal: bool
    created_at: datetime
