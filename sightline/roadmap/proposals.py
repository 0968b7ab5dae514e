"""What a proposed roadmap change records, checked per kind of change against the roadmap as it is now.

Each check takes the epic and release its kind needs (never None) and returns a ``Proposal``: the
summary the client PO reads and the roadmap objects and dates the change names.
"""

from dataclasses import dataclass
from datetime import date

from sightline.backlog.models import Epic
from sightline.lib.errors import InvalidInput
from sightline.projects.models import Project
from sightline.roadmap.models import ChangeKind, Release
from sightline.roadmap.services import (
    DESCRIPTION_MAX,
    clean_release_name,
    clean_text,
    day_text,
    require_target_date,
)


@dataclass(frozen=True)
class Proposal:
    """What a proposed change records about the roadmap: its summary and the releases, epic and dates
    it names. Fields a kind of change does not use stay empty."""

    summary: str
    epic: Epic | None = None
    release: Release | None = None
    from_release: Release | None = None
    new_target_date: date | None = None
    previous_target_date: date | None = None
    release_name: str = ""
    release_description: str = ""


def _chosen_epic(epic: Epic | None) -> Epic:
    if epic is None:
        raise InvalidInput("Choose the epic this change is about.", field="epic")
    return Epic.objects.select_related("release").get(pk=epic.pk)


def _chosen_release(kind: str, release: Release | None) -> Release:
    if release is None:
        raise InvalidInput(
            "Choose the release whose date changes."
            if kind == ChangeKind.CHANGE_DATE
            else "Choose the release the epic goes to.",
            field="release",
        )
    return release


def _release_left(epic: Epic) -> Release:
    """The release a removed or moved epic leaves: the one it is in now."""
    if epic.release is None:
        raise InvalidInput(
            f"“{epic.title}” is in no release yet: propose adding it to one instead.", field="epic"
        )
    return epic.release


def _add_epic(epic: Epic, release: Release) -> Proposal:
    if epic.release is not None:
        raise InvalidInput(
            f"“{epic.title}” is already in “{epic.release.name}”: propose moving it instead.", field="epic"
        )
    return Proposal(summary=f"Add “{epic.title}” to “{release.name}”", epic=epic, release=release)


def _remove_epic(epic: Epic) -> Proposal:
    leaves = _release_left(epic)
    return Proposal(summary=f"Take “{epic.title}” out of “{leaves.name}”", epic=epic, from_release=leaves)


def _move_epic(epic: Epic, release: Release) -> Proposal:
    leaves = _release_left(epic)
    if release.pk == leaves.pk:
        raise InvalidInput(f"“{epic.title}” is already in “{release.name}”.", field="release")
    return Proposal(
        summary=f"Move “{epic.title}” from “{leaves.name}” to “{release.name}”",
        epic=epic,
        release=release,
        from_release=leaves,
    )


def _change_date(project: Project, release: Release, new_target_date: date | None) -> Proposal:
    if new_target_date is None:
        raise InvalidInput("Give the new target date.", field="new_target_date")
    if new_target_date == release.target_date:
        raise InvalidInput(
            f"“{release.name}” already targets {day_text(new_target_date)}.", field="new_target_date"
        )
    require_target_date(project, new_target_date, field="new_target_date")
    previous = release.target_date
    return Proposal(
        summary=(
            f"Change the target date of “{release.name}” from {day_text(previous)} "
            f"to {day_text(new_target_date)}"
        ),
        release=release,
        new_target_date=new_target_date,
        previous_target_date=previous,
    )


def _add_release(project: Project, new_target_date: date | None, name: str, description: str) -> Proposal:
    require_target_date(project, new_target_date, field="new_target_date")
    name = clean_release_name(project, name, field="release_name")
    description = clean_text(description, field="release_description", maximum=DESCRIPTION_MAX)
    target = f"targeting {day_text(new_target_date)}" if new_target_date else "with no target date yet"
    return Proposal(
        summary=f"Add a release “{name}” {target}",
        new_target_date=new_target_date,
        release_name=name,
        release_description=description,
    )


def proposal_for(
    kind: str,
    project: Project,
    *,
    epic: Epic | None,
    release: Release | None,
    new_target_date: date | None,
    release_name: str,
    release_description: str,
) -> Proposal:
    """Check a change of ``kind`` against the roadmap as it is now and say what it records."""
    if kind == ChangeKind.ADD_RELEASE:
        return _add_release(project, new_target_date, release_name, release_description)
    if kind == ChangeKind.CHANGE_DATE:
        return _change_date(project, _chosen_release(kind, release), new_target_date)
    chosen = _chosen_epic(epic)
    if kind == ChangeKind.REMOVE_EPIC:
        return _remove_epic(chosen)
    target = _chosen_release(kind, release)
    if kind == ChangeKind.ADD_EPIC:
        return _add_epic(chosen, target)
    return _move_epic(chosen, target)
