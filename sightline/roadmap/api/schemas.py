"""API schemas of the roadmap: what its routes take and give, and the data they are built from."""

from datetime import date, datetime
from typing import Annotated, Literal

from ninja import Field, Path
from pydantic import BaseModel

from sightline.api.schemas import MAX_ID, Id, Input, optional, text
from sightline.backlog.selectors import EpicSummary, epic_summaries
from sightline.roadmap import changes, services
from sightline.roadmap.models import RELEASE_NAME_MAX, ChangeKind, ChangeState, Release, RoadmapChange

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
def ref_data(obj, attr: str = "name") -> dict | None:
    return {"id": obj.pk, "name": getattr(obj, attr)} if obj is not None else None


def epic_data(summary: EpicSummary, pending: set[int]) -> dict:
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
        "epic": ref_data(change.epic, "title"),
        "release": ref_data(change.release),
        "from_release": ref_data(change.from_release),
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


def fresh_change(change: RoadmapChange) -> dict:
    return change_data(RoadmapChange.objects.with_people().get(pk=change.pk))


def release_data(release: Release) -> dict:
    project = release.project
    summaries = [s for s in epic_summaries(project) if s.epic.release_id == release.pk]
    pending = set(RoadmapChange.objects.open().filter(project=project).values_list("epic_id", flat=True))
    return column_data(release, [epic_data(s, pending) for s in summaries])


def column_data(release: Release, epics: list[dict]) -> dict:
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
