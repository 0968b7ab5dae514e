"""Your role this week: a plain-language page for client roles — what waits for them, what is coming
up, the sprint's goal and end, their weekly commitment, and how sprints, reviews and acceptance work."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sightline.projects.models import Membership, Project
from sightline.sprints.services import sprint_start
from tests.conftest import login, make_sprint
from tests.inbox_helpers import delivered_items

URL = reverse("inbox:your_role", args=["ACME"])


def page(member) -> str:
    response = login(member.user).get(URL)
    assert response.status_code == 200
    return response.content.decode()


def test_it_says_what_waits_for_the_client_po_by_kind_with_links(client_po, project):
    delivered_items(project, 2, days_ago=0)
    html = page(client_po)
    assert "2 things wait for you" in html
    assert f'<a href="{reverse("inbox:project", args=["ACME"])}?kind=acceptance">Acceptance: 2</a>' in html
    assert "Coming up" in html and "Delivered thing 1000" in html


def test_overdue_requests_are_called_out(client_po, project):
    delivered_items(project, 1, days_ago=14)
    html = page(client_po)
    assert "1 is overdue" in html and "Overdue</strong> — was due" in html


def test_with_nothing_waiting_it_says_thank_you(client_po):
    assert "Nothing waits for you right now — thank you." in page(client_po)


def test_it_gives_the_sprint_goal_and_end_date_and_the_weekly_commitment(client_po, po):
    today = timezone.localdate()
    sprint = make_sprint(po, start=today - timedelta(days=2), goal="Riders pay with a saved card")
    sprint_start(actor=po.user, membership=po, sprint=sprint)
    Project.objects.filter(pk=client_po.project_id).update(client_commitment_hours=12)
    html = page(client_po)
    assert "The team is working on <strong>Sprint 1</strong>" in html
    assert f"ends on <strong>{sprint.end_date:%A %-d %b}</strong>" in html
    assert "Riders pay with a saved card" in html
    assert "about <strong>12 hours a week</strong>" in html
    assert "logged" not in html  # time logging does not exist yet: nothing is said about it


def test_before_any_sprint_it_says_one_will_be_shared(client_po):
    assert "No sprint is planned yet." in page(client_po)


def test_it_explains_sprint_review_and_acceptance_in_plain_words(client_po):
    html = page(client_po)
    for term in ("<dt>Sprint</dt>", "<dt>Review</dt>", "<dt>Acceptance</dt>"):
        assert term in html
    assert "test website (staging)" in html and "Only accepted work counts as done" in html
    for jargon in ("velocity", "backlog grooming", "story points"):
        assert jargon not in html.lower()


def test_a_stakeholder_is_told_who_decides_and_that_requests_may_be_handed_to_them(client_po, stakeholder):
    html = page(stakeholder)
    assert f"Decisions and acceptance belong to {client_po.user.display_name}" in html
    assert "you are client stakeholder" in html


def test_a_designated_acceptor_is_told_they_may_answer(stakeholder):
    Membership.objects.filter(pk=stakeholder.pk).update(is_acceptor=True)
    assert "You can answer everything in your inbox." in page(stakeholder)


@pytest.mark.parametrize("role", ["agency_po", "developer", "tester"])
def test_the_page_is_for_client_roles(members, role):
    response = login(members[role].user).get(URL)
    assert response.status_code == 403


def test_client_pages_link_to_it_in_the_navigation(client_po, po):
    assert (
        f'href="{URL}"'
        in login(client_po.user).get(reverse("projects:overview", args=["ACME"])).content.decode()
    )
    assert (
        f'href="{URL}"'
        not in login(po.user).get(reverse("projects:overview", args=["ACME"])).content.decode()
    )
