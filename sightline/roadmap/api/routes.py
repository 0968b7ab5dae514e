"""API: the roadmap (releases with their epics), roadmap change requests, and direct edits.

On a project with a client PO the roadmap changes only through change requests: direct edits
(creating or editing a release, placing an epic) are refused with 400 and a message pointing to
``POST /projects/{key}/roadmap/changes``. Deciding a change that was already decided or withdrawn,
or one the roadmap has moved past, is refused with 409.
"""

from django.http import Http404
from ninja import Router, Status

from sightline.api.access import project_for
from sightline.api.errors import ERRORS
from sightline.backlog.models import Epic
from sightline.lib.errors import InvalidInput
from sightline.projects.models import Membership, Project
from sightline.projects.policy import get_project_for
from sightline.roadmap import changes, services
from sightline.roadmap.api.schemas import (
    ChangeId,
    ChangeIn,
    ChangeOut,
    ChangeVerdictIn,
    EpicPlacement,
    ObjectId,
    PlaceIn,
    ReleaseIn,
    ReleaseOut,
    ReleasePatch,
    RoadmapOut,
    change_data,
    column_data,
    epic_data,
    fresh_change,
    ref_data,
    release_data,
)
from sightline.roadmap.models import Release, RoadmapChange
from sightline.roadmap.selectors import roadmap_for

router = Router(tags=["roadmap"])


def _change_for(request, change_id: int) -> tuple[RoadmapChange, Membership]:
    """The change with the caller's membership; the same 404 for outsiders and for ids that do not exist."""
    change = RoadmapChange.objects.with_people().filter(pk=change_id).first()
    if change is None:
        raise Http404("No such roadmap change.")
    try:
        _, membership = get_project_for(request.auth, change.project.key, "roadmap.view")
    except Http404:
        raise Http404("No such roadmap change.") from None
    return change, membership


def _in_project(model, project: Project, pk: int | None, field: str, what: str):
    if pk is None:
        return None
    found = model.objects.filter(project=project, pk=pk).first()
    if found is None:
        raise InvalidInput(f"{project.key} has no {what} {pk}.", field=field)
    return found


# --- routes --------------------------------------------------------------------------------------
@router.get(
    "/projects/{key}/roadmap",
    response={200: RoadmapOut, **ERRORS},
    operation_id="roadmap_detail",
    summary="Read a project's roadmap",
)
def roadmap_detail(request, key: str):
    """Releases in date order with their epics and progress, unscheduled epics, open and past changes."""
    project, _ = project_for(request, key, "roadmap.view")
    roadmap = roadmap_for(project)
    return {
        "project": project.key,
        "direct_edits": not services.has_client_po(project),
        "releases": [
            column_data(c.release, [epic_data(s, roadmap.pending_epics) for s in c.epics])
            for c in roadmap.releases
        ],
        "unscheduled": [epic_data(s, roadmap.pending_epics) for s in roadmap.unscheduled],
        "open_changes": [change_data(c) for c in roadmap.open_changes],
        "history": [change_data(c) for c in roadmap.history],
    }


@router.post(
    "/projects/{key}/roadmap/changes",
    response={201: ChangeOut, **ERRORS},
    operation_id="roadmap_change_propose",
    summary="Propose a roadmap change",
)
def roadmap_change_propose_endpoint(request, key: str, payload: ChangeIn):
    """Agency roles propose; the client PO approves or declines. Nothing changes until it is approved."""
    project, membership = project_for(request, key, "roadmap.propose")
    change = changes.roadmap_change_propose(
        actor=request.auth,
        membership=membership,
        kind=payload.kind,
        epic=_in_project(Epic, project, payload.epic_id, "epic_id", "epic"),
        release=_in_project(Release, project, payload.release_id, "release_id", "release"),
        new_target_date=payload.new_target_date,
        release_name=payload.release_name,
        release_description=payload.release_description,
        rationale=payload.rationale,
        impact=payload.impact,
        due=payload.due,
    )
    return Status(201, fresh_change(change))


@router.get(
    "/roadmap/changes/{change_id}",
    response={200: ChangeOut, **ERRORS},
    operation_id="roadmap_change_detail",
    summary="Read a roadmap change",
)
def roadmap_change_detail(request, change_id: ChangeId):
    change, _ = _change_for(request, change_id)
    return change_data(change)


@router.post(
    "/roadmap/changes/{change_id}/approve",
    response={200: ChangeOut, **ERRORS},
    operation_id="roadmap_change_approve",
    summary="Approve a roadmap change",
)
def roadmap_change_approve_endpoint(request, change_id: ChangeId, payload: ChangeVerdictIn):
    """The client PO (or the client member it was handed to) approves: the change is applied at once.
    409 when it was already decided or withdrawn, or when the roadmap moved on since it was proposed."""
    change, membership = _change_for(request, change_id)
    change = changes.roadmap_change_approve(
        actor=request.auth, membership=membership, change=change, comment=payload.comment
    )
    return fresh_change(change)


@router.post(
    "/roadmap/changes/{change_id}/decline",
    response={200: ChangeOut, **ERRORS},
    operation_id="roadmap_change_decline",
    summary="Decline a roadmap change",
)
def roadmap_change_decline_endpoint(request, change_id: ChangeId, payload: ChangeVerdictIn):
    """The roadmap stays as it is; the declined change stays in the history. 409 when already decided."""
    change, membership = _change_for(request, change_id)
    change = changes.roadmap_change_decline(
        actor=request.auth, membership=membership, change=change, comment=payload.comment
    )
    return fresh_change(change)


@router.post(
    "/roadmap/changes/{change_id}/withdraw",
    response={200: ChangeOut, **ERRORS},
    operation_id="roadmap_change_withdraw",
    summary="Withdraw a roadmap change",
)
def roadmap_change_withdraw_endpoint(request, change_id: ChangeId):
    """Whoever proposed it, or the agency PO, takes it back before the client decides."""
    change, membership = _change_for(request, change_id)
    change = changes.roadmap_change_withdraw(actor=request.auth, membership=membership, change=change)
    return fresh_change(change)


@router.post(
    "/projects/{key}/roadmap/releases",
    response={201: ReleaseOut, **ERRORS},
    operation_id="release_create",
    summary="Add a release directly",
)
def release_create_endpoint(request, key: str, payload: ReleaseIn):
    """Agency PO, on a project without a client PO only (otherwise 400, 403 for the other agency roles:
    propose an `add_release` change)."""
    project, membership = project_for(request, key, "roadmap.view")
    release = services.release_create(
        actor=request.auth,
        membership=membership,
        name=payload.name,
        target_date=payload.target_date,
        description=payload.description,
    )
    return Status(201, release_data(release))


@router.patch(
    "/roadmap/releases/{release_id}",
    response={200: ReleaseOut, **ERRORS},
    operation_id="release_update",
    summary="Edit a release directly",
)
def release_update_endpoint(request, release_id: ObjectId, payload: ReleasePatch):
    """Agency PO, on a project without a client PO only (otherwise 400, 403 for the other agency roles:
    propose a `change_date` change)."""
    release = Release.objects.select_related("project").filter(pk=release_id).first()
    if release is None:
        raise Http404("No such release.")
    try:
        _, membership = get_project_for(request.auth, release.project.key, "roadmap.view")
    except Http404:
        raise Http404("No such release.") from None
    sent = payload.model_fields_set
    release = services.release_update(
        actor=request.auth,
        membership=membership,
        release=release,
        name=payload.name if "name" in sent else release.name,
        target_date=payload.target_date if "target_date" in sent else release.target_date,
        description=payload.description if "description" in sent else release.description,
    )
    return release_data(release)


@router.post(
    "/roadmap/epics/{epic_id}/release",
    response={200: EpicPlacement, **ERRORS},
    operation_id="epic_place",
    summary="Place an epic in a release directly",
)
def epic_place_endpoint(request, epic_id: ObjectId, payload: PlaceIn):
    """Agency PO, on a project without a client PO only (otherwise 400, 403 for the other agency roles:
    propose an add, move or remove)."""
    epic = Epic.objects.select_related("project").filter(pk=epic_id).first()
    if epic is None:
        raise Http404("No such epic.")
    try:
        project, membership = get_project_for(request.auth, epic.project.key, "roadmap.view")
    except Http404:
        raise Http404("No such epic.") from None
    services.require_direct_edit(membership)
    release = _in_project(Release, project, payload.release_id, "release_id", "release")
    epic = services.epic_place(actor=request.auth, membership=membership, epic=epic, release=release)
    return {"id": epic.pk, "title": epic.title, "release": ref_data(epic.release)}
