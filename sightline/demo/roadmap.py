"""The demo's roadmap: ACME's two releases, agreed with the client at kick-off through change requests,
a change the client declined three weeks ago, and one waiting for the client's approval now.

Built through the roadmap services like everything else in the demo; the times of day are those the
steps are meant to have happened at (see ``Clock`` in ``clock.py``).
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.formats import date_format

from sightline.backlog.models import Epic
from sightline.notifications.models import Notification
from sightline.notifications.services import notifications_mark_read
from sightline.projects.models import Membership, Project
from sightline.roadmap.changes import (
    roadmap_change_approve,
    roadmap_change_decline,
    roadmap_change_propose,
)
from sightline.roadmap.models import Release, RoadmapChange
from sightline.sprints.models import Sprint, SprintState

LONDON = ZoneInfo("Europe/London")
PO, CLIENT = "po@agency.test", "client@acme.test"

# (name, the sprint whose last day is the target (the current sprint is 1), what the release is for,
# its epics in rank order). With the velocity so far, Release 1 is at risk and Release 2 is likely.
RELEASES = (
    (
        "Release 1 — Fitting online",
        4,
        "Shoppers find a bike, book a fitting in a store and pay online, on a phone.",
        (
            "Home & store pages",
            "Catalogue & search",
            "Product pages",
            "Cart & checkout",
            "Bike fitting booking",
        ),
    ),
    (
        "Release 2 — Accounts & stock",
        7,
        "Customers look after their own orders; the shop team runs stock and refunds without spreadsheets.",
        ("Accounts", "Admin & stock"),
    ),
)


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=LONDON)


def load_roadmap(*, today: date, clock) -> list[str]:
    """Create ACME's roadmap unless it has one; returns what was created."""
    project = Project.objects.filter(key="ACME").first()
    if project is None or Release.objects.filter(project=project).exists():
        return []
    RoadmapStory(project, today, clock).tell()
    return ["Roadmap of ACME: 2 releases, a declined change and one waiting for the client"]


class RoadmapStory:
    def __init__(self, project: Project, today: date, clock):
        self.project, self.today, self.clock = project, today, clock
        members = Membership.objects.filter(project=project).select_related("user", "project")
        self.po = next(m for m in members if m.user.email == PO)
        self.client = next(m for m in members if m.user.email == CLIENT)
        self.epics = {e.title: e for e in Epic.objects.filter(project=project)}
        self.sprints = list(Sprint.objects.filter(project=project).order_by("number"))
        # Dates the services check against the real calendar (never in the past).
        self.now = max(today, timezone.localdate())
        current = next((s for s in self.sprints if s.state == SprintState.ACTIVE), self.sprints[-1])
        self.targets = [current.end_date + timedelta(weeks=2 * (sprint - 1)) for _, sprint, _, _ in RELEASES]
        while self.targets[0] <= self.now:  # a demo dated in the past: whole sprints later, still ahead
            self.targets = [target + timedelta(weeks=2) for target in self.targets]

    def tell(self) -> None:
        self._agreed_at_kickoff()
        self._declined_last_sprint()
        self._proposed_now()

    # --- the steps ----------------------------------------------------------------------------
    def _agreed_at_kickoff(self) -> None:
        """The agency PO proposes the release plan the client agreed at kick-off; the client approves."""
        day = self.sprints[0].start_date - timedelta(days=4)  # the Thursday of kick-off week
        for (name, _weeks, about, epic_titles), target in zip(RELEASES, self.targets, strict=True):
            change = self._propose(
                _at(day, 10, 5),
                kind="add_release",
                release_name=name,
                release_description=about,
                new_target_date=target,
                rationale="As agreed in the kick-off workshop: what matters most to the stores comes first.",
                impact="Sets the first target date; the forecast will firm up after three sprints.",
            )
            change = self._approve(_at(day, 14, 30), change, "As agreed on Monday.")
            for title in epic_titles:
                added = self._propose(
                    _at(day, 10, 10),
                    kind="add_epic",
                    epic=self.epics[title],
                    release=change.release,
                    rationale="Part of the release plan agreed in the kick-off workshop.",
                    impact="None beyond the release plan itself.",
                )
                self._approve(_at(day, 14, 35), added)
        self._read_all(_at(day, 15, 0))

    def _declined_last_sprint(self) -> None:
        """Three weeks ago the agency proposed bringing stock forward; the client said no."""
        sprint = self.sprints[-3] if len(self.sprints) >= 3 else self.sprints[0]
        day = sprint.start_date + timedelta(days=2)
        first, second = (r for r, *_ in RELEASES)
        change = self._propose(
            _at(day, 11, 20),
            kind="move_epic",
            epic=self.epics["Admin & stock"],
            release=Release.objects.get(project=self.project, name=first),
            rationale=(
                "The shop team asked for stock levels per store before the Christmas rush, so that online "
                "orders stop selling bikes that left the shop floor."
            ),
            impact=(
                f"Adds 26 points to {first}: its forecast moves by about two sprints, to late January; "
                f"{second} gets lighter by the same amount."
            ),
        )
        self._decline(
            _at(day + timedelta(days=1), 9, 40),
            change,
            "Stock can wait until January: the stores count by hand over Christmas anyway. "
            "Keep Release 1 about fittings.",
        )
        self._read_all(_at(day + timedelta(days=1), 10, 0))

    def _proposed_now(self) -> None:
        """Yesterday the agency proposed trimming Release 1 to keep its date; the client has to answer
        before the next sprint planning."""
        active = next((s for s in self.sprints if s.state == SprintState.ACTIVE), self.sprints[-1])
        day = self.today - timedelta(days=1)
        while day.weekday() >= 5:
            day -= timedelta(days=1)
        first, second = (r for r, *_ in RELEASES)
        target_1, target_2 = (date_format(t, "j M") for t in self.targets)
        later_2 = date_format(self.targets[1] + timedelta(weeks=1), "j M")
        self._propose(
            _at(day, 16, 10),
            kind="move_epic",
            epic=self.epics["Catalogue & search"],
            release=Release.objects.get(project=self.project, name=second),
            due=max(active.end_date, self.now),
            rationale=(
                "Shoppers can already browse, search and filter the whole catalogue: that is what the launch "
                "needs. The four catalogue stories left (compare bikes, brand pages, kids' bikes by age, "
                "recently viewed) are extras. Moving them lets the team finish fitting bookings and "
                "checkout first."
            ),
            impact=(
                f"{first} keeps its target of {target_1} instead of slipping by about a sprint (14 points "
                f"less to do). {second} gets 14 points more, about half a sprint: from {target_2} to "
                f"around {later_2}."
            ),
        )

    # --- helpers ------------------------------------------------------------------------------
    def _propose(self, when: datetime, **fields) -> RoadmapChange:
        change = roadmap_change_propose(actor=self.po.user, membership=self.po, **fields)
        RoadmapChange.objects.filter(pk=change.pk).update(proposed_at=when)
        self.clock.stamp(when)
        return change

    def _approve(self, when: datetime, change: RoadmapChange, comment: str = "") -> RoadmapChange:
        change = roadmap_change_approve(
            actor=self.client.user, membership=self.client, change=change, comment=comment
        )
        RoadmapChange.objects.filter(pk=change.pk).update(decided_at=when)
        self.clock.stamp(when)
        return change

    def _decline(self, when: datetime, change: RoadmapChange, comment: str) -> None:
        roadmap_change_decline(actor=self.client.user, membership=self.client, change=change, comment=comment)
        RoadmapChange.objects.filter(pk=change.pk).update(decided_at=when)
        self.clock.stamp(when)

    def _read_all(self, when: datetime) -> None:
        """Everyone has read the roadmap notifications so far."""
        for membership in (self.po, self.client):
            ids = list(
                Notification.objects.filter(
                    user=membership.user,
                    project=self.project,
                    kind__startswith="roadmap_change.",
                    read_at=None,
                ).values_list("id", flat=True)
            )
            notifications_mark_read(user=membership.user, ids=ids)
        self.clock.stamp(when)
