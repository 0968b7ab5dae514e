"""Building the demo engagement through the real services, with its history dated as it happened.

The people plan, build and accept the work the way they would in the product: the agency PO grooms
and plans, the developer and tester deliver, the client PO accepts or rejects (``team``). Every record
therefore comes with its real audit trail. Dates follow today's date (the active sprint is always
current; ``clock`` dates what the services stamped); everything else is fixed, so two loads on the same
day give the same engagement.
"""

import random
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from sightline.accounts.models import User
from sightline.audit.services import audit_record
from sightline.backlog.models import Item, ItemType, Status
from sightline.demo.acme import ACME
from sightline.demo.clock import Clock
from sightline.demo.content import BUG_TEMPLATE, PEOPLE, STORY_TEMPLATE, ProjectSpec, SprintSpec
from sightline.demo.decisions import load_decisions
from sightline.demo.globex import GLOBEX
from sightline.demo.people import people_create
from sightline.demo.reviews import load_reviews
from sightline.demo.roadmap import load_roadmap
from sightline.demo.schedule import (
    WORKING_DAYS_PER_SPRINT,
    active_sprint_start,
    christmas_holidays,
    grooming_plan,
    working_day,
)
from sightline.demo.team import PO, Team
from sightline.notifications.models import Notification
from sightline.notifications.services import notifications_mark_read
from sightline.projects.models import Membership, Project
from sightline.sprints.models import Sprint

PROJECTS = (ACME, GLOBEX)
LONDON = ZoneInfo("Europe/London")
LAST_ACTIVE_DAY = 4  # sprint scripts of the active sprint run on working days 0-4, stretched to today

# How an item's sprint goes (see _script): accept, reject_accept (rejected once, fixed, accepted),
# delivered (awaiting acceptance), rejected, in_progress, planned.
OUTCOMES = ("accept", "reject_accept", "delivered", "rejected", "in_progress", "planned")


def load_demo(*, today: date | None = None) -> list[str]:
    """Create whatever part of the demo engagement is missing; returns what was created (empty when
    everything was already there)."""
    today = today or timezone.localdate()
    if today > timezone.localdate():
        raise ValueError("The demo engagement cannot be dated in the future.")
    created: list[str] = []
    # The demo's addresses are fictitious: notifications stay in the app, no email leaves.
    with (
        override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
        transaction.atomic(),
    ):
        clock = Clock()
        users = people_create(created)
        for spec in PROJECTS:
            if not Project.objects.filter(key=spec.key).exists():
                Engagement(spec, users, clock, today).build()
                created.append(f"Project {spec.key} · {spec.name}")
        created += load_decisions(today=today, clock=clock)
        created += load_roadmap(today=today, clock=clock)
        created += load_reviews(today=today, clock=clock)
        clock.rewrite()
    return created


class Engagement:
    """One project's engagement, built step by step in date order."""

    def __init__(self, spec: ProjectSpec, users: dict[str, User], clock: Clock, today: date):
        self.spec, self.users, self.clock = spec, users, clock
        self.team = Team(spec, users)
        self.rng = random.Random(42)
        self.active_start = active_sprint_start(today)
        self.closed_count = len(spec.closed_sprints)
        self.first_start = self.active_start - timedelta(weeks=2 * self.closed_count)
        self.kickoff = self.first_start - timedelta(weeks=1)
        # Working days of the active sprint that are over (at least five, see active_sprint_start).
        elapsed = sum(1 for n in range(WORKING_DAYS_PER_SPRINT) if working_day(self.active_start, n) < today)
        self.active_last_day = elapsed - 1
        self.events: list[tuple[date, Callable[[], object], time | None]] = []
        self.active_notifications = 0  # the first notification of the current sprint
        self.grooming = grooming_plan(spec)

    # --- the story, phase by phase ----------------------------------------------------------
    def build(self) -> None:
        self._kickoff()
        for number, sprint_spec in enumerate(self.spec.closed_sprints, start=1):
            self._history_sprint(number, sprint_spec)
        self._active_sprint(self.closed_count + 1, self.spec.active_sprint)
        self._history_read()

    def _kickoff(self) -> None:
        """The project and its members first thing; that day the epics, the templates and the backlog,
        two days later its first grooming, and the day after the first sprint."""
        self._members_join(self._project_create())
        self.clock.stamp(self._at(self.kickoff, 8, 30))
        day, team = self.kickoff, self.team
        for epic in self.spec.epics:
            self._on(day, lambda e=epic: team.create_epic(e))
        for kind, template in ((ItemType.STORY, STORY_TEMPLATE), (ItemType.BUG, BUG_TEMPLATE)):
            self._on(day, lambda k=kind, t=template: team.save_template(k, t))
        for item_spec in self.spec.items:
            self._on(day, lambda s=item_spec: team.create_item(s, PO))
        grooming = day + timedelta(days=2)
        for item_spec in self.grooming.get(0, ()):
            self._on(grooming, lambda s=item_spec: team.groom(s))
        first = self.spec.closed_sprints[0]
        self._on(grooming + timedelta(days=1), lambda: team.create_sprint(self.first_start, first))
        self._run()

    def _project_create(self) -> Project:
        spec = self.spec
        project = Project.objects.create(
            key=spec.key,
            name=spec.name,
            client_name=spec.client_name,
            vision=spec.vision,
            business_goals=list(spec.business_goals),
            staging_url=spec.staging_url,
            sprint_length_weeks=2,
            time_zone="Europe/London",
            start_date=self.kickoff,
            holidays=christmas_holidays(self.kickoff, self.active_start.year + 1),
            budget_hours=spec.budget_hours,
            budget_amount=spec.budget_amount,
            budget_currency=spec.budget_currency,
            client_commitment_hours=spec.client_commitment_hours,
        )
        audit_record(
            actor=self.users[PO],
            project=project,
            action="project.created",
            target=project,
            changes={"key": [None, spec.key], "name": [None, spec.name]},
        )
        return project

    def _members_join(self, project: Project) -> None:
        for person in PEOPLE:
            role = person.roles.get(self.spec.key)
            if role:
                user = self.users[person.email]
                membership = Membership.objects.create(project=project, user=user, role=role)
                self.team.members[person.email] = membership
                audit_record(
                    actor=self.users[PO],
                    project=project,
                    action="member.added",
                    target=membership,
                    changes={"user": [None, user.email], "role": [None, role]},
                )

    def _history_sprint(self, number: int, spec: SprintSpec) -> None:
        sprint = Sprint.objects.get(project__key=self.spec.key, number=number)
        start, team = sprint.start_date, self.team
        self._plan_and_start(sprint, spec, start)
        fresh = 0
        for slug, outcome in spec.items:
            status = team.item(slug).status
            if status == Status.READY and outcome in ("delivered", "in_progress"):
                base = 5 if outcome == "delivered" else 6  # late in the sprint: not done by its end
            elif status == Status.READY:
                base, fresh = fresh % 4, fresh + 1
            else:  # rolled over from the previous sprint
                base = 1
            for offset, step in self._script(slug, outcome, status, base):
                self._on(working_day(start, min(offset, WORKING_DAYS_PER_SPRINT - 1)), step)
        for found in self.spec.found.get(number, ()):
            self._on(working_day(start, 5), lambda s=found: team.found(s))
        for item_spec in self.grooming.get(number, ()):  # backlog refinement, Tuesday of the second week
            self._on(working_day(start, 6), lambda s=item_spec: team.groom(s))
        self._comments(number, lambda offset: working_day(start, offset))
        following = self._following_spec(number)
        self._on(working_day(start, 8), lambda: team.create_sprint(start + timedelta(weeks=2), following))
        self._on(working_day(start, 9), lambda: team.close_sprint(sprint), at=time(16, 30))
        self._run()

    def _active_sprint(self, number: int, spec: SprintSpec) -> None:
        self.active_notifications = (
            Notification.objects.order_by("-id").values_list("id", flat=True).first() or 0
        ) + 1
        sprint = Sprint.objects.get(project__key=self.spec.key, number=number)
        start, team = sprint.start_date, self.team
        self._plan_and_start(sprint, spec, start)

        def day(n: int) -> date:  # the scripts' days 0-4, stretched over the working days that are over
            n = min(n, LAST_ACTIVE_DAY)
            return working_day(start, round(n * self.active_last_day / LAST_ACTIVE_DAY))

        fresh = 0
        for slug, outcome in spec.items:
            status = team.item(slug).status
            base, fresh = (fresh % 3, fresh + 1) if status == Status.READY else (1, fresh)
            for offset, step in self._script(slug, outcome, status, base):
                self._on(day(offset), step)
        if self.spec.reprioritised:
            self._on(day(1), team.reprioritise)
        if self.spec.scope_item:
            self._on(day(2), lambda: team.scope_change(sprint))
        if self.spec.critical_bug:
            self._on(day(3), lambda: team.critical_bug(sprint))
        self._comments(number, day)
        if self.spec.next_sprint:
            following = self.spec.next_sprint
            self._on(
                day(LAST_ACTIVE_DAY),
                lambda: team.create_sprint(start + timedelta(weeks=2), following, plan=True),
            )
        self._run()

    def _history_read(self) -> None:
        """Everyone has read the notifications from before the current sprint, and the client those
        about deliveries already decided."""
        project = Project.objects.get(key=self.spec.key)
        waiting = {
            item.get_absolute_url() for item in Item.objects.filter(project=project, status=Status.DELIVERED)
        }
        for membership in self.team.members.values():
            notifications = Notification.objects.filter(user=membership.user, project=project)
            ids = [
                n.id
                for n in notifications
                if n.id < self.active_notifications or (n.kind == "item.delivered" and n.url not in waiting)
            ]
            notifications_mark_read(user=membership.user, ids=ids)
        self.clock.stamp(self._at(self.active_start, 8, 30))

    # --- a sprint's plan --------------------------------------------------------------------
    def _plan_and_start(self, sprint: Sprint, spec: SprintSpec, start: date) -> None:
        team = self.team
        for slug, _outcome in spec.items:
            if team.item(slug).sprint_id != sprint.pk:
                self._on(start, lambda s=slug: team.plan(sprint, s))
        self._on(start, lambda: team.start_sprint(sprint))

    def _script(self, slug: str, outcome: str, status: str, b: int) -> list[tuple[int, Callable[[], object]]]:
        """The steps that take ``slug`` from ``status`` (as it is before the sprint's planning) to
        ``outcome``, on working days counted from ``b``."""
        team = self.team
        start, progress = (lambda: team.start(slug)), (lambda: team.progress(slug))
        deliver, verify = (lambda: team.deliver(slug)), (lambda: team.verify(slug))
        accept, reject = (lambda: team.accept(slug)), (lambda: team.reject(slug))
        redeliver = lambda: team.deliver(slug, again=True)  # noqa: E731
        accept_fixed = lambda: team.accept(slug, "Works as we asked now, thank you.")  # noqa: E731
        if status == Status.DELIVERED:
            return [(b, accept)] if outcome == "accept" else []
        if status == Status.IN_PROGRESS:
            return {
                "accept": [(b, verify), (b + 1, deliver), (b + 2, accept)],
                "delivered": [(b, verify), (b + 1, deliver)],
            }.get(outcome, [])
        return {
            "planned": [],
            "in_progress": [(b, start), (b + 1, progress)],
            "rejected": [(b, start), (b + 1, deliver), (b + 2, reject)],
            "delivered": [(b, start), (b + 1, progress), (b + 2, verify), (b + 3, deliver)],
            "accept": [(b, start), (b + 1, progress), (b + 2, verify), (b + 3, deliver), (b + 4, accept)],
            "reject_accept": [
                (b, start),
                (b + 2, deliver),
                (b + 3, reject),
                (b + 3, start),
                (b + 5, redeliver),
                (b + 6, accept_fixed),
            ],
        }[outcome]

    def _comments(self, number: int, day: Callable[[int], date]) -> None:
        for slug, sprint_number, offset, author, body, internal in self.spec.comments:
            if sprint_number != number:
                continue
            self._on(
                day(offset),
                lambda s=slug, a=author, b=body, i=internal: self.team.comment(
                    s, author=a, body=b, internal=i
                ),
            )

    def _following_spec(self, number: int) -> SprintSpec:
        if number < self.closed_count:
            return self.spec.closed_sprints[number]
        return self.spec.active_sprint

    # --- the day's steps, in date order ---------------------------------------------------
    @staticmethod
    def _at(day: date, hour: int, minute: int) -> datetime:
        return datetime.combine(day, time(hour, minute), tzinfo=LONDON)

    def _on(self, day: date, step: Callable[[], object], at: time | None = None) -> None:
        """Queue ``step`` for ``day``; ``at`` pins its time of day (it must be the day's last step)."""
        self.events.append((day, step, at))

    def _run(self) -> None:
        """Run the queued steps in date order (the order they were queued within a day), each at its own
        time of that day, and date what they recorded."""
        by_day: dict[date, list[tuple[Callable[[], object], time | None]]] = {}
        for day, step, at in sorted(self.events, key=lambda event: event[0]):
            by_day.setdefault(day, []).append((step, at))
        self.events = []
        for day, steps in by_day.items():
            minutes = 9 * 60 + self.rng.randint(0, 20)
            room = max(1, (16 * 60 - minutes) // len(steps))  # the working day holds them all
            for step, at in steps:
                if at is not None:
                    minutes = max(minutes, at.hour * 60 + at.minute)
                step()
                self.clock.stamp(self._at(day, minutes // 60, minutes % 60))
                minutes += min(self.rng.randint(4, 16), room)
