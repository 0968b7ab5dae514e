"""API: move items through the workflow; the client accepts or rejects delivered work."""

from ninja import Router

from sightline.api.errors import ERRORS, TransitionErrorOut
from sightline.backlog.api.items import fresh, item_for
from sightline.backlog.api.schemas import AcceptIn, ItemOut, RejectIn, TransitionIn
from sightline.backlog.transitions import item_accept, item_reject, item_transition
from sightline.lib.errors import InvalidInput
from sightline.sprints.models import Sprint

router = Router()


@router.post(
    "/items/{item_key}/transition",
    response={200: ItemOut, **ERRORS, 400: TransitionErrorOut},
    operation_id="item_transition",
    summary="Move an item through the workflow",
)
def item_transition_endpoint(request, item_key: str, payload: TransitionIn):
    """Move the item through the workflow. An illegal move is refused with 400 and the `allowed` states."""
    item, membership = item_for(request, item_key)
    sprint = None
    if payload.sprint is not None:
        sprint = Sprint.objects.filter(project=item.project, number=payload.sprint).first()
        if sprint is None:
            raise InvalidInput(f"{item.project.key} has no sprint {payload.sprint}.", field="sprint")
    item = item_transition(
        actor=request.auth,
        membership=membership,
        item=item,
        to=payload.to,
        note=payload.note,
        version=payload.version,
        staging_url=payload.staging_url,
        sprint=sprint,
        scope_reason=payload.scope_reason,
    )
    return fresh(item)


@router.post(
    "/items/{item_key}/accept",
    response={200: ItemOut, **ERRORS, 400: TransitionErrorOut},
    operation_id="item_accept",
    summary="Accept a delivered item",
)
def item_accept_endpoint(request, item_key: str, payload: AcceptIn):
    """The client accepts a delivered item: it is Done."""
    item, membership = item_for(request, item_key)
    item = item_accept(
        actor=request.auth,
        membership=membership,
        item=item,
        criteria_met=payload.criteria_met,
        comment=payload.comment,
    )
    return fresh(item)


@router.post(
    "/items/{item_key}/reject",
    response={200: ItemOut, **ERRORS, 400: TransitionErrorOut},
    operation_id="item_reject",
    summary="Reject a delivered item",
)
def item_reject_endpoint(request, item_key: str, payload: RejectIn):
    """The client rejects a delivered item with a reason (10 characters or more); it goes back to the team."""
    item, membership = item_for(request, item_key)
    item = item_reject(
        actor=request.auth,
        membership=membership,
        item=item,
        reason=payload.reason,
        criteria_met=payload.criteria_met,
    )
    return fresh(item)
