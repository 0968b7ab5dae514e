"""Designating the right person: the client PO hands a request to another client member with a note; it
moves to that person's inbox, the agency sees who holds it, and the handover is audited."""

from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from sightline.accounts.models import User
from sightline.audit.models import AuditEvent
from sightline.backlog.epics import epic_create
from sightline.backlog.models import Item, Status
from sightline.backlog.transitions import item_accept, item_reject
from sightline.decisions.services import OptionInput, decision_create
from sightline.inbox.selectors import inbox_count
from sightline.inbox.services import request_handover
from sightline.lib.errors import DomainError, InvalidInput
from sightline.notifications.models import Notification
from sightline.projects.models import Membership, Role
from sightline.reviews.services import criteria_review_request
from sightline.roadmap.changes import roadmap_change_propose
from sightline.roadmap.models import Release
from tests.conftest import _member, login

HTMX = {"HX-Request": "true"}
MINE = reverse("inbox:mine")
HANDOVER = reverse("inbox:handover", args=["ACME"])


@pytest.fixture
def delivered(make_item, sprint):
    return make_item(Status.DELIVERED, sprint=sprint, title="Checkout with saved card")


def hand(actor_membership, item, to_user, note=""):
    return request_handover(
        actor=actor_membership.user, membership=actor_membership, obj=item, to_user=to_user, note=note
    )


def inbox_html(member) -> str:
    return login(member.user).get(MINE).content.decode()


# --- The service -------------------------------------------------------------------------------------


def test_handing_over_moves_the_request_to_the_other_persons_inbox(client_po, stakeholder, delivered):
    row = f'id="inbox-acceptance-{delivered.pk}"'
    assert row in inbox_html(client_po) and row not in inbox_html(stakeholder)
    mail.outbox.clear()
    hand(client_po, delivered, stakeholder.user, note="You know the saved-card rules best")
    assert Item.objects.get(pk=delivered.pk).acceptance_holder == stakeholder.user
    assert row not in inbox_html(client_po)
    theirs = inbox_html(stakeholder)
    assert row in theirs and "handed to you" in theirs


def test_a_handover_is_audited_with_the_note_and_the_new_holder_is_notified(
    client_po, stakeholder, delivered, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        hand(client_po, delivered, stakeholder.user, note="Please check the card form")
    event = AuditEvent.objects.get(action="request.handed_over")
    assert event.actor == client_po.user and event.item_id == delivered.pk
    assert event.changes == {"holder": ["the client product owner", stakeholder.user.display_name]}
    assert event.note == "Please check the card form" and not event.internal
    notification = Notification.objects.get(user=stakeholder.user, kind="request.handed_over")
    assert delivered.key in notification.message and notification.url == reverse(
        "inbox:project", args=["ACME"]
    )
    assert any("Please check the card form" in m.body for m in mail.outbox if stakeholder.user.email in m.to)


def test_the_holder_may_accept_the_delivery_handed_to_them(client_po, stakeholder, delivered):
    hand(client_po, delivered, stakeholder.user)
    item = item_accept(actor=stakeholder.user, membership=stakeholder, item=delivered)
    assert item.status == Status.ACCEPTED and item.accepted_by == stakeholder.user


def test_the_holder_may_accept_from_the_inbox_page(client_po, stakeholder, delivered):
    hand(client_po, delivered, stakeholder.user)
    criteria = list(delivered.criteria.values_list("id", flat=True))
    response = login(stakeholder.user).post(
        reverse("acceptance:accept", args=["ACME", delivered.key]),
        {"criteria": criteria, "from_inbox": "1"},
        headers=HTMX,
    )
    assert response.status_code == 200 and response["HX-Trigger"] == "inbox-changed"
    assert Item.objects.get(pk=delivered.pk).status == Status.ACCEPTED


def test_a_stakeholder_who_does_not_hold_a_delivery_may_not_accept_or_reject_it(stakeholder, delivered):
    with pytest.raises(PermissionDenied):
        item_accept(actor=stakeholder.user, membership=stakeholder, item=delivered)
    with pytest.raises(PermissionDenied):
        item_reject(
            actor=stakeholder.user, membership=stakeholder, item=delivered, reason="Not what we asked"
        )
    response = login(stakeholder.user).post(reverse("acceptance:accept", args=["ACME", delivered.key]))
    assert response.status_code == 403


def test_the_client_po_may_still_answer_a_request_they_handed_over(client_po, stakeholder, delivered):
    hand(client_po, delivered, stakeholder.user)
    item = item_reject(actor=client_po.user, membership=client_po, item=delivered, reason="Wrong card icons")
    assert item.status == Status.REJECTED


@pytest.mark.parametrize("role", [Role.AGENCY_PO, Role.DEVELOPER, Role.TESTER])
def test_a_non_client_cannot_be_handed_a_request(members, client_po, delivered, role):
    with pytest.raises(InvalidInput) as refused:
        hand(client_po, delivered, members[role].user)
    assert refused.value.field == "to_user" and "client member" in refused.value.message
    assert Item.objects.get(pk=delivered.pk).acceptance_holder is None
    assert not AuditEvent.objects.filter(action="request.handed_over").exists()


def test_a_member_of_another_project_cannot_be_handed_a_request(client_po, outsider, delivered):
    with pytest.raises(InvalidInput):
        hand(client_po, delivered, outsider.user)


def test_only_the_client_po_or_the_holder_may_hand_a_request_over(
    client_po, stakeholder, po, project, delivered
):
    colleague = _member(project, "buyer@acme.test", Role.CLIENT_STAKEHOLDER)
    with pytest.raises(PermissionDenied):
        hand(stakeholder, delivered, colleague.user)
    with pytest.raises(PermissionDenied):
        hand(po, delivered, colleague.user)
    hand(client_po, delivered, stakeholder.user)
    hand(stakeholder, delivered, colleague.user, note="You were at the workshop")  # the holder passes it on
    assert Item.objects.get(pk=delivered.pk).acceptance_holder == colleague.user


def test_the_previous_holder_hears_when_the_client_po_moves_their_request(
    client_po, stakeholder, project, delivered
):
    colleague = _member(project, "buyer@acme.test", Role.CLIENT_STAKEHOLDER)
    hand(client_po, delivered, stakeholder.user)
    hand(client_po, delivered, colleague.user)
    assert Notification.objects.filter(user=stakeholder.user, kind="request.handed_over").count() == 2


def test_handing_a_request_to_its_holder_or_an_answered_one_is_refused(client_po, stakeholder, delivered):
    hand(client_po, delivered, stakeholder.user)
    with pytest.raises(InvalidInput, match="already holds"):
        hand(client_po, delivered, stakeholder.user)
    item_accept(actor=client_po.user, membership=client_po, item=delivered)
    with pytest.raises(DomainError, match="already been answered"):
        hand(client_po, Item.objects.get(pk=delivered.pk), client_po.user)


def test_a_request_of_another_project_cannot_be_handed_over_from_this_one(client_po, outsider, other_project):
    from tests.inbox_helpers import delivered_items

    globex = delivered_items(other_project, 1)[0]
    with pytest.raises(PermissionDenied):
        hand(client_po, globex, outsider.user)


def test_an_overlong_note_is_refused(client_po, stakeholder, delivered):
    with pytest.raises(InvalidInput) as refused:
        hand(client_po, delivered, stakeholder.user, note="x" * 1001)
    assert refused.value.field == "note"


# --- The view ----------------------------------------------------------------------------------------


def test_the_inbox_row_offers_to_hand_over_to_the_other_client_members_only(
    client_po, stakeholder, po, dev, delivered
):
    html = inbox_html(client_po)
    form = html[html.index('class="handover-form"') :].split("</form>")[0]
    assert f'<option value="{stakeholder.user.pk}">' in form
    for other in (client_po, po, dev):
        assert f'<option value="{other.user.pk}">' not in form


def test_handing_over_from_the_inbox_with_htmx_drops_the_row(client_po, stakeholder, delivered):
    data = {"kind": "acceptance", "id": delivered.pk, "to_user": stakeholder.user.pk, "from_inbox": "1"}
    response = login(client_po.user).post(HANDOVER, {**data, "note": "Yours"}, headers=HTMX)
    assert response.status_code == 200 and response["HX-Trigger"] == "inbox-changed"
    assert Item.objects.get(pk=delivered.pk).acceptance_holder == stakeholder.user


def test_a_refused_handover_comes_back_as_the_row_with_the_message(client_po, dev, delivered):
    data = {"kind": "acceptance", "id": delivered.pk, "to_user": dev.user.pk, "from_inbox": "1"}
    response = login(client_po.user).post(HANDOVER, data, headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and html.lstrip().startswith(
        f'<li id="inbox-acceptance-{delivered.pk}"'
    )
    assert '<details class="handover" open>' in html
    assert "only to a client member of this project" in html


def test_without_javascript_a_handover_comes_back_to_the_inbox_with_a_message(
    client_po, stakeholder, delivered
):
    c = login(client_po.user)
    data = {"kind": "acceptance", "id": delivered.pk, "to_user": stakeholder.user.pk, "next": MINE}
    response = c.post(HANDOVER, data)
    assert response.status_code == 302 and response["Location"] == MINE
    assert f"Handed over to {stakeholder.user.display_name}" in c.get(MINE).content.decode()
    refused = c.post(HANDOVER, {"kind": "acceptance", "id": delivered.pk, "to_user": stakeholder.user.pk})
    assert refused.status_code == 422
    assert f"{stakeholder.user.display_name} already holds this request." in refused.content.decode()


def test_handing_over_an_unknown_or_answered_request_is_404(client_po, stakeholder, delivered):
    c = login(client_po.user)
    assert (
        c.post(HANDOVER, {"kind": "decision", "id": 999999, "to_user": stakeholder.user.pk}).status_code
        == 404
    )
    assert (
        c.post(HANDOVER, {"kind": "acceptance", "id": "x", "to_user": stakeholder.user.pk}).status_code == 404
    )


def test_a_handover_without_a_person_is_refused_next_to_the_field(client_po, delivered):
    response = login(client_po.user).post(HANDOVER, {"kind": "acceptance", "id": delivered.pk})
    assert response.status_code == 422 and "Choose a person." in response.content.decode()


def test_the_agency_sees_who_holds_a_request_now(client_po, stakeholder, po, delivered):
    hand(client_po, delivered, stakeholder.user)
    html = login(po.user).get(reverse("inbox:waiting", args=["ACME"])).content.decode()
    row = html[html.index(f'id="inbox-acceptance-{delivered.pk}"') :].split("</tr>")[0]
    assert f'{stakeholder.user.display_name} <span class="muted">(handed over)</span>' in row


# --- A holder who is gone ----------------------------------------------------------------------------


@pytest.fixture
def one_of_each(po, project, delivered, make_item):
    """One open request of every kind in ACME, by kind."""
    release = Release.objects.create(project=project, name="Release 1", target_date=date(2099, 1, 4))
    epic = epic_create(actor=po.user, membership=po, title="Gift cards")
    return {
        "acceptance": delivered,
        "decision": decision_create(
            actor=po.user,
            membership=po,
            question="Gift wrapping at checkout?",
            options=[OptionInput("Yes"), OptionInput("No")],
            due_date=date(2099, 1, 4),
        ),
        "roadmap_change": roadmap_change_propose(
            actor=po.user,
            membership=po,
            kind="add_epic",
            epic=epic,
            release=release,
            rationale="Agreed at the sprint review",
            impact="No forecast date moves",
        ),
        "criteria_review": criteria_review_request(
            actor=po.user,
            membership=po,
            items=[make_item(Status.READY, title="Book a fitting")],
            due_date=date(2099, 1, 4),
        ),
    }


def _gone(how, membership):
    if how == "left the project":
        Membership.objects.filter(pk=membership.pk).delete()
    else:
        User.objects.filter(pk=membership.user_id).update(is_active=False)


@pytest.mark.parametrize("how", ["left the project", "was deactivated"])
@pytest.mark.parametrize("kind", ["acceptance", "decision", "roadmap_change", "criteria_review"])
def test_a_request_held_by_someone_who_left_the_project_comes_back_to_the_client_po(
    client_po, stakeholder, one_of_each, kind, how
):
    request = one_of_each[kind]
    row = f'id="inbox-{kind}-{request.pk}"'
    hand(client_po, request, stakeholder.user)
    assert row not in inbox_html(client_po) and row in inbox_html(stakeholder)
    _gone(how, stakeholder)
    html = inbox_html(client_po)
    assert row in html and "handed to" not in html
    assert inbox_count(projects=[client_po.project], holder=client_po.user) == 4
    assert inbox_count(projects=[client_po.project], holder=stakeholder.user) == 0


@pytest.mark.parametrize("how", ["left the project", "was deactivated"])
@pytest.mark.parametrize("kind", ["acceptance", "decision", "roadmap_change", "criteria_review"])
def test_the_agency_sees_a_request_whose_holder_is_gone_with_the_client_po_again(
    client_po, stakeholder, po, one_of_each, kind, how
):
    request = one_of_each[kind]
    hand(client_po, request, stakeholder.user)
    _gone(how, stakeholder)
    html = login(po.user).get(reverse("inbox:waiting", args=["ACME"])).content.decode()
    row = html[html.index(f'id="inbox-{kind}-{request.pk}"') :].split("</tr>")[0]
    assert f'{client_po.user.display_name} <span class="muted">(client product owner)</span>' in row
    assert stakeholder.user.display_name not in row
