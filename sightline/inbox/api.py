"""API: what waits for the caller (in all their projects, or one), and handing a request over.

A row is ``{kind, id, title, project, asked_by, due, overdue, cost_of_delay, url, holder}`` where ``kind``
is one of ``acceptance``, ``decision``, ``roadmap_change``, ``criteria_review``;
``id`` is the request's id (for an acceptance, the item's id); ``url`` is the page where it can be answered
in full; ``holder`` is the client member it was handed to (null: the client product owner).
"""

from datetime import date

from django.conf import settings
from django.http import Http404
from ninja import Router
from pydantic import BaseModel, Field

from sightline.accounts.models import User
from sightline.api.access import project_for
from sightline.api.errors import ERRORS
from sightline.api.schemas import Email, Id, Input, text
from sightline.inbox.rows import InboxRow
from sightline.inbox.selectors import find_open_request, inbox_rows
from sightline.inbox.services import NOTE_MAX, request_handover
from sightline.lib.errors import InvalidInput
from sightline.projects.models import Membership

router = Router(tags=["inbox"])


class HolderOut(BaseModel):
    id: int
    name: str


class InboxRowOut(BaseModel):
    kind: str = Field(description="acceptance, decision, roadmap_change or criteria_review")
    id: int = Field(description="The request's id (for an acceptance: the item's id)")
    title: str
    project: str = Field(description="The project's key")
    asked_by: str
    due: date | None
    overdue: bool
    cost_of_delay: str = Field(description="What waiting costs, as the agency stated it; empty when none")
    url: str = Field(description="Absolute address of the page where it can be answered in full")
    holder: HolderOut | None = Field(description="Who it was handed to; null means the client product owner")


class HandoverIn(Input):
    kind: text(min_length=1, max_length=40)
    id: Id
    to_email: Email = Field(description="Email of the client member of the project who should answer it")
    note: text(max_length=NOTE_MAX) = ""


def _out(row: InboxRow) -> dict:
    return {
        "kind": row.kind,
        "id": row.id,
        "title": row.title,
        "project": row.project,
        "asked_by": row.asked_by,
        "due": row.due,
        "overdue": row.overdue,
        "cost_of_delay": row.cost_of_delay,
        "url": settings.SIGHTLINE_BASE_URL + row.url,
        "holder": {"id": row.holder_id, "name": row.holder_name} if row.holder_id else None,
    }


def _member_projects(user):
    return [m.project for m in Membership.objects.filter(user=user).select_related("project")]


@router.get(
    "/inbox",
    response={200: list[InboxRowOut], **ERRORS},
    operation_id="inbox_mine",
    summary="What waits for you, in all your projects",
)
def inbox_mine(request):
    """Open requests the caller must answer in all their projects, oldest due date first (undated last)."""
    return [_out(row) for row in inbox_rows(projects=_member_projects(request.auth), holder=request.auth)]


@router.get(
    "/projects/{key}/inbox",
    response={200: list[InboxRowOut], **ERRORS},
    operation_id="inbox_project",
    summary="What waits for you in one project",
)
def inbox_project(request, key: str):
    """Open requests the caller must answer in the project, oldest due date first."""
    project, _ = project_for(request, key)
    return [_out(row) for row in inbox_rows(projects=[project], holder=request.auth)]


@router.post(
    "/requests/handover",
    response={200: InboxRowOut, **ERRORS},
    operation_id="request_handover",
    summary="Hand a request to another client member",
)
def request_handover_endpoint(request, payload: HandoverIn):
    """Hand an open request (`kind` + `id`, as in the inbox) to another client member of its project, with an
    optional note; it moves to their inbox and the handover is audited. Allowed to the client product owner
    and to the person who holds the request; 404 when no open request of yours has that kind and id."""
    row = find_open_request(projects=_member_projects(request.auth), kind=payload.kind, request_id=payload.id)
    if row is None:
        raise Http404("No such open request.")
    membership = Membership.objects.select_related("project").get(user=request.auth, project__key=row.project)
    to_user = User.objects.filter(email__iexact=payload.to_email.strip()).first()
    if to_user is None:
        raise InvalidInput("Nobody with this email is a client member of the project.", field="to_email")
    try:
        request_handover(
            actor=request.auth, membership=membership, obj=row.obj, to_user=to_user, note=payload.note
        )
    except InvalidInput as exc:
        if exc.field == "to_user":
            raise InvalidInput(exc.message, field="to_email") from None
        raise
    moved = find_open_request(projects=[membership.project], kind=row.kind, request_id=row.id)
    return _out(moved or row)
