"""API: decision requests — ask the client, list, read, answer, withdraw."""

from datetime import date, datetime
from typing import Annotated, Literal

from django.http import Http404
from ninja import Field, Path, Query, Router, Status
from pydantic import BaseModel

from sightline.accounts.models import User
from sightline.api.access import project_for
from sightline.api.errors import ERRORS
from sightline.api.schemas import MAX_ID, Email, Input, text
from sightline.decisions import selectors
from sightline.decisions.inputs import COMMENT_MAX, CONTEXT_MAX, PROS_CONS_MAX, OptionInput
from sightline.decisions.models import (
    EFFORT_MAX,
    LABEL_MAX,
    MAX_OPTIONS,
    QUESTION_MAX,
    SENTENCE_MAX,
    DecisionRequest,
    DecisionState,
    project_today,
)
from sightline.decisions.services import decision_answer, decision_create, decision_withdraw
from sightline.lib.errors import InvalidInput
from sightline.projects.models import Membership
from sightline.projects.policy import get_project_for

router = Router(tags=["decisions"])

StateName = Literal[tuple(DecisionState.values)]  # type: ignore[valid-type]
DueDate = Annotated[date, Field(ge=date(2000, 1, 1), le=date(2100, 12, 31))]
DecisionId = Annotated[int, Path(ge=1, le=MAX_ID)]


class OptionIn(Input):
    label: text(max_length=LABEL_MAX)
    pros: text(max_length=PROS_CONS_MAX) = ""
    cons: text(max_length=PROS_CONS_MAX) = ""
    effort: text(max_length=EFFORT_MAX) = ""
    recommended: bool = Field(False, description="The option the agency recommends (one at most)")


class DecisionIn(Input):
    question: text(min_length=1, max_length=QUESTION_MAX)
    context: text(max_length=CONTEXT_MAX) = Field("", description="Markdown")
    options: Annotated[list[OptionIn], Field(max_length=MAX_OPTIONS + 5)] = Field(
        description="Two to five options"
    )
    recommendation_reason: text(max_length=SENTENCE_MAX) = ""
    due_date: DueDate = Field(description="Not in the past")
    cost_of_delay: text(max_length=SENTENCE_MAX) = Field(
        "", description="e.g. after 12 Mar this costs ~3 days"
    )
    blocking_items: Annotated[list[text(max_length=24)], Field(max_length=100)] = Field(
        [], description="Keys of the items it blocks until answered"
    )
    holder: Email | None = Field(
        None, description="Email of the client member asked (default: the client PO)"
    )


class AnswerIn(Input):
    option_id: Annotated[int, Field(ge=1, le=MAX_ID)]
    comment: text(max_length=COMMENT_MAX) = ""
    version: Annotated[int, Field(ge=1, le=2_147_483_647)] | None = Field(
        None, description="The version you read; a stale one → 409"
    )


class WithdrawIn(Input):
    reason: text(max_length=COMMENT_MAX) = ""
    version: Annotated[int, Field(ge=1, le=2_147_483_647)] | None = None


class OptionOut(BaseModel):
    id: int
    position: int
    label: str
    pros: str
    cons: str
    effort: str
    recommended: bool


class AnswerOut(BaseModel):
    option_id: int
    option: str
    comment: str
    answered_by: str
    answered_at: datetime


class DecisionOut(BaseModel):
    id: int
    number: int
    reference: str = Field(description="D-<number>, per project")
    project: str
    question: str
    context: str
    options: list[OptionOut]
    recommendation_reason: str
    due_date: date
    overdue: bool
    cost_of_delay: str
    blocking_items: list[str]
    state: StateName
    answer: AnswerOut | None
    withdrawn_at: datetime | None
    withdrawal_reason: str
    holder: str | None = Field(description="Email of the client member who holds it (null: the client PO)")
    created_by: str | None
    created_at: datetime
    version: int
    url: str


class DecisionFilter(Input):
    state: StateName | None = None


def decision_data(decision: DecisionRequest) -> dict:
    answer = None
    if decision.state == DecisionState.ANSWERED:
        answer = {
            "option_id": decision.answer_option_id,
            "option": decision.answer_option.label,
            "comment": decision.answer_comment,
            "answered_by": decision.answered_by.email if decision.answered_by else "",
            "answered_at": decision.answered_at,
        }
    return {
        "id": decision.pk,
        "number": decision.number,
        "reference": decision.reference,
        "project": decision.project.key,
        "question": decision.question,
        "context": decision.context,
        "options": [
            {
                "id": o.pk,
                "position": o.position,
                "label": o.label,
                "pros": o.pros,
                "cons": o.cons,
                "effort": o.effort,
                "recommended": o.pk == decision.recommended_option_id,
            }
            for o in decision.options.all()
        ],
        "recommendation_reason": decision.recommendation_reason,
        "due_date": decision.due_date,
        "overdue": decision.is_overdue_on(project_today(decision.project)),
        "cost_of_delay": decision.cost_of_delay,
        "blocking_items": [item.key for item in decision.blocking_items.all()],
        "state": decision.state,
        "answer": answer,
        "withdrawn_at": decision.withdrawn_at,
        "withdrawal_reason": decision.withdrawal_reason,
        "holder": decision.holder.email if decision.holder else None,
        "created_by": decision.created_by.email if decision.created_by else None,
        "created_at": decision.created_at,
        "version": decision.version,
        "url": decision.get_absolute_url(),
    }


def _fresh(decision: DecisionRequest) -> dict:
    return decision_data(selectors.decision_by_id(decision.pk))


def _decision_for(request, decision_id: int) -> tuple[DecisionRequest, Membership]:
    """The decision with the caller's membership; the same 404 for outsiders and for ids that do not exist."""
    decision = selectors.decision_by_id(decision_id)
    try:
        _, membership = get_project_for(request.auth, decision.project.key, "decision.view")
    except Http404:
        raise Http404("No such decision.") from None
    return decision, membership


def _holder(project, email: str | None):
    if not email:
        return None
    user = User.objects.filter(email__iexact=email.strip(), memberships__project=project).first()
    if user is None:
        raise InvalidInput(f"{email} is not a member of {project.key}.", field="holder")
    return user


@router.get(
    "/projects/{key}/decisions",
    response={200: list[DecisionOut], **ERRORS},
    operation_id="decision_list",
    summary="List a project's decisions",
)
def decision_list(request, key: str, filters: Query[DecisionFilter]):
    """Open decisions first (soonest due first), then answered and withdrawn ones, latest first."""
    project, _ = project_for(request, key, "decision.view")
    return [decision_data(d) for d in selectors.project_decisions(project, state=filters.state or "")]


@router.post(
    "/projects/{key}/decisions",
    response={201: DecisionOut, **ERRORS},
    operation_id="decision_create",
    summary="Ask the client to decide",
)
def decision_create_endpoint(request, key: str, payload: DecisionIn):
    """Ask a question with two to five options (agency roles). The client is notified."""
    project, membership = project_for(request, key, "decision.request")
    decision = decision_create(
        actor=request.auth,
        membership=membership,
        question=payload.question,
        context=payload.context,
        options=[OptionInput(**option.model_dump()) for option in payload.options],
        recommendation_reason=payload.recommendation_reason,
        due_date=payload.due_date,
        cost_of_delay=payload.cost_of_delay,
        blocking_item_keys=payload.blocking_items,
        holder=_holder(project, payload.holder),
    )
    return Status(201, _fresh(decision))


@router.get(
    "/decisions/{decision_id}",
    response={200: DecisionOut, **ERRORS},
    operation_id="decision_detail",
    summary="Read a decision",
)
def decision_detail(request, decision_id: DecisionId):
    decision, _ = _decision_for(request, decision_id)
    return decision_data(decision)


@router.post(
    "/decisions/{decision_id}/answer",
    response={200: DecisionOut, **ERRORS},
    operation_id="decision_answer",
    summary="Answer a decision",
)
def decision_answer_endpoint(request, decision_id: DecisionId, payload: AnswerIn):
    """Choose one option (the client PO, or the client member it was handed to). Answering twice or a
    withdrawn decision → 409; an option of another decision → 422."""
    decision, membership = _decision_for(request, decision_id)
    decision = decision_answer(
        actor=request.auth,
        membership=membership,
        decision=decision,
        option_id=payload.option_id,
        comment=payload.comment,
        version=payload.version,
    )
    return _fresh(decision)


@router.post(
    "/decisions/{decision_id}/withdraw",
    response={200: DecisionOut, **ERRORS},
    operation_id="decision_withdraw",
    summary="Withdraw a decision",
)
def decision_withdraw_endpoint(request, decision_id: DecisionId, payload: WithdrawIn):
    """The team no longer needs the answer (agency roles); only an open decision can be withdrawn."""
    decision, membership = _decision_for(request, decision_id)
    decision = decision_withdraw(
        actor=request.auth,
        membership=membership,
        decision=decision,
        reason=payload.reason,
        version=payload.version,
    )
    return _fresh(decision)
