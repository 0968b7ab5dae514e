"""Roadmap change requests: proposed by the agency, applied only when the client PO approves."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from sightline.audit.models import AuditEvent
from sightline.backlog.epics import epic_create
from sightline.backlog.models import Epic
from sightline.inbox.services import request_handover
from sightline.lib.errors import DomainError, InvalidInput
from sightline.notifications.models import Notification
from sightline.projects.models import Membership, Role
from sightline.roadmap.changes import (
    ChangeConflict,
    roadmap_change_approve,
    roadmap_change_decline,
    roadmap_change_propose,
    roadmap_change_withdraw,
)
from sightline.roadmap.inbox import rows as inbox_rows
from sightline.roadmap.models import ChangeState, Release, RoadmapChange

WHY = "The payment provider needs three more weeks to certify gift cards."
IMPACT = "Moves the forecast of Release 2 by about one sprint; Release 1 is unchanged."


def make_plan(po, project) -> dict:
    """Two releases, an epic in each, and one epic in no release."""
    today = timezone.localdate()
    r1 = Release.objects.create(
        project=project, name="Release 1", target_date=today + timedelta(weeks=5), rank=1
    )
    r2 = Release.objects.create(
        project=project, name="Release 2", target_date=today + timedelta(weeks=11), rank=2
    )
    epics = {}
    for title, release in (("Gift cards", r1), ("Accounts", r2), ("Stock sync", None)):
        epic = epic_create(actor=po.user, membership=po, title=title)
        epic.release = release
        epic.save()
        epics[title] = epic
    return {"r1": r1, "r2": r2, **epics}


@pytest.fixture
def plan(po, project):
    return make_plan(po, project)


def propose(member, **fields):
    fields.setdefault("rationale", WHY)
    fields.setdefault("impact", IMPACT)
    return roadmap_change_propose(actor=member.user, membership=member, **fields)


def release_of(epic: Epic):
    return Epic.objects.get(pk=epic.pk).release


def test_a_move_is_applied_only_when_the_client_po_approves(plan, dev, client_po):
    change = propose(dev, kind="move_epic", epic=plan["Gift cards"], release=plan["r2"])
    assert change.summary == "Move “Gift cards” from “Release 1” to “Release 2”"
    assert change.from_release == plan["r1"]
    assert release_of(plan["Gift cards"]) == plan["r1"]
    approved = roadmap_change_approve(
        actor=client_po.user, membership=client_po, change=change, comment="Fine"
    )
    assert approved.state == ChangeState.APPROVED
    assert approved.decided_by == client_po.user and approved.decision_comment == "Fine"
    assert release_of(plan["Gift cards"]) == plan["r2"]


def test_adding_an_unscheduled_epic_places_it_on_approval(plan, po, client_po):
    change = propose(po, kind="add_epic", epic=plan["Stock sync"], release=plan["r1"])
    assert release_of(plan["Stock sync"]) is None
    roadmap_change_approve(actor=client_po.user, membership=client_po, change=change)
    assert release_of(plan["Stock sync"]) == plan["r1"]


def test_removing_an_epic_unschedules_it_on_approval(plan, tester, client_po):
    change = propose(tester, kind="remove_epic", epic=plan["Accounts"])
    assert change.summary == "Take “Accounts” out of “Release 2”"
    assert release_of(plan["Accounts"]) == plan["r2"]
    roadmap_change_approve(actor=client_po.user, membership=client_po, change=change)
    assert release_of(plan["Accounts"]) is None


def test_a_new_target_date_is_set_on_approval_and_the_old_one_kept(plan, po, client_po):
    old = plan["r2"].target_date
    new = old + timedelta(weeks=2)
    change = propose(po, kind="change_date", release=plan["r2"], new_target_date=new)
    assert change.previous_target_date == old
    assert Release.objects.get(pk=plan["r2"].pk).target_date == old
    roadmap_change_approve(actor=client_po.user, membership=client_po, change=change)
    assert Release.objects.get(pk=plan["r2"].pk).target_date == new
    assert RoadmapChange.objects.get(pk=change.pk).previous_target_date == old


def test_a_proposed_release_exists_only_once_approved(plan, po, client_po, project):
    target = timezone.localdate() + timedelta(weeks=20)
    change = propose(
        po,
        kind="add_release",
        release_name="Release 3 — Loyalty",
        new_target_date=target,
        release_description="Points for every purchase",
    )
    assert not Release.objects.filter(project=project, name="Release 3 — Loyalty").exists()
    approved = roadmap_change_approve(actor=client_po.user, membership=client_po, change=change)
    created = Release.objects.get(project=project, name="Release 3 — Loyalty")
    assert created.target_date == target and approved.release == created
    assert created.description == "Points for every purchase"


def test_a_declined_change_leaves_the_roadmap_and_stays_in_the_history(plan, dev, client_po):
    change = propose(dev, kind="move_epic", epic=plan["Gift cards"], release=plan["r2"])
    declined = roadmap_change_decline(actor=client_po.user, membership=client_po, change=change)
    assert declined.state == ChangeState.DECLINED and declined.decision_comment == ""
    assert release_of(plan["Gift cards"]) == plan["r1"]
    assert RoadmapChange.objects.filter(pk=change.pk, state=ChangeState.DECLINED).exists()


def test_approving_a_withdrawn_change_is_a_conflict(plan, dev, client_po):
    change = propose(dev, kind="move_epic", epic=plan["Gift cards"], release=plan["r2"])
    roadmap_change_withdraw(actor=dev.user, membership=dev, change=change)
    with pytest.raises(ChangeConflict, match="withdrawn") as refused:
        roadmap_change_approve(actor=client_po.user, membership=client_po, change=change)
    assert refused.value.status == 409
    assert release_of(plan["Gift cards"]) == plan["r1"]


def test_deciding_twice_is_a_conflict(plan, dev, client_po):
    change = propose(dev, kind="move_epic", epic=plan["Gift cards"], release=plan["r2"])
    roadmap_change_approve(actor=client_po.user, membership=client_po, change=change)
    with pytest.raises(ChangeConflict, match="already approved"):
        roadmap_change_approve(actor=client_po.user, membership=client_po, change=change)
    with pytest.raises(ChangeConflict):
        roadmap_change_decline(actor=client_po.user, membership=client_po, change=change)
    with pytest.raises(ChangeConflict):
        roadmap_change_withdraw(actor=dev.user, membership=dev, change=change)


def test_approving_a_change_the_roadmap_has_moved_past_is_a_conflict_and_changes_nothing(plan, po, client_po):
    first = propose(po, kind="move_epic", epic=plan["Gift cards"], release=plan["r2"])
    second = propose(po, kind="remove_epic", epic=plan["Gift cards"])
    roadmap_change_approve(actor=client_po.user, membership=client_po, change=first)
    with pytest.raises(ChangeConflict, match="roadmap changed since"):
        roadmap_change_approve(actor=client_po.user, membership=client_po, change=second)
    assert release_of(plan["Gift cards"]) == plan["r2"]
    assert RoadmapChange.objects.get(pk=second.pk).state == ChangeState.PROPOSED


@pytest.mark.parametrize("role", [Role.AGENCY_PO, Role.DEVELOPER, Role.TESTER, Role.CLIENT_STAKEHOLDER])
def test_only_the_client_po_approves_or_declines(plan, members, role):
    change = propose(members[Role.DEVELOPER], kind="remove_epic", epic=plan["Accounts"])
    member = members[role]
    with pytest.raises(PermissionDenied, match="client_po"):
        roadmap_change_approve(actor=member.user, membership=member, change=change)
    with pytest.raises(PermissionDenied):
        roadmap_change_decline(actor=member.user, membership=member, change=change)
    assert release_of(plan["Accounts"]) == plan["r2"]


def test_the_client_member_a_change_was_handed_to_may_approve_it(plan, dev, client_po, stakeholder, project):
    change = propose(dev, kind="remove_epic", epic=plan["Accounts"])
    request_handover(
        actor=client_po.user, membership=client_po, obj=change, to_user=stakeholder.user, note="Your call"
    )
    assert [r.id for r in inbox_rows(projects=[project], holder=stakeholder.user)] == [change.pk]
    roadmap_change_approve(actor=stakeholder.user, membership=stakeholder, change=change)
    assert release_of(plan["Accounts"]) is None


@pytest.mark.parametrize("role", [Role.CLIENT_PO, Role.CLIENT_STAKEHOLDER])
def test_client_roles_cannot_propose(plan, members, role):
    with pytest.raises(PermissionDenied):
        propose(members[role], kind="remove_epic", epic=plan["Accounts"])
    assert not RoadmapChange.objects.exists()


def test_only_the_proposer_or_the_agency_po_withdraws(plan, dev, tester, po):
    change = propose(dev, kind="remove_epic", epic=plan["Accounts"])
    with pytest.raises(PermissionDenied, match="proposed this change"):
        roadmap_change_withdraw(actor=tester.user, membership=tester, change=change)
    withdrawn = roadmap_change_withdraw(actor=po.user, membership=po, change=change)
    assert withdrawn.state == ChangeState.WITHDRAWN and withdrawn.decided_by == po.user


def test_a_change_cannot_be_proposed_without_a_client_po_to_approve_it(plan, po, client_po):
    Membership.objects.filter(pk=client_po.pk).delete()
    with pytest.raises(DomainError, match="no client PO"):
        propose(po, kind="remove_epic", epic=plan["Accounts"])


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"kind": "move_epic", "release": "r2"}, "epic", "Choose the epic"),
        ({"kind": "move_epic", "epic": "Gift cards"}, "release", "Choose the release"),
        ({"kind": "move_epic", "epic": "Gift cards", "release": "r1"}, "release", "already in “Release 1”"),
        ({"kind": "move_epic", "epic": "Stock sync", "release": "r1"}, "epic", "in no release yet"),
        ({"kind": "add_epic", "epic": "Accounts", "release": "r1"}, "epic", "propose moving it instead"),
        ({"kind": "remove_epic", "epic": "Stock sync"}, "epic", "in no release yet"),
        ({"kind": "change_date", "release": "r1"}, "new_target_date", "Give the new target date"),
        ({"kind": "change_date", "release": "r1", "new_target_date": -1}, "new_target_date", "in the past"),
        ({"kind": "add_release", "release_name": "  "}, "release_name", "Give the release a name"),
        ({"kind": "add_release", "release_name": "release 1"}, "release_name", "already has a release"),
        ({"kind": "remove_epic", "epic": "Accounts", "rationale": " "}, "rationale", "Say why"),
        ({"kind": "remove_epic", "epic": "Accounts", "impact": ""}, "impact", "Say what this changes"),
        ({"kind": "remove_epic", "epic": "Accounts", "due": -1}, "due", "in the past"),
        ({"kind": "reshuffle"}, "kind", "Unknown kind"),
    ],
)
def test_bad_proposals_are_refused_with_a_message_on_the_field(plan, po, fields, field, message):
    today = timezone.localdate()
    for name in ("epic",):
        if name in fields:
            fields[name] = plan[fields[name]]
    if "release" in fields:
        fields["release"] = plan[fields["release"]]
    for name in ("new_target_date", "due"):
        if name in fields:
            fields[name] = today + timedelta(days=fields[name])
    with pytest.raises(InvalidInput) as refused:
        propose(po, **fields)
    assert refused.value.field == field
    assert message in refused.value.message
    assert not RoadmapChange.objects.exists()


@pytest.mark.parametrize(
    "fields", [{"kind": "change_date", "release": "r1"}, {"kind": "add_release", "release_name": "Release 3"}]
)
def test_a_target_date_before_the_engagement_starts_is_refused_naming_the_field(plan, po, project, fields):
    today = timezone.localdate()
    project.start_date = today + timedelta(weeks=8)
    project.save()
    fields = {**fields, "release": plan[fields["release"]]} if "release" in fields else fields
    with pytest.raises(InvalidInput) as refused:
        propose(po, new_target_date=today + timedelta(weeks=7), **fields)
    assert refused.value.field == "new_target_date"
    assert "before the engagement starts" in refused.value.message
    assert not RoadmapChange.objects.exists()
    assert propose(po, new_target_date=today + timedelta(weeks=8), **fields).new_target_date


def test_an_epic_of_another_project_is_refused(plan, po, other_project, project):
    foreign = Epic.objects.create(project=other_project, title="Globex epic")
    with pytest.raises(InvalidInput, match="another project"):
        propose(po, kind="add_epic", epic=foreign, release=plan["r1"])


def test_proposing_notifies_the_client_po_and_deciding_notifies_the_proposer(
    plan, dev, client_po, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        change = propose(dev, kind="move_epic", epic=plan["Gift cards"], release=plan["r2"])
    told = Notification.objects.get(user=client_po.user, kind="roadmap_change.proposed")
    assert "Move “Gift cards”" in told.message and told.url.endswith(f"/roadmap/changes/{change.pk}/")
    assert any(WHY in m.body and IMPACT in m.body for m in mail.outbox)
    roadmap_change_decline(actor=client_po.user, membership=client_po, change=change, comment="Not now")
    assert Notification.objects.filter(user=dev.user, kind="roadmap_change.decided").exists()


def test_every_step_is_audited(plan, po, client_po):
    change = propose(po, kind="move_epic", epic=plan["Gift cards"], release=plan["r2"])
    roadmap_change_approve(actor=client_po.user, membership=client_po, change=change)
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert "roadmap_change.proposed" in actions and "roadmap_change.approved" in actions
    moved = AuditEvent.objects.get(action="epic.release_changed")
    assert moved.changes == {"release": ["Release 1", "Release 2"]} and moved.actor == client_po.user


def test_the_inbox_lists_open_changes_for_the_client_po_only(plan, dev, client_po, stakeholder, project):
    open_change = propose(dev, kind="remove_epic", epic=plan["Accounts"])
    decided = propose(dev, kind="move_epic", epic=plan["Gift cards"], release=plan["r2"])
    roadmap_change_decline(actor=client_po.user, membership=client_po, change=decided)
    rows = inbox_rows(projects=[project], holder=client_po.user)
    assert [(r.kind, r.id, r.title) for r in rows] == [
        ("roadmap_change", open_change.pk, "Take “Accounts” out of “Release 2”")
    ]
    assert rows[0].asked_by == dev.user.display_name and rows[0].template == "roadmap/_inbox_row.html"
    assert inbox_rows(projects=[project], holder=stakeholder.user) == []
    RoadmapChange.objects.filter(pk=open_change.pk).update(holder=stakeholder.user)
    assert [r.id for r in inbox_rows(projects=[project], holder=stakeholder.user)] == [open_change.pk]
    assert inbox_rows(projects=[project], holder=client_po.user) == []


def test_the_inbox_row_gives_the_impact_as_what_waiting_costs(plan, dev, client_po, project):
    change = propose(dev, kind="remove_epic", epic=plan["Accounts"], impact=f"  {IMPACT}\n\n")
    [row] = inbox_rows(projects=[project], holder=client_po.user)
    assert row.id == change.pk and row.cost_of_delay == IMPACT
    long = propose(dev, kind="move_epic", epic=plan["Gift cards"], release=plan["r2"], impact="word " * 100)
    [row] = [r for r in inbox_rows(projects=[project]) if r.id == long.pk]
    assert len(row.cost_of_delay) <= 240 and row.cost_of_delay.endswith("…")


def test_the_inbox_rows_take_a_constant_number_of_queries(plan, dev, project, django_assert_num_queries):
    def make(n):
        for _ in range(n):
            propose(dev, kind="remove_epic", epic=plan["Accounts"])

    make(3)
    with django_assert_num_queries(1):
        assert len(inbox_rows(projects=[project])) == 3
    make(30)
    with django_assert_num_queries(1):
        rows = inbox_rows(projects=[project])
        assert len(rows) == 33 and all(r.asked_by for r in rows)
