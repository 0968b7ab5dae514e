"""The audit trail: every service records who changed what, events cannot be altered, and internal notes
are marked internal."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from sightline.accounts.models import User
from sightline.accounts.services import invitation_accept, invitation_join, invitation_send
from sightline.audit.models import AuditEvent
from sightline.audit.services import audit_record
from sightline.backlog.epics import epic_create
from sightline.backlog.item_templates import template_save
from sightline.backlog.models import Status
from sightline.backlog.services import (
    comment_add,
    item_create,
    item_move,
    item_update,
)
from sightline.backlog.subtasks import subtask_add, subtask_toggle
from sightline.backlog.transitions import item_accept, item_reject, item_transition, item_verify
from sightline.lib.errors import DomainError, InvalidInput
from sightline.sprints.services import (
    sprint_close,
    sprint_create,
    sprint_plan_item,
    sprint_start,
    sprint_update,
)
from tests.conftest import make_sprint

S = Status


@pytest.fixture(autouse=True)
def quick_password_hashing(settings):
    """Every test creates five members; a cheap hasher keeps the module fast."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class World:
    """What the service calls below need: the members by role and the item factory."""

    def __init__(self, members, make_item):
        self.m = members
        self.make_item = make_item

    def by(self, role):
        membership = self.m[role]
        return {"actor": membership.user, "membership": membership}


@pytest.fixture
def world(members, make_item):
    return World(members, make_item)


def _update(w):
    item = w.make_item()
    return item_update(**w.by("developer"), item=item, version=item.version, changes={"title": "Saved cards"})


def _move(w):
    w.make_item()
    return item_move(**w.by("client_po"), item=w.make_item(), to_top=True)


def _subtask_toggle(w):
    subtask = subtask_add(**w.by("developer"), item=w.make_item(), title="Write the migration")
    subtask_toggle(**w.by("tester"), subtask=subtask)
    return subtask


def _template(w):
    return template_save(
        **w.by("agency_po"), type="bug", user_story="", description="Steps", criteria=["Works"]
    )


def _sprint(w, **kwargs):
    return sprint_create(
        **w.by("agency_po"), start_date=date(2026, 11, 2), end_date=date(2026, 11, 13), **kwargs
    )


def _sprint_close(w):
    sprint = sprint_start(**w.by("agency_po"), sprint=_sprint(w))
    return sprint_close(**w.by("agency_po"), sprint=sprint)


def _plan_into_active(w):
    sprint = sprint_start(**w.by("agency_po"), sprint=_sprint(w))
    sprint_plan_item(
        **w.by("agency_po"), sprint=sprint, item=w.make_item(S.READY), scope_reason="Partner launch"
    )
    return sprint


def _invite(w):
    invitation, _ = invitation_send(**w.by("agency_po"), email="jane@acme.test", role="tester")
    return invitation


def _join(w):
    _, link = invitation_send(**w.by("agency_po"), email="jane@acme.test", role="tester")
    invitation_accept(raw=link.rstrip("/").rsplit("/", 1)[1], password="plum-orchard-lantern-42")
    return link


def _join_with_account(w):
    jane = User.objects.create_user(email="jane@acme.test", password="plum-orchard-lantern-42")
    _, link = invitation_send(**w.by("agency_po"), email="jane@acme.test", role="tester")
    invitation_join(actor=jane, raw=link.rstrip("/").rsplit("/", 1)[1])
    return link


# (action, who acts, the call returning the audited object — or None when the target is not returned)
SERVICES = {
    "item_create": (
        "item.created",
        "developer",
        lambda w: item_create(**w.by("developer"), title="Wish list"),
    ),
    "item_update": ("item.updated", "developer", _update),
    "item_move": ("item.ranked", "client_po", _move),
    "subtask_add": (
        "subtask.added",
        "developer",
        lambda w: subtask_add(**w.by("developer"), item=w.make_item(), title="Write the migration"),
    ),
    "subtask_toggle": ("subtask.updated", "tester", _subtask_toggle),
    "comment_add": (
        "comment.added",
        "client_stakeholder",
        lambda w: comment_add(**w.by("client_stakeholder"), item=w.make_item(), body="Looks good"),
    ),
    "epic_create": (
        "epic.created",
        "agency_po",
        lambda w: epic_create(**w.by("agency_po"), title="Checkout"),
    ),
    "template_save": ("template.saved", "agency_po", _template),
    "item_transition": (
        "item.transitioned",
        "tester",
        lambda w: item_transition(**w.by("tester"), item=w.make_item(), to=S.READY),
    ),
    "item_verify": (
        "item.verified",
        "tester",
        lambda w: item_verify(**w.by("tester"), item=w.make_item(S.IN_PROGRESS)),
    ),
    "item_accept": (
        "item.transitioned",
        "client_po",
        lambda w: item_accept(**w.by("client_po"), item=w.make_item(S.DELIVERED)),
    ),
    "item_reject": (
        "item.transitioned",
        "client_po",
        lambda w: item_reject(
            **w.by("client_po"), item=w.make_item(S.DELIVERED), reason="Nothing happens on tap"
        ),
    ),
    "sprint_create": ("sprint.created", "agency_po", lambda w: _sprint(w, goal="Refunds")),
    "sprint_update": (
        "sprint.updated",
        "agency_po",
        lambda w: sprint_update(**w.by("agency_po"), sprint=_sprint(w), goal="Refunds", capacity_hours=40),
    ),
    "sprint_start": (
        "sprint.started",
        "agency_po",
        lambda w: sprint_start(**w.by("agency_po"), sprint=_sprint(w)),
    ),
    "sprint_close": ("sprint.closed", "agency_po", _sprint_close),
    "sprint_plan_item": ("sprint.scope_changed", "agency_po", _plan_into_active),
    "invitation_send": ("member.invited", "agency_po", _invite),
    "invitation_accept": ("member.joined", None, _join),
    "invitation_join": ("member.joined", None, _join_with_account),
}


@pytest.mark.parametrize("service", SERVICES)
def test_every_service_records_an_audit_event_for_its_change(service, world, project):
    action, role, call = SERVICES[service]

    target = call(world)

    actor = world.m[role].user if role else User.objects.get(email="jane@acme.test")
    # Setting the scene may record events of its own, by the agency PO; the service's is by its actor.
    events = AuditEvent.objects.filter(action=action, actor=actor)
    assert events.count() == 1
    event = events.get()
    assert event.project == project
    assert event.at is not None
    if hasattr(target, "_meta"):
        assert (event.target_type, event.target_id) == (target._meta.model_name, target.pk)
        assert event.target_label == str(target)[:200]


def test_an_items_history_lists_its_events_in_order(po, dev, client_po, make_item):
    item = make_item(S.DELIVERED)
    item_accept(actor=client_po.user, membership=client_po, item=item)
    actions = [(e.action, e.changes.get("status")) for e in AuditEvent.objects.for_item(item)]
    assert actions == [
        ("item.created", None),
        ("item.transitioned", [S.DRAFT, S.READY]),
        ("item.transitioned", [S.READY, S.PLANNED]),
        ("item.transitioned", [S.PLANNED, S.IN_PROGRESS]),
        ("item.transitioned", [S.IN_PROGRESS, S.DELIVERED]),
        ("item.transitioned", [S.DELIVERED, S.ACCEPTED]),
    ]


def test_a_refused_change_leaves_no_audit_event(dev, make_item):
    item = make_item(S.DRAFT, criteria=[])
    before = AuditEvent.objects.count()
    with pytest.raises(DomainError):
        item_transition(actor=dev.user, membership=dev, item=item, to=S.READY)
    assert AuditEvent.objects.count() == before


# --- Immutability -----------------------------------------------------------------------------------------


@pytest.fixture
def event(po, make_item):
    make_item()
    return AuditEvent.objects.get(action="item.created")


def test_an_audit_event_cannot_be_changed(event):
    event.note = "Rewritten"
    with pytest.raises(ValueError, match="immutable"):
        event.save()
    assert AuditEvent.objects.get(pk=event.pk).note == ""


def test_an_audit_event_cannot_be_deleted(event):
    with pytest.raises(ValueError, match="immutable"):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_audit_events_are_recorded_without_an_actor_for_system_changes(project, sprint):
    event = audit_record(actor=None, project=project, action="sprint.reminded", target=sprint)
    assert event.actor is None
    assert (event.changes, event.internal) == ({}, False)


# --- Internal notes ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["agency_po", "developer", "tester"])
def test_an_internal_comment_is_recorded_as_an_internal_event(role, members, make_item):
    item = make_item()
    comment = comment_add(
        actor=members[role].user,
        membership=members[role],
        item=item,
        body="Client's API is flaky, pad the estimate",
        internal=True,
    )
    assert comment.internal is True
    event = AuditEvent.objects.get(action="comment.added")
    assert event.internal is True
    assert event.note == "Client's API is flaky, pad the estimate"


@pytest.mark.parametrize("role", ["agency_po", "client_po", "client_stakeholder"])
def test_a_public_comment_is_a_public_event(role, members, make_item):
    comment_add(actor=members[role].user, membership=members[role], item=make_item(), body="Shipped")
    assert AuditEvent.objects.get(action="comment.added").internal is False


@pytest.mark.parametrize("role", ["client_po", "client_stakeholder"])
def test_client_roles_may_not_write_internal_comments(role, members, make_item):
    with pytest.raises(PermissionDenied):
        comment_add(
            actor=members[role].user, membership=members[role], item=make_item(), body="Psst", internal=True
        )
    assert not AuditEvent.objects.filter(action="comment.added").exists()


@pytest.mark.parametrize("body", ["", "   \n"])
def test_an_empty_comment_is_refused(body, dev, make_item):
    with pytest.raises(InvalidInput) as refused:
        comment_add(actor=dev.user, membership=dev, item=make_item(), body=body)
    assert refused.value.field == "body"


def test_workflow_events_are_never_internal(make_item, client_po):
    item = make_item(S.DELIVERED)
    item_reject(actor=client_po.user, membership=client_po, item=item, reason="Nothing happens on tap")
    assert not AuditEvent.objects.filter(item=item, internal=True).exists()


# --- Verification, recorded like the rest ----------------------------------------------------------------


@pytest.mark.parametrize("role", ["developer", "client_po", "client_stakeholder"])
def test_only_testers_and_the_agency_po_verify(role, members, make_item):
    item = make_item(S.IN_PROGRESS)
    with pytest.raises(PermissionDenied, match="tester"):
        item_verify(actor=members[role].user, membership=members[role], item=item)
    assert not AuditEvent.objects.filter(action="item.verified").exists()


@pytest.mark.parametrize("state", [S.DRAFT, S.READY, S.PLANNED, S.DELIVERED])
def test_only_work_in_progress_can_be_verified(state, tester, make_item):
    with pytest.raises(DomainError, match="Only work in progress"):
        item_verify(actor=tester.user, membership=tester, item=make_item(state))


def test_verifying_records_who_and_when(tester, make_item):
    item = item_verify(actor=tester.user, membership=tester, item=make_item(S.IN_PROGRESS))
    assert item.verified_by == tester.user and item.verified_at is not None
    event = AuditEvent.objects.get(action="item.verified")
    assert event.changes["verified_at"] == [None, item.verified_at.isoformat()]


def test_a_new_sprint_is_recorded_with_its_goal(po):
    sprint = make_sprint(po, goal="Refunds")
    assert AuditEvent.objects.get(action="sprint.created").changes["goal"] == [None, "Refunds"]
    assert sprint.number == 1
