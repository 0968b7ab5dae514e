"""API: the roadmap (releases with their epics), roadmap change requests, and direct edits.

On a project with a client PO the roadmap changes only through change requests: direct edits
(creating or editing a release, placing an epic) are refused with 400 and a message pointing to
``POST /projects/{key}/roadmap/changes``. Deciding a change that was already decided or withdrawn,
or one the roadmap has moved past, is refused with 409.
"""

from datetime import date, datetime
from typing import Annotated, Literal

from django.http import Http404
from ninja import Field, Path, Router, Status
from pydantic import BaseModel

from sightline.api.access import project_for
from sightline.api.errors import ERRORS
from sightline.api.schemas import MAX_ID, Id, Input, optional, text
from sightline.backlog.models import Epic
from sightline.backlog.selectors import EpicSummary, epic_summaries
from sightline.lib.errors import InvalidInput
from sightline.projects.models import Membership, Project
from sightline.projects.policy import get_project_for
from sightline.roadmap import changes, services
from sightline.roadmap.models import RELEASE_NAME_MAX, ChangeKind, ChangeState, Release, RoadmapChange
from sightline.roadmap.selectors import roadmap_for

router = Router(tags=["roadmap"])

Day = Annotated[date, Field(ge=date(2000, 1, 1), le=date(2100, 12, 31))]
KindName = Literal[tuple(ChangeKind.values)]  # type: ignore[valid-type]
StateName = Literal[tuple(ChangeState.values)]  # type: ignore[valid-type]
ChangeId = Annotated[int, Path(ge=1, le=MAX_ID)]
ObjectId = Annotated[int, Path(ge=1, le=MAX_ID)]


# --- schemas -------------------------------------------------------------------------------------
class Ref(BaseModel):
    id: int
    name: str


class EpicOnRoadmap(BaseModel):
    id: int
    title: str
    colour: str
    items: int = Field(description="Items of the epic, whatever their status")
    points: float = Field(description="Estimated points of its items")
    points_done: float = Field(description="Points of its accepted items")
    change_proposed: bool = Field(description="An open change request concerns this epic")


class ReleaseOut(BaseModel):
    id: int
    name: str
    target_date: date | None
    rank: int
    description: str
    items: int
    points: float
    points_done: float
    epics: list[EpicOnRoadmap] = Field(description="In rank order")


class ChangeOut(BaseModel):
    id: int
    project: str = Field(description="The project's key")
    kind: KindName
    state: StateName
    summary: str = Field(description="What changes, in plain words")
    epic: Ref | None = Field(description="The epic (add, remove, move); `name` is its title")
    release: Ref | None = Field(description="Where the epic goes, the release re-dated, or the release added")
    from_release: Ref | None = Field(description="The release the epic leaves (remove, move)")
    new_target_date: date | None
    previous_target_date: date | None
    release_name: str = Field(description="The name of the release to add")
    release_description: str = Field(description="What the release to add is for")
    rationale: str
    impact: str
    due: date | None = Field(description="When the team needs the answer")
    overdue: bool
    proposed_by: str | None = Field(description="Email of who proposed it")
    proposed_at: datetime
    decided_by: str | None = Field(description="Email of who approved, declined or withdrew it")
    decided_at: datetime | None
    decision_comment: str
    holder: str | None = Field(
        description="Email of the client member it was handed to (null: the client PO)"
    )


class RoadmapOut(BaseModel):
    project: str
    direct_edits: bool = Field(
        description="True when the project has no client PO: the agency PO then edits the roadmap directly; "
        "otherwise every change is a change request the client PO approves"
    )
    releases: list[ReleaseOut] = Field(description="By target date, those without a date last")
    unscheduled: list[EpicOnRoadmap] = Field(description="Epics in no release, in rank order")
    open_changes: list[ChangeOut]
    history: list[ChangeOut] = Field(description="Approved, declined and withdrawn changes, newest first")


class ChangeIn(Input):
    """``release_id`` is where the epic goes (add_epic, move_epic) or the release whose date changes
    (change_date); a removed or moved epic leaves the release it is in now. ``add_release`` takes
    ``release_name`` and an optional ``new_target_date``."""

    kind: KindName
    epic_id: Id | None = None
    release_id: Id | None = None
    new_target_date: Day | None = None
    release_name: text(max_length=RELEASE_NAME_MAX) = ""
    release_description: text(max_length=services.DESCRIPTION_MAX) = ""
    rationale: text(max_length=changes.RATIONALE_MAX) = Field("", description="Why (required)")
    impact: text(max_length=changes.IMPACT_MAX) = Field(
        "", description="The impact on forecast dates or scope (required)"
    )
    due: Day | None = Field(None, description="Answer by (optional, not in the past)")


class ChangeVerdictIn(Input):
    comment: text(max_length=changes.COMMENT_MAX) = ""


class ReleaseIn(Input):
    name: text(min_length=1, max_length=RELEASE_NAME_MAX)
    target_date: Day | None = None
    description: text(max_length=services.DESCRIPTION_MAX) = ""


class ReleasePatch(Input):
    """Only the fields sent change; a null ``target_date`` clears it."""

    name: text(min_length=1, max_length=RELEASE_NAME_MAX) = optional()
    target_date: Day | None = None
    description: text(max_length=services.DESCRIPTION_MAX) = optional()


class PlaceIn(Input):
    release_id: Id | None = Field(description="The release (null: take the epic out of its release)")


class EpicPlacement(BaseModel):
    id: int
    title: str
    release: Ref | None


# --- data ----------------------------------------------------------------------------------------
def _ref(obj, attr: str = "name") -> dict | None:
    return {"id": obj.pk, "name": getattr(obj, attr)} if obj is not None else None


def _epic_data(summary: EpicSummary, pending: set[int]) -> dict:
    epic = summary.epic
    return {
        "id": epic.pk,
        "title": epic.title,
        "colour": epic.colour,
        "items": summary.total,
        "points": float(summary.points),
        "points_done": float(summary.accepted_points),
        "change_proposed": epic.pk in pending,
    }


def change_data(change: RoadmapChange) -> dict:
    return {
        "id": change.pk,
        "project": change.project.key,
        "kind": change.kind,
        "state": change.state,
        "summary": change.summary,
        "epic": _ref(change.epic, "title"),
        "release": _ref(change.release),
        "from_release": _ref(change.from_release),
        "new_target_date": change.new_target_date,
        "previous_target_date": change.previous_target_date,
        "release_name": change.release_name,
        "release_description": change.release_description,
        "rationale": change.rationale,
        "impact": change.impact,
        "due": change.due,
        "overdue": change.is_overdue(),
        "proposed_by": change.proposed_by.email if change.proposed_by_id else None,
        "proposed_at": change.proposed_at,
        "decided_by": change.decided_by.email if change.decided_by_id else None,
        "decided_at": change.decided_at,
        "decision_comment": change.decision_comment,
        "holder": change.holder.email if change.holder_id else None,
    }


def _fresh_change(change: RoadmapChange) -> dict:
    return change_data(RoadmapChange.objects.with_people().get(pk=change.pk))


def _release_data(release: Release) -> dict:
    project = release.project
    summaries = [s for s in epic_summaries(project) if s.epic.release_id == release.pk]
    pending = set(RoadmapChange.objects.open().filter(project=project).values_list("epic_id", flat=True))
    return _column_data(release, [_epic_data(s, pending) for s in summaries])


def _column_data(release: Release, epics: list[dict]) -> dict:
    return {
        "id": release.pk,
        "name": release.name,
        "target_date": release.target_date,
        "rank": release.rank,
        "description": release.description,
        "items": sum(e["items"] for e in epics),
        "points": sum(e["points"] for e in epics),
        "points_done": sum(e["points_done"] for e in epics),
        "epics": epics,
    }


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
            _column_data(c.release, [_epic_data(s, roadmap.pending_epics) for s in c.epics])
            for c in roadmap.releases
        ],
        "unscheduled": [_epic_data(s, roadmap.pending_epics) for s in roadmap.unscheduled],
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
    return Status(201, _fresh_change(change))


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
    return _fresh_change(change)


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
    return _fresh_change(change)


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
    return _fresh_change(change)


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
    services.require_direct_edit(membership)
    release = services.release_create(
        actor=request.auth,
        membership=membership,
        name=payload.name,
        target_date=payload.target_date,
        description=payload.description,
    )
    return Status(201, _release_data(release))


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
    services.require_direct_edit(membership)
    sent = payload.model_fields_set
    release = services.release_update(
        actor=request.auth,
        membership=membership,
        release=release,
        name=payload.name if "name" in sent else release.name,
        target_date=payload.target_date if "target_date" in sent else release.target_date,
        description=payload.description if "description" in sent else release.description,
    )
    return _release_data(release)


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
    return {"id": epic.pk, "title": epic.title, "release": _ref(epic.release)}
