"""API: feedback — give it (text only), list a project's, convert one into a backlog item."""

import re
from datetime import datetime
from typing import Annotated, Literal

from django.http import Http404
from django.urls import reverse
from ninja import Field, Path, Query, Router, Status
from pydantic import BaseModel

from sightline.api.access import project_for
from sightline.api.errors import ERRORS
from sightline.api.schemas import MAX_ID, MAX_NUMBER, Input, ItemTypeName, PriorityName, text
from sightline.backlog.models import TITLE_MAX, Item, ItemType, Priority
from sightline.feedback.models import Feedback
from sightline.feedback.selectors import feedback_list
from sightline.feedback.services import TEXT_MAX, feedback_convert, feedback_give
from sightline.lib.errors import InvalidInput
from sightline.projects.models import Membership
from sightline.projects.policy import get_project_for
from sightline.sprints.models import Sprint

router = Router(tags=["feedback"])

ITEM_KEY = re.compile(r"[A-Z]{2,10}-[0-9]{1,9}")
FeedbackId = Annotated[int, Path(ge=1, le=MAX_ID)]
StateName = Literal["open", "converted"]


class FeedbackIn(Input):
    text: text(min_length=1, max_length=TEXT_MAX)
    item: text(max_length=24) | None = Field(default=None, description="Key of the item it is about")
    sprint: Annotated[int, Field(ge=1, le=MAX_NUMBER)] | None = Field(
        default=None, description="Number of the sprint whose review it was given at"
    )


class ConvertIn(Input):
    title: text(max_length=TITLE_MAX) = Field(default="", description="Default: the feedback's first line")
    type: ItemTypeName = ItemType.STORY
    priority: PriorityName = Priority.MEDIUM


class FeedbackFilters(Input):
    state: StateName | None = None


class FeedbackOut(BaseModel):
    id: int
    project: str = Field(description="The project's key")
    text: str
    author: str | None = Field(description="Email of who gave it")
    item: str | None = Field(description="Key of the item it is about")
    sprint: int | None = Field(description="Number of the sprint whose review it was given at")
    screenshot_url: str | None = Field(
        description="The attached screenshot (members only; uploads: web page)"
    )
    created_at: datetime
    state: StateName
    item_created: str | None = Field(description="Key of the backlog item it was converted into")
    converted_by: str | None
    converted_at: datetime | None


def feedback_data(f: Feedback) -> dict:
    return {
        "id": f.pk,
        "project": f.project.key,
        "text": f.text,
        "author": f.author.email if f.author else None,
        "item": f.item.key if f.item else None,
        "sprint": f.sprint.number if f.sprint else None,
        "screenshot_url": reverse("feedback:screenshot", args=[f.project.key, f.pk])
        if f.screenshot
        else None,
        "created_at": f.created_at,
        "state": f.state,
        "item_created": f.item_created.key if f.item_created else None,
        "converted_by": f.converted_by.email if f.converted_by else None,
        "converted_at": f.converted_at,
    }


def _fresh(f: Feedback) -> dict:
    return feedback_data(feedback_list(f.project).get(pk=f.pk))


def _feedback_for(request, feedback_id: int) -> tuple[Feedback, Membership]:
    """The feedback with the caller's membership; the same 404 for outsiders and for ids that do not exist."""
    feedback = Feedback.objects.select_related("project").filter(pk=feedback_id).first()
    if feedback is None:
        raise Http404("No such feedback.")
    try:
        _, membership = get_project_for(request.auth, feedback.project.key, "project.view")
    except Http404:
        raise Http404("No such feedback.") from None
    return feedback, membership


@router.get(
    "/projects/{key}/feedback",
    response={200: list[FeedbackOut], **ERRORS},
    operation_id="feedback_list",
    summary="List a project's feedback",
)
def feedback_list_endpoint(request, key: str, filters: Query[FeedbackFilters]):
    """The project's feedback, newest first; `state=open` or `state=converted` narrows it."""
    project, _ = project_for(request, key, "project.view")
    return [feedback_data(f) for f in feedback_list(project, filters.state or "")]


@router.post(
    "/projects/{key}/feedback",
    response={201: FeedbackOut, **ERRORS},
    operation_id="feedback_give",
    summary="Give feedback",
)
def feedback_give_endpoint(request, key: str, payload: FeedbackIn):
    """Record feedback on an item, a sprint review or (neither given) the product; every member may.
    This takes text only: screenshots are uploaded with the "Give feedback" page of the web app."""
    project, membership = project_for(request, key, "feedback.give")
    item = sprint = None
    if payload.item is not None:
        item_key = payload.item.strip().upper()
        item = (
            Item.objects.filter(project=project, key=item_key).first()
            if ITEM_KEY.fullmatch(item_key)
            else None
        )
        if item is None:
            raise InvalidInput(f"{project.key} has no item {payload.item}.", field="item")
    if payload.sprint is not None:
        sprint = Sprint.objects.filter(project=project, number=payload.sprint).first()
        if sprint is None:
            raise InvalidInput(f"{project.key} has no sprint {payload.sprint}.", field="sprint")
    feedback = feedback_give(
        actor=request.auth, membership=membership, text=payload.text, item=item, sprint=sprint
    )
    return Status(201, _fresh(feedback))


@router.post(
    "/feedback/{feedback_id}/convert",
    response={200: FeedbackOut, **ERRORS},
    operation_id="feedback_convert",
    summary="Convert feedback into a backlog item",
)
def feedback_convert_endpoint(request, feedback_id: FeedbackId, payload: ConvertIn):
    """Create a backlog item from the feedback (agency roles); the answer carries its key in `item_created`.
    Converting the same feedback twice → 409."""
    feedback, membership = _feedback_for(request, feedback_id)
    feedback_convert(
        actor=request.auth,
        membership=membership,
        feedback=feedback,
        title=payload.title,
        type=payload.type,
        priority=payload.priority,
    )
    return _fresh(feedback)
