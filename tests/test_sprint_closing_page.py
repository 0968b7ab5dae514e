"""Closing a sprint from its page: confirmation first, then the report of velocity and what rolled over where."""

from datetime import date

from sightline.backlog.models import Item, Status
from sightline.backlog.transitions import item_accept, item_reject
from sightline.sprints.models import Sprint, SprintState
from sightline.sprints.services import sprint_start
from tests.conftest import login, make_sprint
from tests.test_sprint_pages import url

# --- Closing --------------------------------------------------------------------------------------


def test_closing_asks_for_confirmation_first(po, active_sprint, make_item):
    make_item(Status.IN_PROGRESS, sprint=active_sprint)
    response = login(po.user).get(url("close", 1))
    html = response.content.decode()
    assert response.status_code == 200 and "Close Sprint 1?" in html and "the backlog" in html
    assert Sprint.objects.get(pk=active_sprint.pk).state == SprintState.ACTIVE


def test_closing_reports_velocity_and_what_rolled_over_where(po, client_po, make_item):
    sprint = make_sprint(po)
    done = make_item(Status.DELIVERED, sprint=sprint, points=5, title="Pay by card")
    rejected = make_item(Status.DELIVERED, sprint=sprint, points=3, title="Saved addresses")
    sprint_start(actor=po.user, membership=po, sprint=sprint)
    late = make_item(Status.IN_PROGRESS, sprint=sprint, points=2, title="Order emails")
    item_accept(actor=client_po.user, membership=client_po, item=done)
    item_reject(actor=client_po.user, membership=client_po, item=rejected, reason="Address list is empty")
    make_sprint(po, start=date(2026, 11, 16))

    c = login(po.user)
    response = c.post(url("close", 1))
    assert response.status_code == 302 and response["Location"] == url("detail", 1)
    html = c.get(response["Location"]).content.decode()
    assert "Sprint 1 closed: velocity 5 points; 2 items rolled over to Sprint 2." in html
    assert "<strong>5</strong> points accepted" in html
    report = html[html.index("Rolled over to Sprint 2</h2>") :]
    assert rejected.key in report and late.key in report and "Order emails" in report
    assert done.key not in report
    assert Item.objects.get(pk=late.pk).sprint.number == 2


def test_items_roll_back_to_the_backlog_when_no_sprint_is_planned(po, active_sprint, make_item):
    item = make_item(Status.IN_PROGRESS, sprint=active_sprint)
    c = login(po.user)
    c.post(url("close", 1))
    html = c.get(url("detail", 1)).content.decode()
    assert "Rolled over to the backlog</h2>" in html and item.key in html
