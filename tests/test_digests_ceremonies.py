"""Around the ceremonies: the draft sprint goal shared before planning, the message after planning,
and what waits for the client in their digest."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied

from sightline.audit.models import AuditEvent
from sightline.backlog.models import Status
from sightline.digests import content
from sightline.digests.content import build_digest
from sightline.digests.models import Audience, SprintGoalShare
from sightline.digests.services import render_digest, sprint_goal_share
from sightline.inbox.rows import InboxRow
from sightline.lib.errors import DomainError
from sightline.notifications.models import Notification
from sightline.sprints.services import sprint_start, sprint_update
from tests.conftest import login, make_sprint

# --- After planning --------------------------------------------------------------------------------


def test_starting_a_sprint_tells_the_client_what_it_contains_and_its_goal(
    members, po, client_po, stakeholder, make_item, mailoutbox, django_capture_on_commit_callbacks
):
    sprint = make_sprint(po, goal="Buyers can pay with a saved card")
    make_item(Status.PLANNED, sprint=sprint, title="Remember the card", points=3)
    make_item(Status.PLANNED, sprint=sprint, title="Pay in one click", points=5)
    with django_capture_on_commit_callbacks(execute=True):
        sprint_start(actor=po.user, membership=po, sprint=sprint)
    notes = Notification.objects.filter(kind="sprint.planned")
    assert {n.user for n in notes} == {client_po.user, stakeholder.user}
    assert "Buyers can pay with a saved card" in notes[0].message
    assert notes[0].url == f"/p/ACME/sprints/{sprint.number}/"
    assert sorted(m.to[0] for m in mailoutbox) == [
        "client_po@example.test",
        "client_stakeholder@example.test",
    ]
    body = mailoutbox[0].body
    assert "Its goal: Buyers can pay with a saved card" in body
    assert "Remember the card (3 points)" in body and "Pay in one click (5 points)" in body
    assert "It contains 2 items (8 points)" in body


def test_the_team_is_not_sent_the_post_planning_message(members, po, dev, make_item):
    sprint = make_sprint(po)
    make_item(Status.PLANNED, sprint=sprint)
    sprint_start(actor=po.user, membership=po, sprint=sprint)
    assert not Notification.objects.filter(kind="sprint.planned", user__in=[po.user, dev.user]).exists()


# --- The draft goal, ahead of planning -------------------------------------------------------------


def test_the_agency_po_shares_the_draft_goal_with_the_client_members(
    members, po, client_po, stakeholder, dev, sprint
):
    share = sprint_goal_share(actor=po.user, membership=po, sprint=sprint)
    assert share.goal == "Let buyers check out" and share.shared_by == po.user
    notes = Notification.objects.filter(kind="sprint.goal_shared")
    assert {n.user for n in notes} == {client_po.user, stakeholder.user}
    assert "Draft goal for Sprint 1" in notes[0].message and "Let buyers check out" in notes[0].message
    assert AuditEvent.objects.filter(action="sprint.goal_shared", target_id=sprint.id).exists()


def test_only_the_agency_po_may_share_the_draft_goal(members, dev, client_po, sprint):
    for member in (dev, client_po):
        with pytest.raises(PermissionDenied):
            sprint_goal_share(actor=member.user, membership=member, sprint=sprint)
    assert SprintGoalShare.objects.count() == 0


def test_a_goal_is_shared_only_while_the_sprint_is_planned_and_once_written(members, po, active_sprint):
    with pytest.raises(DomainError, match="only the goal of a planned sprint"):
        sprint_goal_share(actor=po.user, membership=po, sprint=active_sprint)
    empty = make_sprint(po, goal="")
    with pytest.raises(DomainError, match="Write the sprint goal first"):
        sprint_goal_share(actor=po.user, membership=po, sprint=empty)
    assert SprintGoalShare.objects.count() == 0
    assert not Notification.objects.filter(kind="sprint.goal_shared").exists()


def test_the_planned_sprint_page_offers_the_share_button_to_the_agency_po(members, po, client_po, sprint):
    page = login(po.user).get(f"/p/ACME/sprints/{sprint.number}/")
    assert b"Share the draft goal with the client" in page.content
    assert login(client_po.user).get(f"/p/ACME/sprints/{sprint.number}/").content.count(b"Share the") == 0


def test_sharing_from_the_page_says_when_and_offers_to_share_again_after_an_edit(members, po, sprint):
    c = login(po.user)
    response = c.post(f"/p/ACME/sprints/{sprint.number}/share-goal/", follow=True)
    assert b"was shared with the client" in response.content
    assert b"Draft goal shared with the client on" in response.content
    assert b"Share the draft goal with the client" not in response.content
    sprint_update(
        actor=po.user, membership=po, sprint=sprint, goal="Let buyers check out fast", capacity_hours=80
    )
    page = c.get(f"/p/ACME/sprints/{sprint.number}/")
    assert b"The goal has changed since." in page.content
    assert b"Share the new draft goal with the client" in page.content


def test_sharing_the_goal_of_a_started_sprint_from_the_page_shows_the_reason(members, po, active_sprint):
    response = login(po.user).post(f"/p/ACME/sprints/{active_sprint.number}/share-goal/", follow=True)
    assert response.status_code == 200
    assert b"only the goal of a planned sprint is shared as a draft" in response.content


def test_html_in_a_shared_goal_is_escaped_on_the_page(members, po, client_po):
    sprint = make_sprint(po, goal="<script>alert(1)</script> checkout")
    sprint_goal_share(actor=po.user, membership=po, sprint=sprint)
    page = login(client_po.user).get(f"/p/ACME/sprints/{sprint.number}/")
    assert b"<script>alert(1)" not in page.content
    assert b"Draft goal shared with the client on" in page.content


def test_outsiders_cannot_share_a_goal(members, outsider, sprint):
    assert login(outsider.user).post(f"/p/ACME/sprints/{sprint.number}/share-goal/").status_code == 404


# --- What waits for the reader ---------------------------------------------------------------------

asked_for = []


def fake_decisions(*, projects, holder=None):
    """An inbox provider standing in for a request kind: one overdue decision and one due later."""
    asked_for.append((tuple(p.key for p in projects), holder))
    created = datetime(2026, 3, 2, 9, tzinfo=ZoneInfo("UTC"))
    return [
        InboxRow(
            kind="decision",
            id=1,
            title="Which payment provider?",
            project=projects[0].key,
            asked_by="Agency_Po",
            due=date.today() - timedelta(days=1),
            overdue=True,
            cost_of_delay="after Friday this costs ~3 extra days",
            url="/p/ACME/decisions/1/",
            holder_id=None,
            holder_name="",
            created_at=created,
            template="decisions/_inbox_row.html",
        ),
        InboxRow(
            kind="roadmap_change",
            id=2,
            title="Move gift cards to the summer release",
            project=projects[0].key,
            asked_by="Agency_Po",
            due=date.today() + timedelta(days=5),
            overdue=False,
            cost_of_delay="",
            url="/p/ACME/roadmap/changes/2/",
            holder_id=None,
            holder_name="",
            created_at=created,
            template="roadmap/_inbox_row.html",
        ),
    ]


@pytest.fixture
def waiting(monkeypatch):
    asked_for.clear()
    monkeypatch.setattr(content, "PROVIDERS", ["tests.test_digests_ceremonies.fake_decisions"])


def test_the_client_digest_says_what_waits_for_the_reader_and_by_when(
    waiting, members, client_po, project, active_sprint
):
    _subject, text, html = render_digest(build_digest(project, Audience.CLIENT, reader=client_po.user))
    assert asked_for == [(("ACME",), client_po.user)]
    for body in (text, html):
        assert "Which payment provider?" in body
        assert "after Friday this costs ~3 extra days" in body
        assert "Move gift cards to the summer release" in body
        assert "Please answer by" in body
    assert "OVERDUE" in text and "Overdue" in html
    assert html.index("Which payment provider?") < html.index("Move gift cards")  # oldest due first


def test_the_team_digest_shows_what_waits_on_the_client_with_its_age(waiting, members, po, project):
    _subject, text, _html = render_digest(build_digest(project, Audience.TEAM, reader=po.user))
    assert asked_for == [(("ACME",), None)]
    assert "Which payment provider? — Decision, waiting" in text
    assert "(OVERDUE)" in text
    assert "Move gift cards to the summer release — Roadmap change" in text
