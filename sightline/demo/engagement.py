"""Building the demo engagement through the real services, with its history dated as it happened.

The people plan, build and accept the work the way they would in the product: the agency PO grooms
and plans, the developer and tester deliver, the client PO accepts or rejects. Every record therefore
comes with its real audit trail. Dates follow today's date (the active sprint is always current);
everything else is fixed, so two loads on the same day give the same engagement.
"""

import random
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.test.utils import override_settings
from django.utils import timezone

from sightline.accounts.models import User
from sightline.audit.models import AuditEvent
from sightline.audit.services import audit_record
from sightline.backlog.epics import epic_create
from sightline.backlog.item_templates import template_save
from sightline.backlog.models import AcceptanceDecision, Comment, Epic, Item, ItemType, Status
from sightline.backlog.services import (
    comment_add,
    item_create,
    item_move,
    item_update,
)
from sightline.backlog.subtasks import subtask_add, subtask_toggle
from sightline.backlog.transitions import item_accept, item_reject, item_transition, item_verify
from sightline.demo.acme import ACME
from sightline.demo.content import (
    ADMIN,
    BUG_TEMPLATE,
    DEMO_PASSWORD,
    PEOPLE,
    STORY_TEMPLATE,
    EpicSpec,
    ItemSpec,
    ProjectSpec,
    SprintSpec,
)
from sightline.demo.decisions import load_decisions
from sightline.demo.globex import GLOBEX
from sightline.demo.reviews import load_reviews
from sightline.demo.roadmap import load_roadmap
from sightline.demo.schedule import christmas_holidays, grooming_plan
from sightline.notifications.models import Notification
from sightline.notifications.services import notifications_mark_read
from sightline.projects.models import Membership, Project, Role
from sightline.sprints.models import ScopeChange, Sprint
from sightline.sprints.services import sprint_close, sprint_create, sprint_plan_item, sprint_start

PROJECTS = (ACME, GLOBEX)
qn = connection.ops.quote_name
LONDON = ZoneInfo("Europe/London")
WORKING_DAYS_PER_SPRINT = 10
LAST_ACTIVE_DAY = 4  # sprint scripts of the active sprint run on working days 0-4, stretched to today

PO, DEV, QA = "po@agency.test", "dev@agency.test", "qa@agency.test"

# How an item's sprint goes (see _script): accept, reject_accept (rejected once, fixed, accepted),
# delivered (awaiting acceptance), rejected, in_progress, planned.
OUTCOMES = ("accept", "reject_accept", "delivered", "rejected", "in_progress", "planned")


def demo_logins() -> list[tuple[str, str]]:
    """(email, what the login is) for every demo account, for printing on start."""
    rows = []
    for person in PEOPLE:
        projects_by_role: dict[str, list[str]] = {}
        for key, role in person.roles.items():
            projects_by_role.setdefault(role, []).append(key)
        roles = "; ".join(
            f"{Role(role).label} in {' and '.join(keys)}" for role, keys in projects_by_role.items()
        )
        rows.append((person.email, f"{person.full_name}: {roles}"))
    rows.append((ADMIN.email, f"{ADMIN.full_name}: Django admin at /admin/, not a project member"))
    return rows


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
        users = _people(created)
        for spec in PROJECTS:
            if not Project.objects.filter(key=spec.key).exists():
                Engagement(spec, users, clock, today).build()
                created.append(f"Project {spec.key} · {spec.name}")
        created += load_decisions(today=today, clock=clock)
        created += load_roadmap(today=today, clock=clock)
        created += load_reviews(today=today, clock=clock)
        clock.rewrite()
    return created


def _people(created: list[str]) -> dict[str, User]:
    password = None  # hashed once for all demo accounts: hashing is deliberately slow
    users = {}
    for person in [*PEOPLE, ADMIN]:
        user = User.objects.filter(email=person.email).first()
        if user is None:
            password = password or make_password(DEMO_PASSWORD)
            admin = person is ADMIN
            user = User.objects.create(
                email=person.email,
                full_name=person.full_name,
                password=password,
                is_staff=admin,
                is_superuser=admin,
            )
            created.append(f"User {person.email}")
        users[person.email] = user
    return users


class Clock:
    """Dates the history. The services stamp ``timezone.now()``; the loader notes when each of its steps
    ended and the time the step is meant to have happened, then moves every value stamped during a step
    back to that step's time in one pass (``rewrite``)."""

    STAMPED = (
        (AuditEvent, "at"),
        (AcceptanceDecision, "decided_at"),
        (Comment, "created_at"),
        (ScopeChange, "at"),
        (Notification, "created_at"),
        (Notification, "read_at"),
        (Sprint, "started_at"),
        (Sprint, "closed_at"),
        (Item, "created_at"),
        (Item, "updated_at"),
        (Item, "delivered_at"),
        (Item, "accepted_at"),
        (Item, "verified_at"),
        (Project, "created_at"),
        (Membership, "joined_at"),
        (User, "date_joined"),
    )

    def __init__(self):
        self.began = timezone.now()
        self.first_event_id = (
            AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
        ) + 1
        self.steps: list[tuple[datetime, datetime]] = []  # (when the step ended, when it happened)

    def stamp(self, when: datetime) -> None:
        """The step just done happened at ``when``."""
        assert when < self.began, "history must lie in the past"
        self.steps.append((timezone.now(), when))

    def rewrite(self) -> None:
        if not self.steps:
            return
        adapt = connection.ops.adapt_datetimefield_value
        with connection.cursor() as cursor:
            for model, name in self.STAMPED:
                column = qn(model._meta.get_field(name).column)
                cases = " ".join([f"WHEN {column} <= %s THEN %s"] * len(self.steps))
                params = [adapt(value) for step in self.steps for value in step]
                # Audit events are immutable through save(); rewriting their time in bulk is acceptable
                # here only because this is demo data whose history is written after the fact. Table and
                # column names come from our own models, quoted; the values are parameters.
                cursor.execute(
                    f"UPDATE {qn(model._meta.db_table)} SET {column} = CASE {cases} ELSE {column} END "  # noqa: S608
                    f"WHERE {column} >= %s",
                    [*params, adapt(self.began)],
                )
        verified = list(AuditEvent.objects.filter(id__gte=self.first_event_id, action="item.verified"))
        for event in verified:
            event.changes = {"verified_at": [None, event.at.isoformat()]}
        AuditEvent.objects.bulk_update(verified, ["changes"])


def working_day(start: date, n: int) -> date:
    """The ``n``-th working day (0-based) of a sprint starting on a Monday."""
    return start + timedelta(days=n + 2 * (n // 5))


def active_sprint_start(today: date) -> date:
    """The Monday the current two-week sprint began: today lies within its ten working days."""
    monday = today - timedelta(days=today.weekday())
    return monday - timedelta(days=7) if today.weekday() < 5 else monday


class Engagement:
    """One project's engagement, built step by step in date order."""

    def __init__(self, spec: ProjectSpec, users: dict[str, User], clock: Clock, today: date):
        self.spec, self.users, self.clock = spec, users, clock
        self.rng = random.Random(42)
        self.items: dict[str, Item] = {}
        self.epics: dict[str, Epic] = {}
        self.members: dict[str, Membership] = {}
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
        spec, po = self.spec, self.users[PO]
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
            actor=po,
            project=project,
            action="project.created",
            target=project,
            changes={"key": [None, spec.key], "name": [None, spec.name]},
        )
        for person in PEOPLE:
            role = person.roles.get(spec.key)
            if role:
                user = self.users[person.email]
                membership = Membership.objects.create(project=project, user=user, role=role)
                self.members[person.email] = membership
                audit_record(
                    actor=po,
                    project=project,
                    action="member.added",
                    target=membership,
                    changes={"user": [None, user.email], "role": [None, role]},
                )
        self.clock.stamp(self._at(self.kickoff, 8, 30))
        po_membership = self.members[PO]
        day = self.kickoff
        for epic in spec.epics:
            self._on(day, lambda e=epic: self._create_epic(e))
        for kind, template in ((ItemType.STORY, STORY_TEMPLATE), (ItemType.BUG, BUG_TEMPLATE)):
            self._on(
                day, lambda k=kind, t=template: template_save(actor=po, membership=po_membership, type=k, **t)
            )
        for item_spec in spec.items:
            self._on(day, lambda s=item_spec: self._create(s, PO))
        grooming = day + timedelta(days=2)
        for item_spec in self.grooming.get(0, ()):
            self._on(grooming, lambda s=item_spec: self._groom(s))
        first = spec.closed_sprints[0]
        self._on(grooming + timedelta(days=1), lambda: self._create_sprint(self.first_start, first))
        self._run()

    def _history_sprint(self, number: int, spec: SprintSpec) -> None:
        sprint = Sprint.objects.get(project__key=self.spec.key, number=number)
        start = sprint.start_date
        self._plan_and_start(sprint, spec, start)
        fresh = 0
        for slug, outcome in spec.items:
            status = self._item(slug).status
            if status == Status.READY and outcome in ("delivered", "in_progress"):
                base = 5 if outcome == "delivered" else 6  # late in the sprint: not done by its end
            elif status == Status.READY:
                base, fresh = fresh % 4, fresh + 1
            else:  # rolled over from the previous sprint
                base = 1
            for offset, step in self._script(slug, outcome, status, base):
                self._on(working_day(start, min(offset, WORKING_DAYS_PER_SPRINT - 1)), step)
        for found in self.spec.found.get(number, ()):
            self._on(working_day(start, 5), lambda s=found: self._found(s))
        for item_spec in self.grooming.get(number, ()):  # backlog refinement, Tuesday of the second week
            self._on(working_day(start, 6), lambda s=item_spec: self._groom(s))
        self._comments(number, lambda offset: working_day(start, offset))
        following = self._following_spec(number)
        self._on(working_day(start, 8), lambda: self._create_sprint(start + timedelta(weeks=2), following))
        self._on(
            working_day(start, 9),
            lambda: sprint_close(actor=self.users[PO], membership=self.members[PO], sprint=sprint),
            at=time(16, 30),
        )
        self._run()

    def _active_sprint(self, number: int, spec: SprintSpec) -> None:
        self.active_notifications = (
            Notification.objects.order_by("-id").values_list("id", flat=True).first() or 0
        ) + 1
        sprint = Sprint.objects.get(project__key=self.spec.key, number=number)
        start = sprint.start_date
        self._plan_and_start(sprint, spec, start)

        def day(n: int) -> date:  # the scripts' days 0-4, stretched over the working days that are over
            n = min(n, LAST_ACTIVE_DAY)
            return working_day(start, round(n * self.active_last_day / LAST_ACTIVE_DAY))

        fresh = 0
        for slug, outcome in spec.items:
            status = self._item(slug).status
            base, fresh = (fresh % 3, fresh + 1) if status == Status.READY else (1, fresh)
            for offset, step in self._script(slug, outcome, status, base):
                self._on(day(offset), step)
        if self.spec.reprioritised:
            self._on(day(1), self._client_reprioritises)
        if self.spec.scope_item:
            self._on(day(2), lambda: self._scope_change(sprint))
        if self.spec.critical_bug:
            self._on(day(3), lambda: self._critical_bug(sprint))
        self._comments(number, day)
        if self.spec.next_sprint:
            following = self.spec.next_sprint
            self._on(
                day(LAST_ACTIVE_DAY),
                lambda: self._create_sprint(start + timedelta(weeks=2), following, plan=True),
            )
        self._run()

    def _history_read(self) -> None:
        """Everyone has read the notifications from before the current sprint, and the client those
        about deliveries already decided."""
        project = Project.objects.get(key=self.spec.key)
        waiting = {
            item.get_absolute_url() for item in Item.objects.filter(project=project, status=Status.DELIVERED)
        }
        for membership in self.members.values():
            notifications = Notification.objects.filter(user=membership.user, project=project)
            ids = [
                n.id
                for n in notifications
                if n.id < self.active_notifications or (n.kind == "item.delivered" and n.url not in waiting)
            ]
            notifications_mark_read(user=membership.user, ids=ids)
        self.clock.stamp(self._at(self.active_start, 8, 30))

    # --- steps ----------------------------------------------------------------------------
    def _create_epic(self, spec: EpicSpec) -> None:
        po = self.members[PO]
        self.epics[spec.slug] = epic_create(
            actor=po.user,
            membership=po,
            title=spec.title,
            description=spec.description,
            business_value=spec.business_value,
            priority=spec.priority,
            colour=spec.colour,
        )

    def _create(self, spec: ItemSpec, author: str) -> Item:
        membership = self.members[author]
        item = item_create(
            actor=membership.user,
            membership=membership,
            title=spec.title,
            type=spec.type,
            priority=spec.priority,
            user_story=spec.story,
            description=spec.description,
            points=spec.points,
            estimate_hours=spec.hours,
            epic=self.epics.get(spec.epic) if spec.epic else None,
            labels=list(spec.labels),
            criteria=list(spec.criteria),
        )
        self.items[spec.slug] = item
        return item

    def _groom(self, spec: ItemSpec) -> None:
        po = self.members[PO]
        item = item_transition(actor=po.user, membership=po, item=self.items[spec.slug], to=Status.READY)
        self.items[spec.slug] = item
        dev = self.members[DEV]
        for title, hours in spec.subtasks:
            subtask_add(actor=dev.user, membership=dev, item=item, title=title, estimate_hours=hours)

    def _found(self, spec: ItemSpec) -> None:
        """The tester finds a bug and makes it ready for the next planning."""
        qa = self.members[QA]
        item = self._create(spec, QA)
        self.items[spec.slug] = item_transition(actor=qa.user, membership=qa, item=item, to=Status.READY)

    def _create_sprint(self, start: date, spec: SprintSpec, plan: bool = False) -> Sprint:
        po = self.members[PO]
        sprint = sprint_create(
            actor=po.user,
            membership=po,
            start_date=start,
            end_date=start + timedelta(days=11),
            goal=spec.goal,
            capacity_hours=spec.capacity_hours,
        )
        if plan:
            for slug, _outcome in spec.items:
                self._plan(sprint, slug)
        return sprint

    def _plan(self, sprint: Sprint, slug: str) -> None:
        po = self.members[PO]
        self.items[slug] = sprint_plan_item(
            actor=po.user, membership=po, sprint=sprint, item=self._item(slug)
        )

    def _plan_and_start(self, sprint: Sprint, spec: SprintSpec, start: date) -> None:
        po = self.members[PO]
        for slug, _outcome in spec.items:
            if self._item(slug).sprint_id != sprint.pk:
                self._on(start, lambda s=slug: self._plan(sprint, s))
        self._on(start, lambda: sprint_start(actor=po.user, membership=po, sprint=sprint))

    def _script(self, slug: str, outcome: str, status: str, b: int) -> list[tuple[int, Callable[[], object]]]:
        """The steps that take ``slug`` from ``status`` (as it is before the sprint's planning) to
        ``outcome``, on working days counted from ``b``."""
        start, progress = (lambda: self._start(slug)), (lambda: self._progress(slug))
        deliver, verify = (lambda: self._deliver(slug)), (lambda: self._verify(slug))
        accept, reject = (lambda: self._accept(slug)), (lambda: self._reject(slug))
        redeliver = lambda: self._deliver(slug, again=True)  # noqa: E731
        accept_fixed = lambda: self._accept(slug, "Works as we asked now, thank you.")  # noqa: E731
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

    def _worker(self, slug: str) -> Membership:
        return self.members[QA if "tests" in self._item(slug).labels else DEV]

    def _start(self, slug: str) -> None:
        worker = self._worker(slug)
        item = self._item(slug)
        if item.assignee_id is None:
            item = item_update(
                actor=worker.user,
                membership=worker,
                item=item,
                version=item.version,
                changes={"assignee": worker.user},
            )
        self.items[slug] = item_transition(
            actor=worker.user, membership=worker, item=item, to=Status.IN_PROGRESS
        )

    def _progress(self, slug: str) -> None:
        """The first open subtask is done."""
        worker = self._worker(slug)
        subtask = self._item(slug).subtasks.filter(done=False).order_by("position").first()
        if subtask is not None:
            subtask_toggle(actor=worker.user, membership=worker, subtask=subtask)

    def _verify(self, slug: str) -> None:
        qa = self.members[QA]
        self.items[slug] = item_verify(actor=qa.user, membership=qa, item=self._item(slug))

    def _deliver(self, slug: str, again: bool = False) -> None:
        worker = self._worker(slug)
        item = self._item(slug)
        for subtask in item.subtasks.filter(done=False).order_by("position"):
            subtask_toggle(actor=worker.user, membership=worker, subtask=subtask)
        spec = self._spec(slug)
        url = f"{self.spec.staging_url}/{spec.path}" if spec.path else ""
        if again:
            note = "Fixed after your review; ready for another look."
        elif slug in self.spec.notes:
            note = self.spec.notes[slug]
        elif item.type == ItemType.BUG:
            note = "Fixed on staging: the steps to reproduce no longer show the problem."
        elif spec.path:
            note = "Ready for your review on staging; the criteria say what to try."
        else:
            note = "In place on staging; nothing to click, the criteria list what was checked."
        self.items[slug] = item_transition(
            actor=worker.user, membership=worker, item=item, to=Status.DELIVERED, staging_url=url, note=note
        )

    def _client(self) -> Membership:
        return next(m for m in self.members.values() if m.role == Role.CLIENT_PO)

    def _accept(self, slug: str, comment: str = "") -> None:
        client = self._client()
        self.items[slug] = item_accept(
            actor=client.user, membership=client, item=self._item(slug), comment=comment
        )

    def _reject(self, slug: str) -> None:
        client = self._client()
        item = self._item(slug)
        ticked = list(item.criteria.order_by("position").values_list("id", flat=True))[:-1]
        self.items[slug] = item_reject(
            actor=client.user,
            membership=client,
            item=item,
            reason=self.spec.rejections[slug],
            criteria_met=ticked,
        )

    def _client_reprioritises(self) -> None:
        slug, after, priority = self.spec.reprioritised
        client = self._client()
        item_move(actor=client.user, membership=client, item=self._item(slug), after=self._item(after))
        item = self._item(slug)
        self.items[slug] = item_update(
            actor=client.user,
            membership=client,
            item=item,
            version=item.version,
            changes={"priority": priority},
        )

    def _scope_change(self, sprint: Sprint) -> None:
        """The PO adds an item to the running sprint, with the reason agreed with the client."""
        po = self.members[PO]
        spec = self.spec.scope_item
        item = self._create(spec, PO)
        item = item_transition(actor=po.user, membership=po, item=item, to=Status.READY)
        self.items[spec.slug] = sprint_plan_item(
            actor=po.user,
            membership=po,
            sprint=self._fresh(sprint),
            item=item,
            scope_reason=self.spec.scope_reason,
        )
        last_planned = self.spec.active_sprint.items[-1][0]
        item_move(actor=po.user, membership=po, item=self._item(spec.slug), after=self._item(last_planned))

    def _critical_bug(self, sprint: Sprint) -> None:
        """The tester finds a critical bug; the PO pulls it into the sprint and the developer starts."""
        po = self.members[PO]
        spec = self.spec.critical_bug
        self._found(spec)
        self.items[spec.slug] = sprint_plan_item(
            actor=po.user, membership=po, sprint=self._fresh(sprint), item=self._item(spec.slug)
        )
        item_move(actor=po.user, membership=po, item=self._item(spec.slug), to_top=True)
        self._start(spec.slug)

    def _comments(self, number: int, day: Callable[[int], date]) -> None:
        for slug, sprint_number, offset, author, body, internal in self.spec.comments:
            if sprint_number != number:
                continue
            self._on(
                day(offset),
                lambda s=slug, a=author, b=body, i=internal: comment_add(
                    actor=self.users[a], membership=self.members[a], item=self._item(s), body=b, internal=i
                ),
            )

    # --- helpers ----------------------------------------------------------------------------
    def _following_spec(self, number: int) -> SprintSpec:
        if number < self.closed_count:
            return self.spec.closed_sprints[number]
        return self.spec.active_sprint

    def _item(self, slug: str) -> Item:
        item = Item.objects.get(pk=self.items[slug].pk)
        self.items[slug] = item
        return item

    def _spec(self, slug: str) -> ItemSpec:
        for spec in self._all_specs():
            if spec.slug == slug:
                return spec
        raise KeyError(slug)

    def _all_specs(self):
        yield from self.spec.items
        for found in self.spec.found.values():
            yield from found
        yield from (s for s in (self.spec.scope_item, self.spec.critical_bug) if s is not None)

    @staticmethod
    def _fresh(sprint: Sprint) -> Sprint:
        return Sprint.objects.get(pk=sprint.pk)

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
