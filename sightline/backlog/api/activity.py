"""API: an item's history and comments. Client roles never see internal events or notes."""

from ninja import Router, Status

from sightline.api.errors import ERRORS
from sightline.audit.models import AuditEvent
from sightline.backlog.api.items import item_for
from sightline.backlog.api.schemas import CommentIn, CommentOut, EventOut
from sightline.backlog.services import comment_add
from sightline.projects.policy import may

router = Router()


@router.get(
    "/items/{item_key}/history",
    response={200: list[EventOut], **ERRORS},
    operation_id="item_history",
    summary="An item's history",
)
def item_history(request, item_key: str):
    """The item's audit events, oldest first (internal ones only for agency roles)."""
    item, membership = item_for(request, item_key)
    events = AuditEvent.objects.for_item(item)
    if not may(membership, "item.view_internal"):
        events = events.filter(internal=False)
    return [
        {
            "id": e.id,
            "at": e.at,
            "actor": e.actor.email if e.actor_id else None,
            "action": e.action,
            "changes": e.changes,
            "note": e.note,
        }
        for e in events
    ]


def _comment_data(comment) -> dict:
    return {
        "id": comment.id,
        "author": comment.author.email if comment.author_id else None,
        "body": comment.body,
        "internal": comment.internal,
        "created_at": comment.created_at,
    }


@router.get(
    "/items/{item_key}/comments",
    response={200: list[CommentOut], **ERRORS},
    operation_id="comment_list",
    summary="An item's comments",
)
def comment_list(request, item_key: str):
    """Comments oldest first; internal notes only for agency roles."""
    item, membership = item_for(request, item_key)
    comments = item.comments.select_related("author").order_by("created_at", "id")
    if not may(membership, "item.view_internal"):
        comments = comments.filter(internal=False)
    return [_comment_data(c) for c in comments]


@router.post(
    "/items/{item_key}/comments",
    response={201: CommentOut, **ERRORS},
    operation_id="comment_create",
    summary="Comment on an item",
)
def comment_create(request, item_key: str, payload: CommentIn):
    """Comment on an item; only agency roles may write internal notes."""
    item, membership = item_for(request, item_key)
    comment = comment_add(
        actor=request.auth, membership=membership, item=item, body=payload.body, internal=payload.internal
    )
    return Status(201, _comment_data(comment))
