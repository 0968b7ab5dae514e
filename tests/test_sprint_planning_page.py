"""The sprint planning page: sprint and ready items with the capacity bar, adding and removing with or without
JavaScript, over-commitment flagged, goal and capacity edits, and who may see or change the plan."""

from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from sightline.backlog.models import Item, Status
from sightline.backlog.subtasks import subtask_add
from sightline.sprints.selectors import planned_hours
from tests.conftest import login
from tests.test_sprint_pages import HTMX, url

# --- Planning -------------------------------------------------------------------------------------


def test_planning_view_lists_sprint_items_and_ready_items_with_capacity(po, sprint, make_item):
    planned = make_item(Status.PLANNED, sprint=sprint, title="Pay with card", estimate_hours=50, points=5)
    ready = make_item(Status.READY, title="Gift wrapping", estimate_hours=8)
    make_item(Status.DRAFT, title="Not ready at all")
    html = login(po.user).get(url("detail", 1)).content.decode()
    assert "Pay with card" in html and "Gift wrapping" in html and "Not ready at all" not in html
    assert "planned 50 h of 80 h capacity" in html
    assert '<meter id="capacity-meter" min="0" max="80.0"' in html and 'value="50' in html
    assert f'name="item" value="{planned.key}"' in html and f'name="item" value="{ready.key}"' in html
    assert "Start sprint" in html


def test_po_adds_and_removes_an_item_without_javascript(po, sprint, make_item):
    item = make_item(Status.READY)
    c = login(po.user)
    response = c.post(url("plan", 1), {"item": item.key})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == Status.PLANNED and item.sprint == sprint
    assert f"{item.key} added to Sprint 1." in c.get(response["Location"]).content.decode()

    response = c.post(url("unplan", 1), {"item": item.key})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == Status.READY and item.sprint is None


def test_adding_with_htmx_returns_both_lists_and_the_capacity_bar_updated(po, sprint, make_item):
    item = make_item(Status.READY, estimate_hours=20)
    response = login(po.user).post(url("plan", 1), {"item": item.key}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="planning"') and "<html" not in html
    assert "planned 20 h of 80 h capacity" in html
    assert 'id="ready-list"' in html and "No ready items" in html
    assert f'Remove<span class="sr-only"> {item.key}' in html


def test_capacity_counts_each_items_hours_or_else_the_hours_of_its_subtasks(po, sprint, make_item):
    with_estimate = make_item(Status.PLANNED, sprint=sprint, estimate_hours=10)
    without = make_item(Status.PLANNED, sprint=sprint, estimate_hours=None)
    subtask_add(actor=po.user, membership=po, item=without, title="Form", estimate_hours=Decimal("1.5"))
    subtask_add(actor=po.user, membership=po, item=without, title="API", estimate_hours=2)
    subtask_add(actor=po.user, membership=po, item=with_estimate, title="Ignored", estimate_hours=40)
    make_item(Status.PLANNED, sprint=sprint, estimate_hours=None)  # no hours at all

    with CaptureQueriesContext(connection) as queries:
        assert planned_hours(sprint) == Decimal("13.5")
    assert len(queries) == 1
    html = login(po.user).get(url("detail", 1)).content.decode()
    assert "planned 13.5 h of 80 h capacity" in html and '3.5 h <span class="muted">(subtasks)' in html


def test_over_commitment_is_flagged_in_words_but_allowed(po, sprint, make_item):
    make_item(Status.PLANNED, sprint=sprint, estimate_hours=70)
    item = make_item(Status.READY, estimate_hours=25)
    response = login(po.user).post(url("plan", 1), {"item": item.key}, **HTMX)
    html = response.content.decode()
    assert "planned 95 h of 80 h capacity" in html and "Over capacity by 15 h" in html
    assert Item.objects.get(pk=item.pk).status == Status.PLANNED


def test_ready_list_filters_by_text_and_shows_items_in_rank_order(po, sprint, make_item):
    make_item(Status.READY, title="Checkout page")
    make_item(Status.READY, title="Wish list")
    make_item(Status.READY, title="Checkout emails")
    response = login(po.user).get(
        url("detail", 1), {"q": "checkout"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="ready-list"
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="ready-list"')
    assert "Wish list" not in html and html.index("Checkout page") < html.index("Checkout emails")


def test_po_edits_goal_and_capacity(po, sprint):
    c = login(po.user)
    response = c.post(url("update", 1), {"goal": "Buyers can pay by card", "capacity_hours": "72.5"})
    assert response.status_code == 302
    sprint.refresh_from_db()
    assert (sprint.goal, sprint.capacity_hours) == ("Buyers can pay by card", Decimal("72.5"))
    response = c.post(url("update", 1), {"goal": "x", "capacity_hours": "-3"})
    assert response.status_code == 422 and "Capacity (hours):" in response.content.decode()


def test_developers_and_clients_see_the_plan_but_cannot_change_it(dev, client_po, sprint, make_item):
    item = make_item(Status.READY)
    for member in (dev, client_po):
        c = login(member.user)
        html = c.get(url("detail", 1)).content.decode()
        assert "Ready in the backlog" not in html and "Start sprint" not in html
        assert c.post(url("plan", 1), {"item": item.key}).status_code == 403
        assert c.post(url("start", 1)).status_code == 403
    assert Item.objects.get(pk=item.pk).status == Status.READY


def test_outsiders_get_404_on_every_sprint_page(outsider, sprint):
    c = login(outsider.user)
    for name, args in [("list", ()), ("detail", (1,)), ("board", ()), ("close", (1,))]:
        assert c.get(url(name, *args)).status_code == 404
    assert c.post(url("plan", 1), {"item": "ACME-1"}).status_code == 404


def test_a_missing_sprint_is_404(po):
    assert login(po.user).get(url("detail", 9)).status_code == 404


def test_planning_warns_when_planned_items_have_no_hours(po, make_item, sprint):
    make_item(Status.PLANNED, sprint=sprint, estimate_hours=6)
    make_item(Status.PLANNED, sprint=sprint, title="No hours yet", estimate_hours=None)
    html = login(po.user).get(f"/p/ACME/sprints/{sprint.number}/").content.decode()
    assert "1 of 2 items has no hour estimate" in html
    assert "planned 6 h of 80 h capacity" in html
