"""Reading the roadmap: releases in date order with their epics' progress, unscheduled epics, changes."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.http import Http404

from sightline.backlog.models import Epic
from sightline.backlog.selectors import EpicSummary, epic_summaries
from sightline.projects.models import Project, project_today
from sightline.roadmap.models import ChangeKind, Release, RoadmapChange


@dataclass
class ReleaseColumn:
    release: Release
    epics: list[EpicSummary] = field(default_factory=list)
    today: date | None = None

    @property
    def items(self) -> int:
        return sum(s.total for s in self.epics)

    @property
    def points(self) -> Decimal:
        return sum((s.points for s in self.epics), Decimal(0))

    @property
    def done_points(self) -> Decimal:
        return sum((s.accepted_points for s in self.epics), Decimal(0))

    @property
    def is_done(self) -> bool:
        return bool(self.epics) and self.points > 0 and self.done_points >= self.points

    @property
    def is_late(self) -> bool:
        target = self.release.target_date
        return target is not None and self.today is not None and target < self.today and not self.is_done

    @property
    def when(self) -> str:
        return relative_day(self.release.target_date, self.today) if self.release.target_date else ""


@dataclass
class Roadmap:
    releases: list[ReleaseColumn]
    unscheduled: list[EpicSummary]
    open_changes: list[RoadmapChange]
    history: list[RoadmapChange]
    pending_epics: set[int]
    pending_releases: set[int]

    @property
    def epic_count(self) -> int:
        return sum(len(c.epics) for c in self.releases) + len(self.unscheduled)


def relative_day(day: date, today: date) -> str:
    """“today”, “in 3 days”, “in 5 weeks”, “2 weeks ago”: how far ``day`` is, in plain words."""
    days = (day - today).days
    if days == 0:
        return "today"
    span = abs(days)
    if span == 1:
        words = "1 day"
    elif span < 14:
        words = f"{span} days"
    elif span < 61:
        words = f"{round(span / 7)} weeks"
    else:
        months = round(span / 30.4)
        words = f"{months} months"
    return f"in {words}" if days > 0 else f"{words} ago"


def roadmap_for(project: Project, *, today: date | None = None) -> Roadmap:
    """The whole roadmap page in a fixed number of queries, whatever its size."""
    today = today or project_today(project)
    releases = list(Release.objects.filter(project=project).in_timeline_order())
    columns = {r.pk: ReleaseColumn(release=r, today=today) for r in releases}
    unscheduled = []
    for summary in epic_summaries(project):  # epics in rank order
        column = columns.get(summary.epic.release_id)
        (column.epics if column is not None else unscheduled).append(summary)
    changes = list(RoadmapChange.objects.filter(project=project).with_people())
    open_changes = sorted(
        (c for c in changes if c.is_open), key=lambda c: (c.due is None, c.due or today, c.proposed_at)
    )
    pending_epics = {c.epic_id for c in open_changes if c.epic_id}
    pending_releases = {
        c.release_id for c in open_changes if c.release_id and c.kind == ChangeKind.CHANGE_DATE
    }
    return Roadmap(
        releases=[columns[r.pk] for r in releases],
        unscheduled=unscheduled,
        open_changes=open_changes,
        history=[c for c in changes if not c.is_open],
        pending_epics=pending_epics,
        pending_releases=pending_releases,
    )


def get_change(project: Project, change_id: int) -> RoadmapChange:
    change = RoadmapChange.objects.with_people().filter(project=project, pk=change_id).first()
    if change is None:
        raise Http404("No such roadmap change.")
    return change


def get_release(project: Project, release_id: int) -> Release:
    release = Release.objects.filter(project=project, pk=release_id).first()
    if release is None:
        raise Http404("No such release.")
    return release


def get_epic(project: Project, epic_id: int) -> Epic:
    epic = Epic.objects.filter(project=project, pk=epic_id).select_related("release").first()
    if epic is None:
        raise Http404("No such epic.")
    return epic
