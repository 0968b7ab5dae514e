"""Writes to the roadmap: releases, placing epics in them, and roadmap change requests.

The rule: on a project with a client PO the roadmap changes only through a change request that the
client PO (or the client member it was handed to) approves; approving applies it in the same
transaction. Direct edits are for projects without a client PO, by the agency PO; on a project with a
client PO they are refused with a message pointing to the change request (HTTP 400 for the agency PO,
403 for the developers and testers). Adding a release is a roadmap change like the others.
"""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from sightline.audit.services import audit_record
from sightline.backlog import ranking
from sightline.backlog.models import Epic
from sightline.backlog.services import require_same_project
from sightline.decisions.models import project_today
from sightline.lib.errors import DomainError, InvalidInput
from sightline.notifications.services import notify
from sightline.projects.models import Membership, Project, Role
from sightline.projects.policy import denial_message, may, require
from sightline.roadmap.models import RELEASE_NAME_MAX, ChangeKind, ChangeState, Release, RoadmapChange

DIRECT_EDIT_REFUSED = (
    "Propose a change instead: the client PO approves roadmap changes on this project, "
    "so releases and the epics in them change only through an approved change request."
)
NO_CLIENT_PO = "This project has no client PO to approve a change: the agency PO edits the roadmap directly."
RATIONALE_MAX = 4000
IMPACT_MAX = 2000
COMMENT_MAX = 4000
DESCRIPTION_MAX = 4000


class ChangeConflict(DomainError):
    """The change was already decided or withdrawn, or the roadmap moved on since it was proposed."""

    status = 409


# --- helpers ----------------------------------------------------------------------------------
def has_client_po(project: Project) -> bool:
    return Membership.objects.filter(project=project, role=Role.CLIENT_PO, user__is_active=True).exists()


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


def _day(value: date | None) -> str:
    return date_format(value, "j M Y") if value else "no date"


def _text(value: str, *, field: str, maximum: int, required: str = "") -> str:
    value = (value or "").strip()
    if required and not value:
        raise InvalidInput(required, field=field)
    if len(value) > maximum:
        raise InvalidInput(f"At most {maximum} characters, please (this has {len(value)}).", field=field)
    return value


def _not_past(value: date | None, project: Project, *, field: str, what: str) -> None:
    if value is not None and value < project_today(project):
        raise InvalidInput(f"The {what} {_day(value)} is in the past; choose today or later.", field=field)


def _target_date(project: Project, value: date | None, *, field: str) -> None:
    """A release's target date: today or later, and never before the engagement starts."""
    _not_past(value, project, field=field, what="target date")
    start = project.start_date
    if value is not None and start is not None and value < start:
        raise InvalidInput(
            f"The target date {_day(value)} is before the engagement starts ({_day(start)}); "
            f"choose {_day(start)} or later.",
            field=field,
        )


def _release_name(project: Project, name: str, *, field: str = "name", exclude: int | None = None) -> str:
    name = _text(name, field=field, maximum=RELEASE_NAME_MAX, required="Give the release a name.")
    taken = Release.objects.filter(project=project, name__iexact=name)
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    if taken.exists():
        raise InvalidInput(f"{project.key} already has a release called “{name}”.", field=field)
    return name


def _own(obj, project: Project, field: str, what: str):
    if obj is not None and obj.project_id != project.pk:
        raise InvalidInput(f"That {what} belongs to another project.", field=field)
    return obj


def _next_rank(project: Project) -> int:
    last = Release.objects.filter(project=project).order_by("-rank").values_list("rank", flat=True).first()
    return (last or 0) + ranking.GAP


class DirectEditRefused(DomainError):
    """A direct edit on a project whose client PO approves roadmap changes: propose a change instead.
    HTTP 400 for the agency PO (who edits directly on projects without a client PO), 403 for the other
    agency roles (who never edit directly), with the same pointer to the change request."""

    def __init__(self, *, may_edit: bool):
        super().__init__(DIRECT_EDIT_REFUSED)
        self.status = 400 if may_edit else 403


def require_direct_edit(membership: Membership) -> None:
    """Direct edits are the agency PO's, on a project without a client PO; with a client PO, every agency
    role is pointed to the change request instead."""
    if membership.is_agency and has_client_po(membership.project):
        raise DirectEditRefused(may_edit=may(membership, "roadmap.edit"))
    require(membership, "roadmap.edit")


def _set_release(*, actor, epic: Epic, release: Release | None, note: str) -> None:
    before = epic.release.name if epic.release_id else None
    epic.release = release
    epic.save(update_fields=["release"])
    audit_record(
        actor=actor,
        project=epic.project,
        action="epic.release_changed",
        target=epic,
        changes={"release": [before, release.name if release else None]},
        note=note,
    )


# --- direct edits (projects without a client PO) ----------------------------------------------
@transaction.atomic
def release_create(
    *, actor, membership: Membership, name: str, target_date: date | None = None, description: str = ""
) -> Release:
    require_direct_edit(membership)
    project = membership.project
    Project.objects.select_for_update().filter(pk=project.pk).first()
    name = _release_name(project, name)
    _target_date(project, target_date, field="target_date")
    description = _text(description, field="description", maximum=DESCRIPTION_MAX)
    release = Release.objects.create(
        project=project, name=name, target_date=target_date, description=description, rank=_next_rank(project)
    )
    audit_record(
        actor=actor,
        project=project,
        action="release.created",
        target=release,
        changes={
            "name": [None, name],
            "target_date": [None, target_date.isoformat() if target_date else None],
        },
    )
    return release


@transaction.atomic
def release_update(
    *,
    actor,
    membership: Membership,
    release: Release,
    name: str,
    target_date: date | None,
    description: str = "",
) -> Release:
    require_direct_edit(membership)
    release = Release.objects.select_for_update().get(pk=release.pk)
    require_same_project(membership, release.project_id)
    name = _release_name(release.project, name, exclude=release.pk)
    if target_date != release.target_date:
        _target_date(release.project, target_date, field="target_date")
    description = _text(description, field="description", maximum=DESCRIPTION_MAX)
    before = {"name": release.name, "target_date": release.target_date, "description": release.description}
    after = {"name": name, "target_date": target_date, "description": description}
    changes = {
        field: [str(old) if old else old, str(after[field]) if after[field] else after[field]]
        for field, old in before.items()
        if old != after[field]
    }
    if changes:
        release.name, release.target_date, release.description = name, target_date, description
        release.save(update_fields=["name", "target_date", "description"])
        audit_record(
            actor=actor, project=release.project, action="release.updated", target=release, changes=changes
        )
    return release


@transaction.atomic
def epic_place(*, actor, membership: Membership, epic: Epic, release: Release | None) -> Epic:
    """Put ``epic`` in ``release`` (None: unscheduled) directly."""
    require_direct_edit(membership)
    epic = Epic.objects.select_for_update(of=("self",)).select_related("project", "release").get(pk=epic.pk)
    require_same_project(membership, epic.project_id)
    _own(release, epic.project, "release", "release")
    if epic.release_id != (release.pk if release else None):
        _set_release(actor=actor, epic=epic, release=release, note="Placed directly by the agency PO")
    return epic


# --- change requests ---------------------------------------------------------------------------
def _describe(
    kind: str, *, epic, release, from_release, new_target_date, previous_target_date, release_name
) -> str:
    if kind == ChangeKind.ADD_EPIC:
        return f"Add “{epic.title}” to “{release.name}”"
    if kind == ChangeKind.REMOVE_EPIC:
        return f"Take “{epic.title}” out of “{from_release.name}”"
    if kind == ChangeKind.MOVE_EPIC:
        return f"Move “{epic.title}” from “{from_release.name}” to “{release.name}”"
    if kind == ChangeKind.CHANGE_DATE:
        return (
            f"Change the target date of “{release.name}” from {_day(previous_target_date)} "
            f"to {_day(new_target_date)}"
        )
    target = f"targeting {_day(new_target_date)}" if new_target_date else "with no target date yet"
    return f"Add a release “{release_name}” {target}"


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
    if kind not in ChangeKind.values:
        raise InvalidInput(
            f"Unknown kind of change {kind!r}; expected one of: {', '.join(ChangeKind.values)}.", field="kind"
        )
    if not has_client_po(project):
        raise DomainError(NO_CLIENT_PO)
    _own(epic, project, "epic", "epic")
    _own(release, project, "release", "release")
    if epic is not None:
        epic = Epic.objects.select_related("release").get(pk=epic.pk)
    from_release, previous_target_date = None, None
    if kind in (ChangeKind.ADD_EPIC, ChangeKind.REMOVE_EPIC, ChangeKind.MOVE_EPIC) and epic is None:
        raise InvalidInput("Choose the epic this change is about.", field="epic")
    if kind in (ChangeKind.ADD_EPIC, ChangeKind.MOVE_EPIC, ChangeKind.CHANGE_DATE) and release is None:
        raise InvalidInput(
            "Choose the release whose date changes."
            if kind == ChangeKind.CHANGE_DATE
            else "Choose the release the epic goes to.",
            field="release",
        )
    if kind == ChangeKind.ADD_EPIC and epic.release_id is not None:
        raise InvalidInput(
            f"“{epic.title}” is already in “{epic.release.name}”: propose moving it instead.", field="epic"
        )
    if kind in (ChangeKind.REMOVE_EPIC, ChangeKind.MOVE_EPIC):
        if epic.release_id is None:
            raise InvalidInput(
                f"“{epic.title}” is in no release yet: propose adding it to one instead.", field="epic"
            )
        from_release = epic.release
    if kind == ChangeKind.MOVE_EPIC and release.pk == epic.release_id:
        raise InvalidInput(f"“{epic.title}” is already in “{release.name}”.", field="release")
    if kind == ChangeKind.CHANGE_DATE:
        if new_target_date is None:
            raise InvalidInput("Give the new target date.", field="new_target_date")
        if new_target_date == release.target_date:
            raise InvalidInput(
                f"“{release.name}” already targets {_day(new_target_date)}.", field="new_target_date"
            )
        previous_target_date = release.target_date
    if kind in (ChangeKind.CHANGE_DATE, ChangeKind.ADD_RELEASE):
        _target_date(project, new_target_date, field="new_target_date")
    if kind == ChangeKind.ADD_RELEASE:
        release_name = _release_name(project, release_name, field="release_name")
        release_description = _text(release_description, field="release_description", maximum=DESCRIPTION_MAX)
        epic = release = None
    elif kind == ChangeKind.CHANGE_DATE:
        epic = None
    if kind == ChangeKind.REMOVE_EPIC:
        release = None
    rationale = _text(
        rationale, field="rationale", maximum=RATIONALE_MAX, required="Say why the roadmap should change."
    )
    impact = _text(
        impact,
        field="impact",
        maximum=IMPACT_MAX,
        required="Say what this changes for the forecast or the scope, e.g. “Release 2 moves by about one "
        "sprint”.",
    )
    _not_past(due, project, field="due", what="answer-by date")
    summary = _describe(
        kind,
        epic=epic,
        release=release,
        from_release=from_release,
        new_target_date=new_target_date,
        previous_target_date=previous_target_date,
        release_name=release_name if kind == ChangeKind.ADD_RELEASE else "",
    )
    change = RoadmapChange.objects.create(
        project=project,
        kind=kind,
        summary=summary[:400],
        epic=epic,
        release=release,
        from_release=from_release,
        new_target_date=new_target_date if kind in (ChangeKind.CHANGE_DATE, ChangeKind.ADD_RELEASE) else None,
        previous_target_date=previous_target_date,
        release_name=release_name if kind == ChangeKind.ADD_RELEASE else "",
        release_description=release_description if kind == ChangeKind.ADD_RELEASE else "",
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
    url = reverse("roadmap:change", args=[project.key, change.pk])
    when = f"\nPlease answer by {_day(due)}." if due else ""
    notify(
        users=client_pos(project),
        project=project,
        kind="roadmap_change.proposed",
        message=f"Roadmap change to approve: {summary}",
        url=url,
        email_body=(
            f"{actor.display_name} proposes a change to the roadmap of {project.name}:\n\n{summary}\n\n"
            f"Why: {rationale}\n\nImpact: {impact}\n{when}\nNothing changes until you approve it."
        ),
    )
    return change


def _lock(change: RoadmapChange) -> RoadmapChange:
    return (
        RoadmapChange.objects.select_for_update(of=("self",))
        .select_related("project", "proposed_by", "decided_by")
        .get(pk=change.pk)
    )


def _require_open(change: RoadmapChange) -> None:
    if change.state == ChangeState.PROPOSED:
        return
    who = change.decided_by.display_name if change.decided_by_id else "someone"
    when = _day(timezone.localdate(change.decided_at)) if change.decided_at else ""
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


def _apply(change: RoadmapChange, actor) -> None:
    """Make the approved change on the roadmap (inside the approving transaction)."""
    note = f"Roadmap change #{change.pk} approved"
    project = change.project
    if change.kind in (ChangeKind.ADD_EPIC, ChangeKind.REMOVE_EPIC, ChangeKind.MOVE_EPIC):
        if change.epic_id is None:
            raise _moved_on("its epic was deleted.")
        epic = (
            Epic.objects.select_for_update(of=("self",))
            .select_related("project", "release")
            .get(pk=change.epic_id)
        )
        if change.kind == ChangeKind.ADD_EPIC and epic.release_id is not None:
            raise _moved_on(f"“{epic.title}” is in “{epic.release.name}” now.")
        if change.kind != ChangeKind.ADD_EPIC and (
            change.from_release_id is None or epic.release_id != change.from_release_id
        ):
            where = f"“{epic.release.name}”" if epic.release_id else "no release"
            raise _moved_on(f"“{epic.title}” is in {where} now.")
        if change.kind != ChangeKind.REMOVE_EPIC and change.release_id is None:
            raise _moved_on("the release it goes to was deleted.")
        target = None if change.kind == ChangeKind.REMOVE_EPIC else change.release
        _set_release(actor=actor, epic=epic, release=target, note=note)
    elif change.kind == ChangeKind.CHANGE_DATE:
        if change.release_id is None:
            raise _moved_on("the release was deleted.")
        release = Release.objects.select_for_update().get(pk=change.release_id)
        change.previous_target_date = release.target_date
        release.target_date = change.new_target_date
        release.save(update_fields=["target_date"])
        audit_record(
            actor=actor,
            project=project,
            action="release.updated",
            target=release,
            changes={
                "target_date": [
                    change.previous_target_date.isoformat() if change.previous_target_date else None,
                    change.new_target_date.isoformat(),
                ]
            },
            note=note,
        )
    else:
        Project.objects.select_for_update().filter(pk=project.pk).first()
        if Release.objects.filter(project=project, name__iexact=change.release_name).exists():
            raise _moved_on(f"a release called “{change.release_name}” exists already.")
        change.release = Release.objects.create(
            project=project,
            name=change.release_name,
            target_date=change.new_target_date,
            description=change.release_description,
            rank=_next_rank(project),
        )
        audit_record(
            actor=actor,
            project=project,
            action="release.created",
            target=change.release,
            changes={"name": [None, change.release_name]},
            note=note,
        )


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
    comment = _text(comment, field="comment", maximum=COMMENT_MAX)
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
    comment = _text(comment, field="comment", maximum=COMMENT_MAX)
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
