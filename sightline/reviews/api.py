"""API: acceptance-criteria reviews — ask for one, read it, mark its items reviewed or comment on them
without reviewing."""

import re
from datetime import date, datetime
from typing import Annotated, Literal

from django.http import Http404
from ninja import Field, Path, Router, Status
from pydantic import BaseModel

from sightline.api.access import project_for
from sightline.api.errors import ERRORS
from sightline.api.schemas import MAX_ID, Input, text
from sightline.backlog.models import Item
from sightline.lib.errors import InvalidInput
from sightline.projects.models import Membership
from sightline.projects.policy import get_project_for
from sightline.reviews.models import CriteriaReview, CriteriaReviewItem, ReviewState
from sightline.reviews.selectors import with_entries
from sightline.reviews.services import (
    COMMENT_MAX,
    MAX_ITEMS,
    NOTE_MAX,
    TITLE_MAX,
    criteria_review_comment,
    criteria_review_mark_reviewed,
    criteria_review_request,
)

router = Router(tags=["criteria reviews"])

ITEM_KEY = re.compile(r"[A-Z]{2,10}-[0-9]{1,9}")
ReviewId = Annotated[int, Path(ge=1, le=MAX_ID)]
DueDate = Annotated[date, Field(ge=date(2000, 1, 1), le=date(2100, 12, 31))]
StateName = Literal[tuple(ReviewState.values)]  # type: ignore[valid-type]


class ReviewIn(Input):
    items: Annotated[list[text(min_length=1, max_length=24)], Field(min_length=1, max_length=MAX_ITEMS)] = (
        Field(description="Keys of the items whose acceptance criteria the client should review")
    )
    due_date: DueDate = Field(description="Today or later")
    title: text(max_length=TITLE_MAX) = ""
    note: text(max_length=NOTE_MAX) = ""


class MarkIn(Input):
    comment: text(max_length=COMMENT_MAX) = ""


class CriteriaCommentIn(Input):
    comment: text(min_length=1, max_length=COMMENT_MAX) = Field(
        description="A question about the criteria, or the change they need"
    )


class CriteriaCommentOut(BaseModel):
    author: str | None = Field(description="Email of who commented")
    text: str
    created_at: datetime


class ReviewItemOut(BaseModel):
    key: str
    title: str
    status: str
    criteria: list[str]
    reviewed_at: datetime | None
    reviewed_by: str | None = Field(description="Email of who marked it reviewed")
    comment: str = Field(description="The comment left when it was marked reviewed")
    comments: list[CriteriaCommentOut] = Field(
        description="Comments left without marking it reviewed (questions, changes asked), oldest first"
    )


class ReviewOut(BaseModel):
    id: int
    project: str = Field(description="The project's key")
    title: str
    note: str
    due_date: date
    state: StateName
    overdue: bool
    requested_by: str | None = Field(description="Email of the agency member who asked")
    holder: str | None = Field(
        description="Email of the client member it was handed to (null: the client PO)"
    )
    created_at: datetime
    closed_at: datetime | None
    items: list[ReviewItemOut] = Field(description="In backlog order")


def review_data(review: CriteriaReview) -> dict:
    return {
        "id": review.pk,
        "project": review.project.key,
        "title": review.title,
        "note": review.note,
        "due_date": review.due_date,
        "state": review.state,
        "overdue": review.is_overdue(),
        "requested_by": review.requested_by.email if review.requested_by else None,
        "holder": review.holder.email if review.holder else None,
        "created_at": review.created_at,
        "closed_at": review.closed_at,
        "items": [
            {
                "key": entry.item.key,
                "title": entry.item.title,
                "status": entry.item.status,
                "criteria": [c.text for c in entry.item.criteria.all()],
                "reviewed_at": entry.reviewed_at,
                "reviewed_by": entry.reviewed_by.email if entry.reviewed_by else None,
                "comment": entry.comment,
                "comments": [
                    {
                        "author": c.author.email if c.author else None,
                        "text": c.text,
                        "created_at": c.created_at,
                    }
                    for c in entry.comments.all()
                ],
            }
            for entry in review.entries.all()
        ],
    }


def _fresh(review_id: int) -> dict:
    return review_data(with_entries(CriteriaReview.objects.filter(pk=review_id)).get())


def _review_for(request, review_id: int) -> tuple[CriteriaReview, Membership]:
    """The review with the caller's membership; the same 404 for outsiders and for ids that do not exist."""
    review = CriteriaReview.objects.select_related("project").filter(pk=review_id).first()
    if review is None:
        raise Http404("No such criteria review.")
    try:
        _, membership = get_project_for(request.auth, review.project.key, "project.view")
    except Http404:
        raise Http404("No such criteria review.") from None
    return review, membership


def _entry_for(
    request, review_id: int, item_key: str
) -> tuple[CriteriaReview, Membership, CriteriaReviewItem]:
    """The review, the caller's membership and the review's entry for ``item_key`` (404 when it has none)."""
    review, membership = _review_for(request, review_id)
    entry = review.entries.filter(item__key=item_key).first() if ITEM_KEY.fullmatch(item_key) else None
    if entry is None:
        raise Http404(f"Criteria review {review.pk} has no item {item_key}.")
    return review, membership, entry


@router.post(
    "/projects/{key}/criteria-reviews",
    response={201: ReviewOut, **ERRORS},
    operation_id="criteria_review_request",
    summary="Ask the client to review acceptance criteria",
)
def criteria_review_request_endpoint(request, key: str, payload: ReviewIn):
    """Ask the client to review the acceptance criteria of some items by a date (agency roles). The items
    must be of the project, not accepted, have criteria and not already wait in another open review."""
    project, membership = project_for(request, key, "criteria_review.request")
    keys = list(dict.fromkeys(k.strip().upper() for k in payload.items))
    found = {item.key: item for item in Item.objects.filter(project=project, key__in=keys)}
    unknown = [k for k in keys if k not in found]
    if unknown:
        raise InvalidInput(f"{project.key} has no item {', '.join(unknown)}.", field="items")
    review = criteria_review_request(
        actor=request.auth,
        membership=membership,
        items=[found[k] for k in keys if k in found],
        due_date=payload.due_date,
        title=payload.title,
        note=payload.note,
    )
    return Status(201, _fresh(review.pk))


@router.get(
    "/criteria-reviews/{review_id}",
    response={200: ReviewOut, **ERRORS},
    operation_id="criteria_review_detail",
    summary="Read a criteria review",
)
def criteria_review_detail(request, review_id: ReviewId):
    review, _ = _review_for(request, review_id)
    return _fresh(review.pk)


@router.post(
    "/criteria-reviews/{review_id}/items/{item_key}/review",
    response={200: ReviewOut, **ERRORS},
    operation_id="criteria_review_mark_reviewed",
    summary="Mark one item of a criteria review reviewed",
)
def criteria_review_mark_endpoint(request, review_id: ReviewId, item_key: str, payload: MarkIn):
    """The client PO (or the client member the review was handed to) marks an item's criteria reviewed, with
    an optional comment. The review closes when its last item is reviewed; marking an item twice → 409."""
    review, membership, entry = _entry_for(request, review_id, item_key)
    criteria_review_mark_reviewed(
        actor=request.auth, membership=membership, entry=entry, comment=payload.comment
    )
    return _fresh(review.pk)


@router.post(
    "/criteria-reviews/{review_id}/items/{item_key}/comment",
    response={200: ReviewOut, **ERRORS},
    operation_id="criteria_review_comment",
    summary="Comment on one item of a criteria review without marking it reviewed",
)
def criteria_review_comment_endpoint(request, review_id: ReviewId, item_key: str, payload: CriteriaCommentIn):
    """The client PO (or the client member the review was handed to) asks a question about an item's
    criteria or a change to them, without marking it reviewed: the item keeps waiting and the review stays
    open; the agency member who asked for the review is told. A closed review, or an item already marked
    reviewed → 409; an empty comment → 422 on `comment`."""
    review, membership, entry = _entry_for(request, review_id, item_key)
    criteria_review_comment(actor=request.auth, membership=membership, entry=entry, comment=payload.comment)
    return _fresh(review.pk)
