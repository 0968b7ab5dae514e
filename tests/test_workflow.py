"""The item workflow of PRODUCT.md §3: every transition, allowed or refused, for each of the five roles; back
to draft, rework, and the acceptor designation. The helpers here are shared by the other workflow modules."""

import pytest
from django.core.exceptions import PermissionDenied

from sightline.audit.models import AuditEvent
from sightline.backlog.models import Item, Status
from sightline.backlog.transitions import item_accept, item_reject, item_transition
from sightline.lib.errors import DomainError, IllegalTransition, InvalidInput, StaleVersion
from sightline.projects.models import Role
from tests.conftest import ROLES, make_sprint

S = Status
PO, DEV, QA, CPO = (Role.AGENCY_PO, Role.DEVELOPER, Role.TESTER, Role.CLIENT_PO)
AGENCY = {PO, DEV, QA}

# The workflow as PRODUCT.md §3 states it: (from, to) → the roles that may make the move.
WORKFLOW: dict[tuple[str, str], set[str]] = {
    (S.DRAFT, S.READY): AGENCY,
    (S.READY, S.PLANNED): {PO},
    (S.PLANNED, S.IN_PROGRESS): AGENCY,
    (S.IN_PROGRESS, S.DELIVERED): AGENCY,
    (S.DELIVERED, S.ACCEPTED): {CPO},
    (S.DELIVERED, S.REJECTED): {CPO},
    (S.REJECTED, S.IN_PROGRESS): AGENCY,
    # Sprint planning may take a planned item back out of its sprint.
    (S.PLANNED, S.READY): {PO},
    # Any state but accepted may go back to draft, by the agency PO.
    **{(state, S.DRAFT): {PO} for state in (S.READY, S.PLANNED, S.IN_PROGRESS, S.DELIVERED, S.REJECTED)},
}

PAIRS = [(frm, to) for frm in S.values for to in S.values if frm != to]
ALLOWED = [(frm, to, role) for frm, to in PAIRS for role in ROLES if role in WORKFLOW.get((frm, to), ())]
REFUSED_BY_ROLE = [
    (frm, to, role)
    for frm, to in PAIRS
    if (frm, to) in WORKFLOW
    for role in ROLES
    if role not in WORKFLOW[(frm, to)]
]
ILLEGAL = [(frm, to, role) for frm, to in PAIRS if (frm, to) not in WORKFLOW for role in ROLES]


def _case_id(case) -> str:
    frm, to, role = case
    return f"{frm}->{to}-by-{role}"


def next_states(state: str) -> list[str]:
    return sorted(to for (frm, to) in WORKFLOW if frm == state)


@pytest.fixture(autouse=True)
def quick_password_hashing(settings):
    """Every test creates five members; a cheap hasher keeps the module fast."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def item_in(make_item, client_po):
    """An item walked through the real services to any state, accepted and rejected included."""

    def build(state: str) -> Item:
        if state not in (S.ACCEPTED, S.REJECTED):
            return make_item(state)
        item = make_item(S.DELIVERED)
        if state == S.ACCEPTED:
            return item_accept(actor=client_po.user, membership=client_po, item=item)
        return item_reject(
            actor=client_po.user,
            membership=client_po,
            item=item,
            reason="The saved card is not offered at checkout",
        )

    return build


def attempt(membership, item: Item, to: str, *, sprint=None) -> Item:
    """Ask for ``item`` to move to ``to`` the way a person in the UI would."""
    actor = membership.user
    if to == S.ACCEPTED:
        return item_accept(actor=actor, membership=membership, item=item)
    if to == S.REJECTED:
        return item_reject(
            actor=actor, membership=membership, item=item, reason="Pay in one click fails on iOS"
        )
    return item_transition(
        actor=actor,
        membership=membership,
        item=item,
        to=to,
        sprint=sprint,
        staging_url="https://staging.acme.test/checkout",
    )


def transition_events(item: Item):
    return AuditEvent.objects.filter(item=item, action="item.transitioned")


@pytest.mark.parametrize("case", ALLOWED, ids=_case_id)
def test_a_role_the_workflow_allows_moves_the_item_and_records_an_audit_event(case, members, item_in, po):
    frm, to, role = case
    item = item_in(frm)
    before = Item.objects.get(pk=item.pk)
    assert before.status == frm
    sprint = make_sprint(po, goal="Next") if to == S.PLANNED else None

    attempt(members[role], item, to, sprint=sprint)

    after = Item.objects.get(pk=item.pk)
    assert after.status == to
    assert after.version == before.version + 1
    event = transition_events(item).latest("id")
    assert event.changes["status"] == [frm, to]
    assert event.actor == members[role].user
    assert event.project == item.project


@pytest.mark.parametrize("case", REFUSED_BY_ROLE, ids=_case_id)
def test_a_role_the_workflow_does_not_allow_is_refused_with_the_roles_that_may(case, members, item_in, po):
    frm, to, role = case
    item = item_in(frm)
    before = Item.objects.get(pk=item.pk)
    events = transition_events(item).count()
    sprint = make_sprint(po, goal="Next") if to == S.PLANNED else None

    with pytest.raises(PermissionDenied) as refused:
        attempt(members[role], item, to, sprint=sprint)

    for allowed_role in WORKFLOW[(frm, to)]:
        assert allowed_role in str(refused.value)
    after = Item.objects.get(pk=item.pk)
    assert (after.status, after.version) == (frm, before.version)
    assert transition_events(item).count() == events


@pytest.mark.parametrize("case", ILLEGAL, ids=_case_id)
def test_an_illegal_transition_is_refused_naming_the_allowed_next_states(case, members, item_in, po):
    frm, to, role = case
    item = item_in(frm)
    before = Item.objects.get(pk=item.pk)
    sprint = make_sprint(po, goal="Next") if to == S.PLANNED else None

    with pytest.raises(IllegalTransition) as refused:
        attempt(members[role], item, to, sprint=sprint)

    assert sorted(refused.value.allowed) == next_states(frm)
    assert refused.value.field == "to"
    for state in next_states(frm):
        assert state in refused.value.message
    after = Item.objects.get(pk=item.pk)
    assert (after.status, after.version) == (frm, before.version)


@pytest.mark.parametrize("state", S.values)
def test_moving_an_item_to_the_state_it_is_in_is_illegal(state, po, item_in):
    item = item_in(state)
    with pytest.raises(IllegalTransition):
        item_transition(actor=po.user, membership=po, item=item, to=state)


def test_an_accepted_item_says_it_has_no_next_state(po, item_in):
    item = item_in(S.ACCEPTED)
    with pytest.raises(IllegalTransition) as refused:
        item_transition(actor=po.user, membership=po, item=item, to=S.DRAFT)
    assert refused.value.allowed == []
    assert "none" in refused.value.message


@pytest.mark.parametrize("to", ["done", "", "Ready", "closed"])
def test_an_unknown_state_is_invalid_input_on_the_field_to(to, po, make_item):
    item = make_item(S.DRAFT)
    with pytest.raises(InvalidInput) as refused:
        item_transition(actor=po.user, membership=po, item=item, to=to)
    assert refused.value.field == "to"
    assert "ready" in refused.value.message


@pytest.mark.parametrize("to", [S.ACCEPTED, S.REJECTED])
def test_the_client_verdict_is_given_through_accept_or_reject_not_a_plain_transition(
    to, client_po, make_item
):
    item = make_item(S.DELIVERED)
    with pytest.raises(DomainError, match="accept or reject"):
        item_transition(actor=client_po.user, membership=client_po, item=item, to=to)
    assert Item.objects.get(pk=item.pk).status == S.DELIVERED


def test_a_transition_with_a_stale_version_is_refused_and_writes_nothing(dev, make_item):
    item = make_item(S.PLANNED)

    with pytest.raises(StaleVersion) as refused:
        item_transition(actor=dev.user, membership=dev, item=item, to=S.IN_PROGRESS, version=item.version - 1)
    assert refused.value.current_version == item.version
    assert Item.objects.get(pk=item.pk).status == S.PLANNED


# --- Back to draft, rework, the acceptor designation ------------------------------------------------------


@pytest.mark.parametrize("state", [S.READY, S.PLANNED, S.IN_PROGRESS, S.DELIVERED, S.REJECTED])
def test_the_agency_po_may_send_any_unfinished_item_back_to_draft(state, po, item_in):
    item = item_transition(actor=po.user, membership=po, item=item_in(state), to=S.DRAFT)
    assert Item.objects.get(pk=item.pk).status == S.DRAFT


def test_an_item_sent_back_to_draft_leaves_the_sprint_being_planned(po, make_item, sprint):
    item = make_item(S.PLANNED, sprint=sprint)
    item_transition(actor=po.user, membership=po, item=item, to=S.DRAFT)
    assert Item.objects.get(pk=item.pk).sprint is None


def test_an_item_taken_out_of_planning_goes_back_to_ready_without_a_sprint(po, make_item, sprint):
    item = make_item(S.PLANNED, sprint=sprint)
    item_transition(actor=po.user, membership=po, item=item, to=S.READY)
    item = Item.objects.get(pk=item.pk)
    assert (item.status, item.sprint) == (S.READY, None)


@pytest.mark.parametrize("role", sorted(AGENCY))
def test_an_agency_member_takes_a_rejected_item_back_into_progress(role, members, item_in):
    item = item_transition(
        actor=members[role].user, membership=members[role], item=item_in(S.REJECTED), to=S.IN_PROGRESS
    )
    assert item.status == S.IN_PROGRESS


@pytest.mark.parametrize("verdict", [S.ACCEPTED, S.REJECTED])
def test_a_stakeholder_designated_as_acceptor_may_give_the_verdict(verdict, stakeholder, make_item):
    stakeholder.is_acceptor = True
    stakeholder.save()
    item = attempt(stakeholder, make_item(S.DELIVERED), verdict)
    assert Item.objects.get(pk=item.pk).status == verdict


@pytest.mark.parametrize("verdict", [S.ACCEPTED, S.REJECTED])
def test_a_stakeholder_not_designated_as_acceptor_is_refused(verdict, stakeholder, make_item):
    item = make_item(S.DELIVERED)
    with pytest.raises(PermissionDenied, match="designated as acceptor"):
        attempt(stakeholder, item, verdict)
    assert Item.objects.get(pk=item.pk).status == S.DELIVERED


def test_the_acceptor_designation_does_not_let_agency_members_accept_their_own_work(dev, make_item):
    dev.is_acceptor = True
    dev.save()
    with pytest.raises(PermissionDenied):
        attempt(dev, make_item(S.DELIVERED), S.ACCEPTED)
