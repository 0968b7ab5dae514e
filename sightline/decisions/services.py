"""Writes to decision requests: ask the client, edit the question while it is open, answer, withdraw.

Every service checks the role, the state and the input before writing anything, runs in one
transaction, records audit events (on the decision and on each item it blocks or unblocks) and
notifies the people concerned (``messages``: who they are and what the request email says).
"""

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from sightline.audit.services import audit_record
from sightline.backlog.models import Item
from sightline.decisions.inputs import (
    COMMENT_MAX,
    OptionInput,
    check_holder,
    clean_decision,
    clean_due_date,
    clean_text,
)
from sightline.decisions.messages import agency_team, client_recipients, day_text, request_email
from sightline.decisions.models import DecisionOption, DecisionRequest, DecisionState
from sightline.decisions.policy import may_answer
from sightline.lib.errors import DomainError, InvalidInput, StaleVersion
from sightline.notifications.services import notify
from sightline.projects.models import Membership, Project, project_today
from sightline.projects.policy import require


class DecisionClosed(DomainError):
    """The decision is no longer open: it was answered or withdrawn (HTTP 409)."""

    status = 409


def _lock(decision: DecisionRequest) -> DecisionRequest:
    return (
        DecisionRequest.objects.select_for_update(of=("self",))
        .select_related("project", "created_by", "holder", "answered_by", "withdrawn_by", "answer_option")
        .get(pk=decision.pk)
    )


def _require_same_project(membership: Membership | None, decision: DecisionRequest) -> None:
    if membership is None or membership.project_id != decision.project_id:
        raise PermissionDenied("This decision belongs to another project.")


def _check_open(decision: DecisionRequest, doing: str) -> None:
    if decision.state == DecisionState.ANSWERED:
        who = decision.answered_by.display_name if decision.answered_by else "the client"
        when = timezone.localtime(decision.answered_at).strftime("%d %b %Y") if decision.answered_at else ""
        option = decision.answer_option  # set on every answered decision (a constraint of the model)
        chosen = f" (“{option.label}”)" if option is not None else ""
        raise DecisionClosed(
            f"{decision.reference} was already answered by {who}{' on ' + when if when else ''}"
            f"{chosen}: it can no longer {doing}.",
            field="state",
        )
    if decision.state == DecisionState.WITHDRAWN:
        raise DecisionClosed(
            f"{decision.reference} was withdrawn by the team: it can no longer {doing}.", field="state"
        )


def _check_version(decision: DecisionRequest, expected: int | None) -> None:
    if expected is not None and decision.version != expected:
        raise StaleVersion(
            f"{decision.reference} was changed by someone else since you read it (version "
            f"{decision.version}, yours {expected}). Read it again, then apply your change.",
            current_version=decision.version,
        )


def _next_number(project: Project) -> int:
    Project.objects.select_for_update().filter(pk=project.pk).values_list("pk", flat=True).first()
    last = DecisionRequest.objects.filter(project=project).aggregate(n=Max("number"))["n"]
    return (last or 0) + 1


def _block_events(actor, decision: DecisionRequest, items: Iterable[Item], action: str) -> None:
    verb = "Blocked by" if action == "item.blocked" else "No longer blocked by"
    for item in items:
        audit_record(
            actor=actor,
            project=decision.project,
            item=item,
            action=action,
            target=decision,
            note=f"{verb} decision {decision.reference}: {decision.question}"[:500],
        )


def _unblocked(decision: DecisionRequest, items: Iterable[Item]) -> list[Item]:
    """Of ``items``, those no other open decision blocks."""
    items = list(items)
    through = DecisionRequest.blocking_items.through
    still = set(
        through.objects.filter(item_id__in=[i.pk for i in items], decisionrequest__state=DecisionState.OPEN)
        .exclude(decisionrequest_id=decision.pk)
        .values_list("item_id", flat=True)
    )
    return [item for item in items if item.pk not in still]


def _write_options(decision: DecisionRequest, options: list[OptionInput], recommended: int | None) -> None:
    """Update the options in place by position (their ids stay), add or remove the rest."""
    existing = list(decision.options.order_by("position", "id"))
    kept: list[DecisionOption] = []
    for position, spec in enumerate(options):
        option = existing[position] if position < len(existing) else DecisionOption(decision=decision)
        option.position, option.label, option.pros = position, spec.label, spec.pros
        option.cons, option.effort = spec.cons, spec.effort
        option.save()
        kept.append(option)
    decision.recommended_option = kept[recommended] if recommended is not None else None
    decision.save(update_fields=["recommended_option"])
    DecisionOption.objects.filter(pk__in=[o.pk for o in existing[len(options) :]]).delete()


def _options_snapshot(decision: DecisionRequest) -> list[str]:
    return [
        f"{o.label}{' (recommended)' if o.pk == decision.recommended_option_id else ''}"
        for o in decision.options.order_by("position", "id")
    ]


@transaction.atomic
def decision_create(
    *,
    actor,
    membership: Membership,
    question: str,
    options: Sequence[OptionInput],
    due_date: date | None,
    context: str = "",
    recommendation_reason: str = "",
    cost_of_delay: str = "",
    blocking_item_keys: Iterable[str] = (),
    holder=None,
    today: date | None = None,
) -> DecisionRequest:
    """Ask the client to decide. ``today`` is the day it is asked (default: today where the project works)."""
    require(membership, "decision.request")
    project = membership.project
    data = clean_decision(
        project,
        question=question,
        context=context,
        options=options,
        recommendation_reason=recommendation_reason,
        cost_of_delay=cost_of_delay,
        blocking_item_keys=blocking_item_keys,
    )
    due_date = clean_due_date(due_date, today or project_today(project))
    check_holder(project, holder)
    decision = DecisionRequest.objects.create(
        project=project,
        number=_next_number(project),
        question=data.question,
        context=data.context,
        recommendation_reason=data.recommendation_reason,
        due_date=due_date,
        cost_of_delay=data.cost_of_delay,
        holder=holder,
        created_by=actor,
    )
    _write_options(decision, data.options, data.recommended)
    decision.blocking_items.set(data.items)
    audit_record(
        actor=actor,
        project=project,
        action="decision.requested",
        target=decision,
        changes={
            "question": [None, decision.question],
            "options": [None, _options_snapshot(decision)],
            "due_date": [None, due_date.isoformat()],
            "blocking_items": [None, [i.key for i in data.items]],
        },
    )
    _block_events(actor, decision, data.items, "item.blocked")
    notify(
        users=client_recipients(decision),
        project=project,
        kind="decision.requested",
        message=f"Decision {decision.reference} asked of you, by {day_text(due_date)}: {decision.question}",
        url=decision.get_absolute_url(),
        email_body=request_email(decision),
    )
    return decision


@transaction.atomic
def decision_update(
    *,
    actor,
    membership: Membership,
    decision: DecisionRequest,
    version: int | None,
    question: str,
    options: Sequence[OptionInput],
    due_date: date | None,
    context: str = "",
    recommendation_reason: str = "",
    cost_of_delay: str = "",
    blocking_item_keys: Iterable[str] = (),
    today: date | None = None,
) -> DecisionRequest:
    """Edit an open decision that nobody answered yet; its options keep their ids by position."""
    require(membership, "decision.request")
    decision = _lock(decision)
    _require_same_project(membership, decision)
    _check_open(decision, "be edited")
    _check_version(decision, version)
    project = decision.project
    data = clean_decision(
        project,
        question=question,
        context=context,
        options=options,
        recommendation_reason=recommendation_reason,
        cost_of_delay=cost_of_delay,
        blocking_item_keys=blocking_item_keys,
    )
    if due_date != decision.due_date:  # an unchanged date may have passed: the decision is then overdue
        due_date = clean_due_date(due_date, today or project_today(project))
    fields = ("question", "context", "recommendation_reason", "due_date", "cost_of_delay")
    before = {name: getattr(decision, name) for name in fields}
    before_options = _options_snapshot(decision)
    before_items = list(decision.blocking_items.all())
    decision.question, decision.context = data.question, data.context
    decision.recommendation_reason, decision.cost_of_delay = data.recommendation_reason, data.cost_of_delay
    decision.due_date = due_date
    _write_options(decision, data.options, data.recommended)
    changes: dict[str, list[Any]] = {
        name: [str(before[name]), str(getattr(decision, name))]
        for name in fields
        if before[name] != getattr(decision, name)
    }
    after_options = _options_snapshot(decision)
    if after_options != before_options:
        changes["options"] = [before_options, after_options]
    added = [i for i in data.items if i not in before_items]
    removed = [i for i in before_items if i not in data.items]
    if added or removed:
        decision.blocking_items.set(data.items)
        changes["blocking_items"] = [[i.key for i in before_items], [i.key for i in data.items]]
    if not changes:
        return decision
    decision.version += 1
    decision.save(update_fields=[*fields, "version", "updated_at"])
    audit_record(actor=actor, project=project, action="decision.updated", target=decision, changes=changes)
    _block_events(actor, decision, added, "item.blocked")
    _block_events(actor, decision, _unblocked(decision, removed), "item.unblocked")
    return decision


@transaction.atomic
def decision_answer(
    *,
    actor,
    membership: Membership,
    decision: DecisionRequest,
    option_id: int,
    comment: str = "",
    version: int | None = None,
) -> DecisionRequest:
    """The client chooses one of the options; the items the decision blocked are unblocked."""
    decision = _lock(decision)
    _require_same_project(membership, decision)
    if not may_answer(membership, decision):
        raise PermissionDenied(
            f"Only the client product owner, or the client member {decision.reference} was handed to, may "
            "answer it."
        )
    _check_open(decision, "be answered")
    _check_version(decision, version)
    option = decision.options.filter(pk=option_id).first() if isinstance(option_id, int) else None
    if option is None:
        labels = "; ".join(f"{o.pk}: {o.label}" for o in decision.options.all())
        raise InvalidInput(
            f"{option_id} is not an option of {decision.reference}; choose one of {labels}.", field="option"
        )
    comment = clean_text(comment, field="comment", label="Your comment", max_length=COMMENT_MAX)
    decision.state = DecisionState.ANSWERED
    decision.answer_option = option
    decision.answer_comment = comment
    decision.answered_by = actor
    decision.answered_at = timezone.now()
    decision.version += 1
    decision.save(
        update_fields=[
            "state",
            "answer_option",
            "answer_comment",
            "answered_by",
            "answered_at",
            "version",
            "updated_at",
        ]
    )
    audit_record(
        actor=actor,
        project=decision.project,
        action="decision.answered",
        target=decision,
        changes={"state": [DecisionState.OPEN, DecisionState.ANSWERED], "answer": [None, option.label]},
        note=comment[:500],
    )
    unblocked = _unblocked(decision, decision.blocking_items.all())
    _block_events(actor, decision, unblocked, "item.unblocked")
    body = [
        f"{actor.display_name} answered {decision.reference}: {decision.question}",
        "",
        f"Choice: {option.label}",
    ]
    if comment:
        body.append(f"Comment: {comment}")
    if unblocked:
        body.append(f"No longer blocked: {', '.join(i.key for i in unblocked)}.")
    notify(
        users=[u for u in [decision.created_by, *agency_team(decision.project_id)] if u is not None],
        project=decision.project,
        kind="decision.answered",
        message=f"{decision.reference} answered: “{option.label}” — {decision.question}",
        url=decision.get_absolute_url(),
        email_body="\n".join(body),
    )
    return decision


@transaction.atomic
def decision_withdraw(
    *,
    actor,
    membership: Membership,
    decision: DecisionRequest,
    reason: str = "",
    version: int | None = None,
) -> DecisionRequest:
    """The team no longer needs the answer; the items it blocked are unblocked."""
    require(membership, "decision.request")
    decision = _lock(decision)
    _require_same_project(membership, decision)
    _check_open(decision, "be withdrawn")
    _check_version(decision, version)
    reason = clean_text(reason, field="reason", label="The reason", max_length=COMMENT_MAX)
    recipients = client_recipients(decision)
    decision.state = DecisionState.WITHDRAWN
    decision.withdrawn_by = actor
    decision.withdrawn_at = timezone.now()
    decision.withdrawal_reason = reason
    decision.version += 1
    decision.save(
        update_fields=["state", "withdrawn_by", "withdrawn_at", "withdrawal_reason", "version", "updated_at"]
    )
    audit_record(
        actor=actor,
        project=decision.project,
        action="decision.withdrawn",
        target=decision,
        changes={"state": [DecisionState.OPEN, DecisionState.WITHDRAWN]},
        note=reason[:500],
    )
    _block_events(actor, decision, _unblocked(decision, decision.blocking_items.all()), "item.unblocked")
    notify(
        users=recipients,
        project=decision.project,
        kind="decision.withdrawn",
        message=f"{decision.reference} withdrawn, nothing to answer: {decision.question}",
        url=decision.get_absolute_url(),
        email_body=f"{actor.display_name} withdrew {decision.reference}: {decision.question}"
        + (f"\n\nWhy: {reason}" if reason else "\n\nThere is nothing for you to answer."),
    )
    return decision
