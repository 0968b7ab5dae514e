"""Moving items through the workflow: the one place where its rules are enforced."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from sightline.audit.services import audit_record
from sightline.backlog.models import AcceptanceCriterion, AcceptanceDecision, Item, ItemType, Priority, Status
from sightline.backlog.selectors import active_sprint
from sightline.backlog.services import _lock, _save, check_version, require_same_project
from sightline.backlog.workflow import allowed_targets, definition_of_ready_gaps, required_permission
from sightline.feedback.services import feedback_item_progressed
from sightline.lib.errors import DomainError, IllegalTransition, InvalidInput
from sightline.notifications.services import notify
from sightline.projects.models import Membership, Role
from sightline.projects.policy import may, require

MIN_REJECTION_REASON = 10


def _check_transition(membership: Membership, item: Item, to: str) -> None:
    require_same_project(membership, item.project_id)
    if to not in Status.values:
        raise InvalidInput(f"Unknown state {to!r}; states are: {', '.join(Status.values)}.", field="to")
    perm = required_permission(item.status, to)
    if perm is None:
        allowed = allowed_targets(item.status)
        raise IllegalTransition(
            f"{item.key} cannot go from {item.status} to {to}; allowed next states: "
            f"{', '.join(allowed) if allowed else 'none'}.",
            allowed=allowed,
        )
    if perm == "item.accept" and may_give_verdict(membership, item):
        return
    require(membership, perm)


def may_give_verdict(membership: Membership | None, item: Item) -> bool:
    """Who may accept or reject a delivery: the client PO, a designated acceptor, or the client member
    the delivery was handed to."""
    if may(membership, "item.accept"):
        return True
    return (
        membership is not None
        and membership.is_client
        and item.acceptance_holder_id is not None
        and item.acceptance_holder_id == membership.user_id
    )


def _record(actor, item: Item, old: str, note: str = "", **extra) -> None:
    changes = {"status": [old, item.status], **{k: list(v) for k, v in extra.items()}}
    audit_record(
        actor=actor,
        project=item.project,
        item=item,
        action="item.transitioned",
        target=item,
        changes=changes,
        note=note,
    )


@transaction.atomic
def item_transition(
    *,
    actor,
    membership: Membership,
    item: Item,
    to: str,
    note: str = "",
    version: int | None = None,
    staging_url: str = "",
    sprint=None,
    scope_reason: str = "",
) -> Item:
    """Move ``item`` to state ``to``, enforcing the workflow, the role and the state's own rule."""
    item = _lock(item)
    check_version(item, version)
    _check_transition(membership, item, to)
    if to == Status.PLANNED:
        return _plan(actor=actor, membership=membership, item=item, sprint=sprint, scope_reason=scope_reason)
    if to == Status.DELIVERED:
        return _deliver(actor=actor, item=item, staging_url=staging_url, note=note)
    if to in (Status.ACCEPTED, Status.REJECTED):
        raise DomainError("Use accept or reject to give the client's verdict.", field="to")
    old = item.status
    fields = ["status"]
    if to == Status.READY:
        gaps = definition_of_ready_gaps(item, item.criteria.count(), item.project.estimate_unit)
        if gaps:
            raise DomainError(f"{item.key} is not ready: it needs {', '.join(gaps)}.", field="to")
    if to == Status.READY and old == Status.PLANNED:
        if item.sprint_id and item.sprint.state != "planned":
            raise DomainError(
                f"{item.key} is in {item.sprint}, which has started; it can no longer be "
                "taken out of it (it rolls over at close if not accepted).",
                field="to",
            )
        item.sprint = None
        fields.append("sprint")
    if to == Status.DRAFT and item.sprint_id and item.sprint.state == "planned":
        item.sprint = None
        fields.append("sprint")
    item.status = to
    _save(item, fields)
    _record(actor, item, old, note)
    return item


def _next_plannable_sprint(project):
    from sightline.sprints.models import Sprint, SprintState

    return Sprint.objects.filter(project=project, state=SprintState.PLANNED).order_by("number").first()


def sprint_entry_reason(*, item: Item, sprint, scope_reason: str) -> str:
    """Check that ``item`` may join ``sprint`` and return the scope-change reason, trimmed: a closed
    sprint takes nothing more, and a running one only a critical bug or an item with a reason."""
    from sightline.sprints.models import SprintState

    if sprint.project_id != item.project_id:
        raise InvalidInput("The sprint belongs to another project.", field="sprint")
    if sprint.state == SprintState.CLOSED:
        raise DomainError(f"{sprint} is closed.", field="sprint")
    scope_reason = (scope_reason or "").strip()
    if sprint.state == SprintState.ACTIVE:
        critical_bug = item.type == ItemType.BUG and item.priority == Priority.CRITICAL
        if not critical_bug and not scope_reason:
            raise InvalidInput(
                f"{sprint} is active: only critical bugs may join it without a reason. "
                "Give a scope-change reason.",
                field="scope_reason",
            )
    return scope_reason


def record_scope_change(*, actor, item: Item, sprint, scope_reason: str) -> None:
    """``item`` has just joined ``sprint``: when the sprint is running, that changes its scope."""
    from sightline.sprints.models import ScopeChange, SprintState

    if sprint.state != SprintState.ACTIVE:
        return
    ScopeChange.objects.create(sprint=sprint, item=item, actor=actor, reason=scope_reason or "Critical bug")
    audit_record(
        actor=actor,
        project=item.project,
        item=item,
        action="sprint.scope_changed",
        target=sprint,
        changes={"items": [None, item.key]},
        note=scope_reason or "Critical bug",
    )


def _plan(*, actor, membership, item: Item, sprint, scope_reason: str) -> Item:
    sprint = sprint or _next_plannable_sprint(item.project)
    if sprint is None:
        raise DomainError(
            "There is no planned sprint to add the item to; create the next sprint first.", field="sprint"
        )
    scope_reason = sprint_entry_reason(item=item, sprint=sprint, scope_reason=scope_reason)
    old = item.status
    item.status = Status.PLANNED
    item.sprint = sprint
    _save(item, ["status", "sprint"])
    _record(actor, item, old, scope_reason, sprint=[None, sprint.number])
    record_scope_change(actor=actor, item=item, sprint=sprint, scope_reason=scope_reason)
    feedback_item_progressed(item=item, event="scheduled")
    return item


def _deliver(*, actor, item: Item, staging_url: str, note: str) -> Item:
    staging_url, note = (staging_url or "").strip(), (note or "").strip()
    if not staging_url and not note:
        raise InvalidInput(
            "Say where the client can see it: a staging link or a release note.", field="staging_url"
        )
    old = item.status
    item.status = Status.DELIVERED
    item.staging_url = staging_url
    item.delivery_note = note
    item.delivered_at = timezone.now()
    _save(item, ["status", "staging_url", "delivery_note", "delivered_at"])
    _record(actor, item, old, note, staging_url=[None, staging_url])
    acceptors = [
        m.user
        for m in Membership.objects.filter(project=item.project).select_related("user")
        if m.role == Role.CLIENT_PO or (m.is_acceptor and m.is_client)
    ]
    notify(
        users=acceptors,
        project=item.project,
        kind="item.delivered",
        message=f"{item.key} is ready for your review on staging: {item.title}",
        url=reverse("acceptance:review", args=[item.project.key, item.key]),
        email_body=f"{item.key} {item.title} is on staging and waits for your acceptance.\n\n"
        f"Where: {staging_url or '(see note)'}\n{note}",
    )
    return item


@transaction.atomic
def item_verify(*, actor, membership: Membership, item: Item) -> Item:
    """A tester confirms the item works before it is delivered to the client."""
    require(membership, "item.verify")
    item = _lock(item)
    require_same_project(membership, item.project_id)
    if item.status not in (Status.IN_PROGRESS, Status.REJECTED):
        raise DomainError(
            f"Only work in progress can be verified; {item.key} is {item.status}.", field="status"
        )
    item.verified_at, item.verified_by = timezone.now(), actor
    _save(item, ["verified_at", "verified_by"])
    audit_record(
        actor=actor,
        project=item.project,
        item=item,
        action="item.verified",
        target=item,
        changes={"verified_at": [None, item.verified_at.isoformat()]},
    )
    return item


def _ticks(item: Item, met_ids: list[int] | None) -> list[dict]:
    criteria = list(item.criteria.all())
    known = {c.id for c in criteria}
    if met_ids is not None:
        unknown = set(met_ids) - known
        if unknown:
            raise InvalidInput(
                f"Unknown acceptance criteria for {item.key}: {sorted(unknown)}.", field="criteria"
            )
    met = known if met_ids is None else set(met_ids)
    for criterion in criteria:
        criterion.met = criterion.id in met
    AcceptanceCriterion.objects.bulk_update(criteria, ["met"])
    return [{"id": c.id, "text": c.text, "met": c.met} for c in criteria]


def _count_in_running_sprint(actor, item: Item) -> None:
    """Delivered work back in the backlog (its sprint closed with none after it) that the client accepts
    joins the sprint running now, so its points count in a sprint's velocity like any accepted work."""
    if item.sprint_id is not None:
        return
    running = active_sprint(item.project)
    if running is None:
        return
    item.sprint = running
    audit_record(
        actor=actor,
        project=item.project,
        item=item,
        action="item.carried_in",
        target=item,
        changes={"sprint": [None, running.number]},
        note=f"Accepted while sprint {running.number} runs: it counts in that sprint's velocity",
    )


@transaction.atomic
def item_accept(
    *, actor, membership: Membership, item: Item, criteria_met: list[int] | None = None, comment: str = ""
) -> Item:
    """The client accepts delivered work: it is Done. ``criteria_met`` lists the ticked criteria
    (all of them when omitted); every criterion must be met to accept."""
    item = _lock(item)
    _check_transition(membership, item, Status.ACCEPTED)
    ticks = _ticks(item, criteria_met)
    missing = [t["text"] for t in ticks if not t["met"]]
    if missing:
        shown = "; ".join(Truncator(text).chars(60) for text in missing)
        criteria = "criterion is" if len(missing) == 1 else "criteria are"
        raise DomainError(
            f"{len(missing)} acceptance {criteria} not ticked ({shown}). "
            "Tick them all to accept, or reject with a reason.",
            field="criteria",
        )
    old = item.status
    _count_in_running_sprint(actor, item)
    item.status, item.accepted_at, item.accepted_by = Status.ACCEPTED, timezone.now(), actor
    _save(item, ["status", "accepted_at", "accepted_by", "sprint"])
    AcceptanceDecision.objects.create(
        item=item,
        sprint=item.sprint,
        outcome="accepted",
        reason=comment,
        criteria_ticks=ticks,
        decided_by=actor,
    )
    _record(actor, item, old, comment, accepted_by=[None, actor.email])
    _tell_team(item, f"{item.key} was accepted by {actor.display_name}", "item.accepted")
    feedback_item_progressed(item=item, event="accepted")
    return item


@transaction.atomic
def item_reject(
    *, actor, membership: Membership, item: Item, reason: str, criteria_met: list[int] | None = None
) -> Item:
    """The client rejects delivered work with a reason; it goes back to the team."""
    item = _lock(item)
    _check_transition(membership, item, Status.REJECTED)
    reason = (reason or "").strip()
    if len(reason) < MIN_REJECTION_REASON:
        raise InvalidInput(
            f"A rejection needs a reason of at least {MIN_REJECTION_REASON} characters "
            "so the team knows what to fix.",
            field="reason",
        )
    ticks = _ticks(item, criteria_met if criteria_met is not None else [])
    old = item.status
    item.status, item.rejection_reason = Status.REJECTED, reason
    _save(item, ["status", "rejection_reason"])
    AcceptanceDecision.objects.create(
        item=item,
        sprint=item.sprint,
        outcome="rejected",
        reason=reason,
        criteria_ticks=ticks,
        decided_by=actor,
    )
    _record(actor, item, old, reason)
    _tell_team(item, f"{item.key} was rejected by {actor.display_name}: {reason}", "item.rejected")
    return item


def _tell_team(item: Item, message: str, kind: str) -> None:
    team = [
        m.user for m in Membership.objects.filter(project=item.project).select_related("user") if m.is_agency
    ]
    notify(
        users=team,
        project=item.project,
        kind=kind,
        message=message,
        url=reverse("backlog:item", args=[item.project.key, item.key]),
    )
