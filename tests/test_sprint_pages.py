"""Sprint pages: the list and creating a sprint, with its dates, planned hours, velocity and rolled-over
counts. The helpers here are shared by the other sprint page modules."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from sightline.backlog.models import Status
from sightline.backlog.transitions import item_accept
from sightline.sprints.models import Sprint, SprintState
from sightline.sprints.services import sprint_close, sprint_start
from tests.conftest import login, make_sprint

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def url(name, *args):
    return reverse(f"sprints:{name}", args=["ACME", *args])


# --- List and creation ----------------------------------------------------------------------------


def test_sprint_list_offers_the_po_the_next_sprint_with_dates_after_the_last_one(po, sprint):
    response = login(po.user).get(url("list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Create the next sprint (Sprint 2)" in html
    assert 'name="start_date" value="2026-11-16"' in html  # the Monday after Sprint 1 ends
    assert 'name="capacity_hours" value="80"' in html


def test_po_creates_a_sprint_through_the_form_and_lands_on_its_planning_page(po):
    response = login(po.user).post(
        url("create"),
        {
            "start_date": "2026-12-07",
            "end_date": "2026-12-18",
            "goal": "Buyers can pay",
            "capacity_hours": "64",
        },
    )
    sprint = Sprint.objects.get(project=po.project)
    assert response.status_code == 302 and response["Location"] == url("detail", sprint.number)
    assert (sprint.number, sprint.goal, sprint.capacity_hours) == (1, "Buyers can pay", Decimal(64))
    assert sprint.start_date == date(2026, 12, 7) and sprint.state == SprintState.PLANNED


def test_a_sprint_ending_before_it_starts_is_refused_with_the_message_next_to_the_end_date(po):
    response = login(po.user).post(
        url("create"),
        {"start_date": "2026-12-07", "end_date": "2026-12-01", "goal": "", "capacity_hours": "64"},
    )
    assert response.status_code == 422
    assert "Ends on: The end date must be on or after the start date." in response.content.decode()
    assert not Sprint.objects.exists()


def test_a_sprint_starting_before_the_engagement_is_refused_naming_the_start_date(po):
    po.project.start_date = date(2026, 12, 1)
    po.project.save(update_fields=["start_date"])
    response = login(po.user).post(
        url("create"),
        {"start_date": "2026-11-30", "end_date": "2026-12-11", "goal": "", "capacity_hours": "64"},
    )
    assert response.status_code == 422
    assert (
        "Starts on: A sprint cannot start before the engagement does (1 Dec 2026)"
        in response.content.decode()
    )
    assert not Sprint.objects.exists()


def test_only_the_agency_po_sees_the_create_form_and_may_create(dev, client_po):
    assert "Create the next sprint" not in login(dev.user).get(url("list")).content.decode()
    response = login(client_po.user).post(
        url("create"), {"start_date": "2026-12-07", "end_date": "2026-12-18", "capacity_hours": "10"}
    )
    assert response.status_code == 403 and not Sprint.objects.exists()


def test_sprint_list_shows_planned_hours_velocity_accepted_and_rolled_over_counts(po, client_po, make_item):
    first = make_sprint(po, start=date(2026, 10, 19))
    done = make_item(Status.DELIVERED, sprint=first, points=5, estimate_hours=12)
    late = make_item(Status.DELIVERED, sprint=first, points=3)
    item_accept(actor=client_po.user, membership=client_po, item=done)
    first = sprint_start(actor=po.user, membership=po, sprint=first)
    sprint_close(actor=po.user, membership=po, sprint=first)
    second = make_sprint(po, start=date(2026, 11, 2))
    make_item(Status.PLANNED, sprint=second, estimate_hours=30)
    make_item(Status.PLANNED, sprint=second, estimate_hours=60)

    html = login(po.user).get(url("list")).content.decode()
    assert "90 h of 80 h" in html and "over by 10 h" in html
    assert "<strong>5</strong> pts" in html  # velocity of Sprint 1: accepted points only
    assert "5 points</strong> a sprint on average" in html
    assert late.key not in html
    row = html[html.index(">Sprint 1<") :]
    assert '<td class="num">1</td>' in row[: row.index("</tr>")]  # one accepted, one rolled over
