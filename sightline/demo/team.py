"""One project's people doing their part of the demo's work through the real services: the agency PO
creates epics and items, grooms, plans and adds scope; the developer and tester build, verify and deliver;
the client PO accepts, rejects and reprioritises. Items and epics are named by their slug, and every step
writes what the same action in the product writes, audit trail and notifications included."""

from datetime import date, timedelta

from sightline.accounts.models import User
from sightline.backlog.epics import epic_create
from sightline.backlog.item_templates import template_save
from sightline.backlog.models import Epic, Item, ItemType, Status
from sightline.backlog.services import comment_add, item_create, item_move, item_update
from sightline.backlog.subtasks import subtask_add, subtask_toggle
from sightline.backlog.transitions import item_accept, item_reject, item_transition, item_verify
from sightline.demo.content import EpicSpec, ItemSpec, ProjectSpec, SprintSpec
from sightline.projects.models import Membership, Role
from sightline.sprints.models import Sprint
from sightline.sprints.services import sprint_close, sprint_create, sprint_plan_item, sprint_start

PO, DEV, QA = "po@agency.test", "dev@agency.test", "qa@agency.test"


class Team:
    """The members of one project (filled in as they join) and the items and epics they created."""

    def __init__(self, spec: ProjectSpec, users: dict[str, User]):
        self.spec, self.users = spec, users
        self.items: dict[str, Item] = {}
        self.epics: dict[str, Epic] = {}
        self.members: dict[str, Membership] = {}

    # --- the backlog ------------------------------------------------------------------------
    def create_epic(self, spec: EpicSpec) -> None:
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

    def save_template(self, kind: str, template: dict) -> None:
        template_save(actor=self.users[PO], membership=self.members[PO], type=kind, **template)

    def create_item(self, spec: ItemSpec, author: str) -> Item:
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

    def groom(self, spec: ItemSpec) -> None:
        po = self.members[PO]
        item = item_transition(actor=po.user, membership=po, item=self.items[spec.slug], to=Status.READY)
        self.items[spec.slug] = item
        dev = self.members[DEV]
        for title, hours in spec.subtasks:
            subtask_add(actor=dev.user, membership=dev, item=item, title=title, estimate_hours=hours)

    def found(self, spec: ItemSpec) -> None:
        """The tester finds a bug and makes it ready for the next planning."""
        qa = self.members[QA]
        item = self.create_item(spec, QA)
        self.items[spec.slug] = item_transition(actor=qa.user, membership=qa, item=item, to=Status.READY)

    def comment(self, slug: str, *, author: str, body: str, internal: bool) -> None:
        comment_add(
            actor=self.users[author],
            membership=self.members[author],
            item=self.item(slug),
            body=body,
            internal=internal,
        )

    # --- sprints ----------------------------------------------------------------------------
    def create_sprint(self, start: date, spec: SprintSpec, plan: bool = False) -> Sprint:
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
                self.plan(sprint, slug)
        return sprint

    def plan(self, sprint: Sprint, slug: str) -> None:
        po = self.members[PO]
        self.items[slug] = sprint_plan_item(actor=po.user, membership=po, sprint=sprint, item=self.item(slug))

    def start_sprint(self, sprint: Sprint) -> None:
        po = self.members[PO]
        sprint_start(actor=po.user, membership=po, sprint=sprint)

    def close_sprint(self, sprint: Sprint) -> None:
        sprint_close(actor=self.users[PO], membership=self.members[PO], sprint=sprint)

    def scope_change(self, sprint: Sprint) -> None:
        """The PO adds an item to the running sprint, with the reason agreed with the client."""
        po = self.members[PO]
        spec = self.spec.scope_item
        item = self.create_item(spec, PO)
        item = item_transition(actor=po.user, membership=po, item=item, to=Status.READY)
        self.items[spec.slug] = sprint_plan_item(
            actor=po.user,
            membership=po,
            sprint=self._fresh(sprint),
            item=item,
            scope_reason=self.spec.scope_reason,
        )
        last_planned = self.spec.active_sprint.items[-1][0]
        item_move(actor=po.user, membership=po, item=self.item(spec.slug), after=self.item(last_planned))

    def critical_bug(self, sprint: Sprint) -> None:
        """The tester finds a critical bug; the PO pulls it into the sprint and the developer starts."""
        po = self.members[PO]
        spec = self.spec.critical_bug
        self.found(spec)
        self.items[spec.slug] = sprint_plan_item(
            actor=po.user, membership=po, sprint=self._fresh(sprint), item=self.item(spec.slug)
        )
        item_move(actor=po.user, membership=po, item=self.item(spec.slug), to_top=True)
        self.start(spec.slug)

    # --- an item's way through a sprint -----------------------------------------------------
    def start(self, slug: str) -> None:
        worker = self._worker(slug)
        item = self.item(slug)
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

    def progress(self, slug: str) -> None:
        """The first open subtask is done."""
        worker = self._worker(slug)
        subtask = self.item(slug).subtasks.filter(done=False).order_by("position").first()
        if subtask is not None:
            subtask_toggle(actor=worker.user, membership=worker, subtask=subtask)

    def verify(self, slug: str) -> None:
        qa = self.members[QA]
        self.items[slug] = item_verify(actor=qa.user, membership=qa, item=self.item(slug))

    def deliver(self, slug: str, again: bool = False) -> None:
        worker = self._worker(slug)
        item = self.item(slug)
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

    # --- the client -------------------------------------------------------------------------
    def accept(self, slug: str, comment: str = "") -> None:
        client = self._client()
        self.items[slug] = item_accept(
            actor=client.user, membership=client, item=self.item(slug), comment=comment
        )

    def reject(self, slug: str) -> None:
        client = self._client()
        item = self.item(slug)
        ticked = list(item.criteria.order_by("position").values_list("id", flat=True))[:-1]
        self.items[slug] = item_reject(
            actor=client.user,
            membership=client,
            item=item,
            reason=self.spec.rejections[slug],
            criteria_met=ticked,
        )

    def reprioritise(self) -> None:
        """The client moves an item to after another one and sets its priority."""
        slug, after, priority = self.spec.reprioritised
        client = self._client()
        item_move(actor=client.user, membership=client, item=self.item(slug), after=self.item(after))
        item = self.item(slug)
        self.items[slug] = item_update(
            actor=client.user,
            membership=client,
            item=item,
            version=item.version,
            changes={"priority": priority},
        )

    # --- looking things up ------------------------------------------------------------------
    def item(self, slug: str) -> Item:
        """The item as it is now in the database."""
        item = Item.objects.get(pk=self.items[slug].pk)
        self.items[slug] = item
        return item

    def _worker(self, slug: str) -> Membership:
        return self.members[QA if "tests" in self.item(slug).labels else DEV]

    def _client(self) -> Membership:
        return next(m for m in self.members.values() if m.role == Role.CLIENT_PO)

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
