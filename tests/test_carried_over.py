"""Unfinished work carried over: a sprint closed with no sprint after it hands its unfinished items back to
the backlog in the state they are in; planning offers them first, and pulling one into a sprint keeps its
state, counts in the sprint's planned hours, shows it on the board and counts its points in the velocity
of the sprint in which the client accepts it."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from sightline.audit.models import AuditEvent
from sightline.backlog.models import Item, Status
from sightline.backlog.transitions import item_accept, item_reject, item_transition
from sightline.lib.errors import DomainError, InvalidInput
from sightline.sprints.models import ScopeChange
from sightline.sprints.selectors import capacity_for, carried_over_items
from sightline.sprints.services import sprint_close, sprint_plan_item, sprint_start, sprint_unplan_item
from tests.api_support import api_for, fields
from tests.conftest import login, make_sprint

S = Status
NEXT_START = date(2026, 11, 16)


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def carried(po, client_po, make_item):
    """Sprint 1 closed with no sprint after it: one item left in each unfinished state, one accepted."""
    sprint = make_sprint(po)
    items = {
        "in_progress": make_item(
            S.IN_PROGRESS, sprint=sprint, points=5, estimate_hours=6, title="Gift cards"
        ),
        "delivered": make_item(S.DELIVERED, sprint=sprint, points=3, title="Receipts"),
        "rejected": make_item(S.DELIVERED, sprint=sprint, points=8, title="Refunds"),
        "planned": make_item(S.PLANNED, sprint=sprint, points=2, title="Wish list"),
        "accepted": make_item(S.DELIVERED, sprint=sprint, points=1, title="Saved cards"),
    }
    sprint = sprint_start(actor=po.user, membership=po, sprint=sprint)
    item_accept(actor=client_po.user, membership=client_po, item=items["accepted"])
    item_reject(
        actor=client_po.user, membership=client_po, item=items["rejected"], reason="The refund is not emailed"
    )
    sprint_close(actor=po.user, membership=po, sprint=sprint)
    return {name: Item.objects.get(pk=item.pk) for name, item in items.items()}


def plan(po, sprint, item, **kwargs):
    return sprint_plan_item(actor=po.user, membership=po, sprint=sprint, item=item, **kwargs)


def url(name, *args):
    return reverse(f"sprints:{name}", args=["ACME", *args])


# --- What planning offers -------------------------------------------------------------------------


def test_work_in_progress_delivered_or_rejected_without_a_sprint_is_offered_as_carried_over(po, carried):
    offered = carried_over_items(po.project)
    assert [item.key for item in offered] == [
        carried[n].key for n in ("in_progress", "delivered", "rejected")
    ]
    assert [item.status for item in offered] == [S.IN_PROGRESS, S.DELIVERED, S.REJECTED]
    assert offered[0].hours == 6
    assert Item.objects.get(pk=carried["planned"].pk).status == S.READY  # offered with the ready items


def test_planning_page_shows_carried_over_work_first_under_its_own_heading(po, carried):
    make_sprint(po, start=NEXT_START)
    html = login(po.user).get(url("detail", 2)).content.decode()
    heading = html.index("Carried over: unfinished work without a sprint")
    ready = html.index('id="ready-heading"')
    assert heading < html.index(carried["in_progress"].key) < ready < html.index(carried["planned"].key)
    assert 'status-in_progress">In progress</span> Gift cards' in html
    assert 'status-rejected">Rejected</span> Refunds' in html
    assert html.index(carried["rejected"].key) < ready


def test_the_planning_page_has_no_carried_over_heading_when_there_is_none(po, sprint, make_item):
    make_item(S.READY)
    html = login(po.user).get(url("detail", 1)).content.decode()
    assert "Carried over" not in html


def test_clients_and_developers_are_not_offered_carried_over_work(dev, client_po, carried, po):
    make_sprint(po, start=NEXT_START)
    for member in (dev, client_po):
        assert "Carried over" not in login(member.user).get(url("detail", 2)).content.decode()


# --- Pulling it into a sprint ---------------------------------------------------------------------


def test_pulling_carried_over_work_into_the_next_sprint_keeps_its_state(po, carried):
    second = make_sprint(po, start=NEXT_START)
    for name in ("in_progress", "delivered", "rejected"):
        before = carried[name]
        item = plan(po, second, before)
        stored = Item.objects.get(pk=item.pk)
        assert (stored.status, stored.sprint_id) == (before.status, second.pk), name
        assert stored.version == before.version + 1
        event = AuditEvent.objects.get(item=stored, action="item.carried_in")
        assert event.changes == {"sprint": [None, 2]} and event.actor == po.user
        assert f"still {before.get_status_display().lower()}" in event.note
        assert not AuditEvent.objects.filter(
            item=stored, action="item.transitioned", at__gt=event.at
        ).exists()
    assert carried_over_items(po.project) == []


def test_carried_over_work_counts_in_the_sprints_planned_hours(po, carried):
    second = make_sprint(po, start=NEXT_START)
    plan(po, second, carried["in_progress"])
    assert capacity_for(second).planned == 6


def test_po_pulls_carried_over_work_in_from_the_planning_page_without_javascript(po, carried):
    make_sprint(po, start=NEXT_START)
    item = carried["delivered"]
    response = login(po.user).post(url("plan", 2), {"item": item.key})
    assert response.status_code == 302
    stored = Item.objects.get(pk=item.pk)
    assert (stored.status, stored.sprint.number) == (S.DELIVERED, 2)


def test_pulling_carried_over_work_with_htmx_updates_the_capacity_bar(po, carried):
    make_sprint(po, start=NEXT_START)
    response = login(po.user).post(
        url("plan", 2), {"item": carried["in_progress"].key}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200 and "planned 6 h of 80 h capacity" in html
    assert "Carried over" in html and html.count(carried["in_progress"].key) >= 1


def test_a_running_sprint_takes_carried_over_work_only_with_a_reason(po, carried):
    running = make_sprint(po, start=NEXT_START, active=True)
    with pytest.raises(InvalidInput) as refused:
        plan(po, running, carried["in_progress"])
    assert refused.value.field == "scope_reason"
    assert Item.objects.get(pk=carried["in_progress"].pk).sprint_id is None

    plan(po, running, carried["in_progress"], scope_reason="Finish the gift cards first")
    change = ScopeChange.objects.get(sprint=running)
    assert (change.item_id, change.reason) == (carried["in_progress"].pk, "Finish the gift cards first")


def test_carried_over_work_pulled_into_the_running_sprint_shows_on_the_board(po, dev, carried):
    running = make_sprint(po, start=NEXT_START, active=True)
    plan(po, running, carried["in_progress"], scope_reason="Finish the gift cards first")
    plan(po, running, carried["delivered"], scope_reason="Still waits for the client")
    html = login(dev.user).get(url("board")).content.decode()
    columns = [html.index(f'id="col-{state}"') for state in ("in_progress", "delivered", "rejected")]
    assert columns[0] < html.index("Gift cards") < columns[1] < html.index("Receipts") < columns[2]


def test_carried_over_work_accepted_in_its_new_sprint_counts_in_that_sprints_velocity(
    po, dev, client_po, carried
):
    second = make_sprint(po, start=NEXT_START)
    for name in ("in_progress", "delivered"):
        plan(po, second, carried[name])
    second = sprint_start(actor=po.user, membership=po, sprint=second)
    built = item_transition(
        actor=dev.user, membership=dev, item=carried["in_progress"], to=S.DELIVERED, note="On staging"
    )
    for item in (built, carried["delivered"]):
        item_accept(actor=client_po.user, membership=client_po, item=item)
    closed = sprint_close(actor=po.user, membership=po, sprint=second)
    assert (closed.velocity_points, closed.accepted_count) == (8, 2)


def test_delivered_work_accepted_from_the_backlog_joins_the_running_sprint_and_counts_in_its_velocity(
    po, client_po, carried
):
    second = sprint_start(actor=po.user, membership=po, sprint=make_sprint(po, start=NEXT_START))
    accepted = item_accept(actor=client_po.user, membership=client_po, item=carried["delivered"])
    assert accepted.sprint == second and accepted.status == S.ACCEPTED
    event = AuditEvent.objects.get(item=accepted, action="item.carried_in")
    assert event.changes == {"sprint": [None, second.number]} and event.actor == client_po.user
    assert accepted.decisions.get().sprint == second
    closed = sprint_close(actor=po.user, membership=po, sprint=second)
    assert (closed.velocity_points, closed.accepted_count) == (3, 1)


def test_delivered_work_accepted_from_the_backlog_with_no_sprint_running_stays_in_the_backlog(
    client_po, carried
):
    accepted = item_accept(actor=client_po.user, membership=client_po, item=carried["delivered"])
    assert accepted.sprint is None and accepted.status == S.ACCEPTED
    assert not AuditEvent.objects.filter(item=accepted, action="item.carried_in").exists()


def test_a_closed_sprint_takes_no_carried_over_work(po, carried):
    closed = carried["accepted"].sprint
    with pytest.raises(DomainError, match="closed"):
        plan(po, closed, carried["in_progress"])


def test_only_the_agency_po_pulls_carried_over_work_into_a_sprint(members, po, carried):
    second = make_sprint(po, start=NEXT_START)
    for role in ("developer", "tester", "client_po", "client_stakeholder"):
        with pytest.raises(PermissionDenied, match="agency_po"):
            plan(members[role], second, carried["in_progress"])
    assert Item.objects.get(pk=carried["in_progress"].pk).sprint_id is None


# --- Taking it out again --------------------------------------------------------------------------


def test_taking_unfinished_work_out_of_a_sprint_not_started_sends_it_back_as_it_is(po, carried):
    second = make_sprint(po, start=NEXT_START)
    item = plan(po, second, carried["in_progress"])
    item = sprint_unplan_item(actor=po.user, membership=po, item=item)
    stored = Item.objects.get(pk=item.pk)
    assert (stored.status, stored.sprint_id) == (S.IN_PROGRESS, None)
    assert AuditEvent.objects.get(item=stored, action="item.carried_out").changes == {"sprint": [2, None]}
    assert [i.key for i in carried_over_items(po.project)][0] == stored.key


def test_the_remove_button_takes_unfinished_work_back_to_carried_over(po, carried):
    second = make_sprint(po, start=NEXT_START)
    plan(po, second, carried["rejected"])
    c = login(po.user)
    response = c.post(url("unplan", 2), {"item": carried["rejected"].key}, follow=True)
    assert "back in the carried-over work" in response.content.decode()
    assert Item.objects.get(pk=carried["rejected"].pk).sprint_id is None


# --- API ------------------------------------------------------------------------------------------


def test_po_pulls_carried_over_work_into_a_sprint_through_the_api(po, carried):
    second = make_sprint(po, start=NEXT_START)
    response = api_for(po).post(f"/sprints/{second.pk}/plan", {"item": carried["rejected"].key})
    assert response.status_code == 200
    assert response.json()["items"] == [carried["rejected"].key]
    assert Item.objects.get(pk=carried["rejected"].pk).status == S.REJECTED


def test_the_api_plans_ready_items_too(po, sprint, make_item):
    item = make_item(S.READY)
    response = api_for(po).post(f"/sprints/{sprint.pk}/plan", {"item": item.key})
    assert response.status_code == 200 and Item.objects.get(pk=item.pk).status == S.PLANNED


def test_the_api_refuses_a_running_sprint_without_a_reason_and_unknown_items(po, carried):
    running = make_sprint(po, start=NEXT_START, active=True)
    client = api_for(po)
    response = client.post(f"/sprints/{running.pk}/plan", {"item": carried["in_progress"].key})
    assert response.status_code == 422 and fields(response) == ["scope_reason"]
    response = client.post(f"/sprints/{running.pk}/plan", {"item": "ACME-999"})
    assert response.status_code == 422 and fields(response) == ["item"]


def test_developers_may_not_plan_through_the_api(po, dev, carried):
    second = make_sprint(po, start=NEXT_START)
    response = api_for(dev).post(f"/sprints/{second.pk}/plan", {"item": carried["in_progress"].key})
    assert response.status_code == 403
