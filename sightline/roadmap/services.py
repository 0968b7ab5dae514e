"""Writes to the roadmap: releases and placing epics in them directly, and the checks these share with
the change requests (``sightline.roadmap.changes``).

The rule: on a project with a client PO the roadmap changes only through a change request that the
client PO (or the client member it was handed to) approves. Direct edits are for projects without a
client PO, by the agency PO; on a project with a client PO they are refused with a message pointing to
the change request (HTTP 400 for the agency PO, 403 for the developers and testers).
"""

from datetime import date

from django.db import transaction
from django.utils.formats import date_format

from sightline.audit.services import audit_record
from sightline.backlog import ranking
from sightline.backlog.models import Epic
from sightline.backlog.services import require_same_project
from sightline.lib.errors import DomainError, InvalidInput
from sightline.projects.models import Membership, Project, Role, project_today
from sightline.projects.policy import may, require
from sightline.roadmap.models import RELEASE_NAME_MAX, Release

DIRECT_EDIT_REFUSED = (
    "Propose a change instead: the client PO approves roadmap changes on this project, "
    "so releases and the epics in them change only through an approved change request."
)
DESCRIPTION_MAX = 4000


# --- shared checks -----------------------------------------------------------------------------
def has_client_po(project: Project) -> bool:
    return Membership.objects.filter(project=project, role=Role.CLIENT_PO, user__is_active=True).exists()


def day_text(value: date | None) -> str:
    return date_format(value, "j M Y") if value else "no date"


def iso_day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def clean_text(value: str, *, field: str, maximum: int, required: str = "") -> str:
    value = (value or "").strip()
    if required and not value:
        raise InvalidInput(required, field=field)
    if len(value) > maximum:
        raise InvalidInput(f"At most {maximum} characters, please (this has {len(value)}).", field=field)
    return value


def require_not_past(value: date | None, project: Project, *, field: str, what: str) -> None:
    if value is not None and value < project_today(project):
        raise InvalidInput(
            f"The {what} {day_text(value)} is in the past; choose today or later.", field=field
        )


def require_target_date(project: Project, value: date | None, *, field: str) -> None:
    """A release's target date: today or later, and never before the engagement starts."""
    require_not_past(value, project, field=field, what="target date")
    start = project.start_date
    if value is not None and start is not None and value < start:
        raise InvalidInput(
            f"The target date {day_text(value)} is before the engagement starts ({day_text(start)}); "
            f"choose {day_text(start)} or later.",
            field=field,
        )


def clean_release_name(
    project: Project, name: str, *, field: str = "name", exclude: int | None = None
) -> str:
    name = clean_text(name, field=field, maximum=RELEASE_NAME_MAX, required="Give the release a name.")
    taken = Release.objects.filter(project=project, name__iexact=name)
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    if taken.exists():
        raise InvalidInput(f"{project.key} already has a release called “{name}”.", field=field)
    return name


def require_in_project(obj: Epic | Release | None, project: Project, field: str, what: str) -> None:
    if obj is not None and obj.project_id != project.pk:
        raise InvalidInput(f"That {what} belongs to another project.", field=field)


def next_release_rank(project: Project) -> int:
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


def set_epic_release(*, actor, epic: Epic, release: Release | None, note: str) -> None:
    """Put ``epic`` in ``release`` (None: unscheduled) and record it; the caller has checked the rule."""
    before = epic.release.name if epic.release is not None else None
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
    name = clean_release_name(project, name)
    require_target_date(project, target_date, field="target_date")
    description = clean_text(description, field="description", maximum=DESCRIPTION_MAX)
    release = Release.objects.create(
        project=project,
        name=name,
        target_date=target_date,
        description=description,
        rank=next_release_rank(project),
    )
    audit_record(
        actor=actor,
        project=project,
        action="release.created",
        target=release,
        changes={"name": [None, name], "target_date": [None, iso_day(target_date)]},
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
    name = clean_release_name(release.project, name, exclude=release.pk)
    if target_date != release.target_date:
        require_target_date(release.project, target_date, field="target_date")
    description = clean_text(description, field="description", maximum=DESCRIPTION_MAX)
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
    require_in_project(release, epic.project, "release", "release")
    if epic.release_id != (release.pk if release else None):
        set_epic_release(actor=actor, epic=epic, release=release, note="Placed directly by the agency PO")
    return epic
