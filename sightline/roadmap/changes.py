"""Roadmap change requests: proposing a change, and the client approving, declining or withdrawing it.

On a project with a client PO the roadmap changes only through a change request that the client PO
(or the client member it was handed to) approves; approving applies it in the same transaction.
Adding a release is a roadmap change like the others. Direct edits, for projects without a client
PO, are in ``sightline.roadmap.services``.
"""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from sightline.audit.services import audit_record
from sightline.backlog.models import Epic
from sightline.backlog.services import require_same_project
from sightline.lib.errors import DomainError, InvalidInput
from sightline.notifications.services import notify
from sightline.projects.models import Membership, Project, Role
from sightline.projects.policy import denial_message, may, require
from sightline.roadmap.models import ChangeKind, ChangeState, Release, RoadmapChange
from sightline.roadmap.proposals import Proposal, proposal_for
from sightline.roadmap.services import (
    clean_text,
    day_text,
    has_client_po,
    iso_day,
    next_release_rank,
    require_in_project,
    require_not_past,
    set_epic_release,
)

NO_CLIENT_PO = "This project has no client PO to approve a change: the agency PO edits the roadmap directly."
RATIONALE_MAX = 4000
IMPACT_MAX = 2000
COMMENT_MAX = 4000


class ChangeConflict(DomainError):
    """The change was already decided or withdrawn, or the roadmap moved on since it was proposed."""

    status = 409


# --- who proposes and decides --------------------------------------------------------------------
def client_pos(project: Project):
    from sightline.accounts.models import User

    return User.objects.filter(
        memberships__project=project, memberships__role=Role.CLIENT_PO, is_active=True
    ).order_by("full_name", "email")


def may_decide(membership: Membership | None, change: RoadmapChange) -> bool:
    """The client PO, or the client member the change was handed to."""
    if membership is None or membership.project_id != change.project_id:
        return False
    if may(membership, "roadmap.decide"):
        return True
    return membership.is_client and change.holder_id is not None and change.holder_id == membership.user_id


def may_withdraw(membership: Membership | None, change: RoadmapChange) -> bool:
    """The person who proposed it, or the agency PO."""
    if membership is None or membership.project_id != change.project_id:
        return False
    if not may(membership, "roadmap.propose"):
        return False
    return membership.role == Role.AGENCY_PO or change.proposed_by_id == membership.user_id


# --- proposing ------------------------------------------------------------------------------------
def _require_proposable(project: Project, kind: str, epic: Epic | None, release: Release | None) -> None:
    if kind not in ChangeKind.values:
        raise InvalidInput(
            f"Unknown kind of change {kind!r}; expected one of: {', '.join(ChangeKind.values)}.", field="kind"
        )
    if not has_client_po(project):
        raise DomainError(NO_CLIENT_PO)
    require_in_project(epic, project, "epic", "epic")
    require_in_project(release, project, "release", "release")


def _reasons(project: Project, *, rationale: str, impact: str, due: date | None) -> tuple[str, str]:
    """The rationale and impact every proposal gives, and its answer-by date."""
    rationale = clean_text(
        rationale, field="rationale", maximum=RATIONALE_MAX, required="Say why the roadmap should change."
    )
    impact = clean_text(
        impact,
        field="impact",
        maximum=IMPACT_MAX,
        required="Say what this changes for the forecast or the scope, e.g. “Release 2 moves by about one "
        "sprint”.",
    )
    require_not_past(due, project, field="due", what="answer-by date")
    return rationale, impact


def _record(
    actor, project: Project, kind: str, proposal: Proposal, *, rationale: str, impact: str, due: date | None
) -> RoadmapChange:
    """Save the proposed change and its audit event."""
    change = RoadmapChange.objects.create(
        project=project,
        kind=kind,
        summary=proposal.summary[:400],
        epic=proposal.epic,
        release=proposal.release,
        from_release=proposal.from_release,
        new_target_date=proposal.new_target_date,
        previous_target_date=proposal.previous_target_date,
        release_name=proposal.release_name,
        release_description=proposal.release_description,
        rationale=rationale,
        impact=impact,
        due=due,
        proposed_by=actor,
    )
    audit_record(
        actor=actor,
        project=project,
        action="roadmap_change.proposed",
        target=change,
        changes={"state": [None, ChangeState.PROPOSED]},
        note=rationale[:200],
    )
    return change


def _tell_client_pos(change: RoadmapChange, actor, summary: str) -> None:
    project = change.project
    when = f"\nPlease answer by {day_text(change.due)}." if change.due else ""
    notify(
        users=client_pos(project),
        project=project,
        kind="roadmap_change.proposed",
        message=f"Roadmap change to approve: {summary}",
        url=reverse("roadmap:change", args=[project.key, change.pk]),
        email_body=(
            f"{actor.display_name} proposes a change to the roadmap of {project.name}:\n\n{summary}\n\n"
            f"Why: {change.rationale}\n\nImpact: {change.impact}\n{when}\n"
            "Nothing changes until you approve it."
        ),
    )


@transaction.atomic
def roadmap_change_propose(
    *,
    actor,
    membership: Membership,
    kind: str,
    rationale: str,
    impact: str,
    epic: Epic | None = None,
    release: Release | None = None,
    new_target_date: date | None = None,
    release_name: str = "",
    release_description: str = "",
    due: date | None = None,
) -> RoadmapChange:
    """Propose a change to the roadmap for the client PO to approve; nothing changes until then.

    ``release`` is where the epic goes (add, move) or the release to re-date (change_date); a
    removed or moved epic leaves the release it is in now.
    """
    require(membership, "roadmap.propose")
    project = membership.project
    _require_proposable(project, kind, epic, release)
    proposal = proposal_for(
        kind,
        project,
        epic=epic,
        release=release,
        new_target_date=new_target_date,
        release_name=release_name,
        release_description=release_description,
    )
    rationale, impact = _reasons(project, rationale=rationale, impact=impact, due=due)
    change = _record(actor, project, kind, proposal, rationale=rationale, impact=impact, due=due)
    _tell_client_pos(change, actor, proposal.summary)
    return change


# --- deciding -------------------------------------------------------------------------------------
def _lock(change: RoadmapChange) -> RoadmapChange:
    return (
        RoadmapChange.objects.select_for_update(of=("self",))
        .select_related("project", "proposed_by", "decided_by")
        .get(pk=change.pk)
    )


def _require_open(change: RoadmapChange) -> None:
    if change.state == ChangeState.PROPOSED:
        return
    who = change.decided_by.display_name if change.decided_by is not None else "someone"
    when = day_text(timezone.localdate(change.decided_at)) if change.decided_at else ""
    if change.state == ChangeState.WITHDRAWN:
        message = f"This change was withdrawn by {who} on {when}; there is nothing to decide."
    else:
        message = f"This change was already {change.get_state_display().lower()} by {who} on {when}."
    raise ChangeConflict(message, field="state")


def _require_decider(membership: Membership, change: RoadmapChange) -> None:
    require_same_project(membership, change.project_id)
    if not may_decide(membership, change):
        raise PermissionDenied(
            denial_message("roadmap.decide").removesuffix(".") + ", or the client member it was handed to."
        )


def _moved_on(message: str) -> ChangeConflict:
    return ChangeConflict(
        f"The roadmap changed since this was proposed: {message} Decline it and ask for a new proposal.",
        field="state",
    )


def _require_epic_unmoved(change: RoadmapChange, epic: Epic) -> None:
    """The epic is still where it was when the change was proposed."""
    now = epic.release
    if change.kind == ChangeKind.ADD_EPIC:
        if now is not None:
            raise _moved_on(f"“{epic.title}” is in “{now.name}” now.")
    elif change.from_release_id is None or epic.release_id != change.from_release_id:
        where = f"“{now.name}”" if now is not None else "no release"
        raise _moved_on(f"“{epic.title}” is in {where} now.")


def _apply_placement(change: RoadmapChange, actor, note: str) -> None:
    """Add, remove or move the epic."""
    if change.epic_id is None:
        raise _moved_on("its epic was deleted.")
    epic = (
        Epic.objects.select_for_update(of=("self",))
        .select_related("project", "release")
        .get(pk=change.epic_id)
    )
    _require_epic_unmoved(change, epic)
    if change.kind != ChangeKind.REMOVE_EPIC and change.release_id is None:
        raise _moved_on("the release it goes to was deleted.")
    target = None if change.kind == ChangeKind.REMOVE_EPIC else change.release
    set_epic_release(actor=actor, epic=epic, release=target, note=note)


def _apply_date(change: RoadmapChange, actor, note: str) -> None:
    if change.release_id is None:
        raise _moved_on("the release was deleted.")
    release = Release.objects.select_for_update().get(pk=change.release_id)
    change.previous_target_date = release.target_date
    release.target_date = change.new_target_date
    release.save(update_fields=["target_date"])
    audit_record(
        actor=actor,
        project=change.project,
        action="release.updated",
        target=release,
        changes={"target_date": [iso_day(change.previous_target_date), iso_day(change.new_target_date)]},
        note=note,
    )


def _apply_new_release(change: RoadmapChange, actor, note: str) -> None:
    project = change.project
    Project.objects.select_for_update().filter(pk=project.pk).first()
    if Release.objects.filter(project=project, name__iexact=change.release_name).exists():
        raise _moved_on(f"a release called “{change.release_name}” exists already.")
    release = Release.objects.create(
        project=project,
        name=change.release_name,
        target_date=change.new_target_date,
        description=change.release_description,
        rank=next_release_rank(project),
    )
    change.release = release
    audit_record(
        actor=actor,
        project=project,
        action="release.created",
        target=release,
        changes={"name": [None, change.release_name]},
        note=note,
    )


def _apply(change: RoadmapChange, actor) -> None:
    """Make the approved change on the roadmap (inside the approving transaction)."""
    note = f"Roadmap change #{change.pk} approved"
    if change.kind == ChangeKind.CHANGE_DATE:
        _apply_date(change, actor, note)
    elif change.kind == ChangeKind.ADD_RELEASE:
        _apply_new_release(change, actor, note)
    else:
        _apply_placement(change, actor, note)


def _decide(*, actor, change: RoadmapChange, state: str, comment: str) -> RoadmapChange:
    change.state = state
    change.decided_by = actor
    change.decided_at = timezone.now()
    change.decision_comment = comment
    change.save(
        update_fields=[
            "state",
            "decided_by",
            "decided_at",
            "decision_comment",
            "release",
            "previous_target_date",
        ]
    )
    audit_record(
        actor=actor,
        project=change.project,
        action=f"roadmap_change.{state}",
        target=change,
        changes={"state": [ChangeState.PROPOSED, state]},
        note=comment[:200],
    )
    return change


def _tell_proposer(change: RoadmapChange, actor) -> None:
    if change.proposed_by is None:
        return
    verdict = change.get_state_display().lower()
    comment = f"\n\nComment: {change.decision_comment}" if change.decision_comment else ""
    notify(
        users=[change.proposed_by],
        project=change.project,
        kind="roadmap_change.decided",
        message=f"{actor.display_name} {verdict} the roadmap change: {change.summary}",
        url=reverse("roadmap:change", args=[change.project.key, change.pk]),
        email_body=f"{actor.display_name} {verdict} the roadmap change:\n\n{change.summary}{comment}",
    )


@transaction.atomic
def roadmap_change_approve(
    *, actor, membership: Membership, change: RoadmapChange, comment: str = ""
) -> RoadmapChange:
    """Approve a proposed change and apply it to the roadmap, atomically."""
    change = _lock(change)
    _require_decider(membership, change)
    _require_open(change)
    comment = clean_text(comment, field="comment", maximum=COMMENT_MAX)
    _apply(change, actor)
    change = _decide(actor=actor, change=change, state=ChangeState.APPROVED, comment=comment)
    _tell_proposer(change, actor)
    return change


@transaction.atomic
def roadmap_change_decline(
    *, actor, membership: Membership, change: RoadmapChange, comment: str = ""
) -> RoadmapChange:
    """Decline a proposed change: the roadmap stays as it is; the change stays in the history."""
    change = _lock(change)
    _require_decider(membership, change)
    _require_open(change)
    comment = clean_text(comment, field="comment", maximum=COMMENT_MAX)
    change = _decide(actor=actor, change=change, state=ChangeState.DECLINED, comment=comment)
    _tell_proposer(change, actor)
    return change


@transaction.atomic
def roadmap_change_withdraw(*, actor, membership: Membership, change: RoadmapChange) -> RoadmapChange:
    """The proposer (or the agency PO) takes a change back before the client decides."""
    change = _lock(change)
    require_same_project(membership, change.project_id)
    require(membership, "roadmap.propose")
    if not may_withdraw(membership, change):
        raise PermissionDenied("Only the person who proposed this change, or the agency PO, may withdraw it.")
    _require_open(change)
    return _decide(actor=actor, change=change, state=ChangeState.WITHDRAWN, comment="")
