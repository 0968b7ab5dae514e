"""Sprint pages: the list and creating a sprint, planning with the capacity bar, starting, changing the
scope of a running sprint, closing with its report, and the board."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sightline.backlog.models import Item, ItemType, Priority, Status
from sightline.backlog.subtasks import subtask_add
from sightline.backlog.transitions import item_accept, item_reject
from sightline.sprints.models import ScopeChange, Sprint, SprintState
from sightline.sprints.selectors import planned_hours
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


# --- Starting and running -------------------------------------------------------------------------


def test_po_starts_the_sprint(po, sprint):
    response = login(po.user).post(url("start", 1), follow=True)
    sprint.refresh_from_db()
    assert sprint.state == SprintState.ACTIVE
    assert "Sprint 1 started." in response.content.decode()


def test_starting_a_second_sprint_while_one_runs_says_why_not(po, active_sprint):
    make_sprint(po, start=date(2026, 11, 16))
    html = login(po.user).post(url("start", 2), follow=True).content.decode()
    assert "Sprint 1 is still active; close it before starting Sprint 2." in html
    assert Sprint.objects.get(number=2).state == SprintState.PLANNED


def test_adding_to_a_running_sprint_without_a_reason_shows_the_error_at_the_reason_field(
    po, active_sprint, make_item
):
    item = make_item(Status.READY)
    response = login(po.user).post(url("plan", 1), {"item": item.key, "scope_reason": "  "})
    html = response.content.decode()
    assert response.status_code == 422
    assert f'<label for="scope-{item.key}">Scope-change reason' in html
    assert "Scope-change reason: Sprint 1 is active: only critical bugs may join it without a reason." in html
    assert 'aria-invalid="true"' in html
    assert Item.objects.get(pk=item.pk).status == Status.READY and not ScopeChange.objects.exists()


def test_adding_to_a_running_sprint_with_a_reason_records_and_lists_the_scope_change(
    po, active_sprint, make_item
):
    item = make_item(Status.READY)
    c = login(po.user)
    response = c.post(
        url("plan", 1), {"item": item.key, "scope_reason": "Client needs it for the fair"}, **HTMX
    )
    change = ScopeChange.objects.get()
    assert (change.item, change.sprint, change.reason) == (
        item,
        active_sprint,
        "Client needs it for the fair",
    )
    expected = f"added on {change.at:%-d %b} by {po.user.display_name}: Client needs it for the fair"
    assert expected in response.content.decode()
    assert expected in c.get(url("detail", 1)).content.decode()


def test_a_critical_bug_joins_a_running_sprint_without_a_reason(po, active_sprint, make_item):
    bug = make_item(Status.READY, type=ItemType.BUG, priority=Priority.CRITICAL, title="Checkout crashes")
    response = login(po.user).post(url("plan", 1), {"item": bug.key})
    assert response.status_code == 302
    assert ScopeChange.objects.get().reason == "Critical bug"


def test_running_sprint_groups_its_items_by_state(po, active_sprint, make_item):
    make_item(Status.IN_PROGRESS, sprint=active_sprint, title="Being built")
    make_item(Status.DELIVERED, sprint=active_sprint, title="On staging")
    html = login(po.user).get(url("detail", 1)).content.decode()
    in_progress = html.index('status-in_progress">In progress')
    delivered = html.index('status-delivered">Delivered')
    assert in_progress < html.index("Being built") < delivered < html.index("On staging")
    assert "Close sprint" in html and "Remove<span" not in html


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


# --- Board ----------------------------------------------------------------------------------------


def test_board_shows_the_running_sprint_in_columns_by_state(po, dev, active_sprint, make_item):
    make_item(Status.PLANNED, sprint=active_sprint, title="Card one")
    make_item(Status.IN_PROGRESS, sprint=active_sprint, title="Card two", assignee=dev.user)
    make_item(Status.DELIVERED, sprint=active_sprint, title="Card three")
    html = login(dev.user).get(url("board")).content.decode()
    columns = ["col-planned", "col-in_progress", "col-delivered", "col-rejected", "col-accepted"]
    positions = [html.index(f'id="{c}"') for c in columns]
    assert positions == sorted(positions)
    assert positions[0] < html.index("Card one") < positions[1] < html.index("Card two") < positions[2]
    assert positions[2] < html.index("Card three") < positions[3]
    assert "Delivered — awaiting acceptance" in html and dev.user.display_name in html
    assert "Start work" in html and "Deliver…" in html


def test_clients_see_the_board_without_the_teams_buttons(client_po, active_sprint, make_item):
    make_item(Status.PLANNED, sprint=active_sprint)
    make_item(Status.DELIVERED, sprint=active_sprint)
    html = login(client_po.user).get(url("board")).content.decode()
    assert "Start work" not in html and "Deliver…" not in html and "Review and accept" in html


def test_team_moves_cards_from_the_board(dev, active_sprint, make_item):
    item = make_item(Status.PLANNED, sprint=active_sprint)
    c = login(dev.user)
    response = c.post(
        url("board_move"), {"item": item.key, "to": "in_progress", "version": item.version}, **HTMX
    )
    assert response.status_code == 200 and 'id="board-area"' in response.content.decode()
    item.refresh_from_db()
    assert item.status == Status.IN_PROGRESS

    response = c.post(
        url("board_move"),
        {"item": item.key, "to": "delivered", "version": item.version, "staging_url": "", "note": ""},
    )
    assert response.status_code == 422
    assert "Say where the client can see it" in response.content.decode()
    response = c.post(
        url("board_move"),
        {
            "item": item.key,
            "to": "delivered",
            "version": item.version,
            "staging_url": "https://staging.acme.test/cart",
            "note": "Try it",
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.staging_url, item.delivery_note) == (
        Status.DELIVERED,
        "https://staging.acme.test/cart",
        "Try it",
    )


def test_a_stale_card_is_refused_with_409_and_a_clear_message(dev, active_sprint, make_item):
    item = make_item(Status.PLANNED, sprint=active_sprint)
    response = login(dev.user).post(
        url("board_move"), {"item": item.key, "to": "in_progress", "version": item.version - 1}
    )
    assert response.status_code == 409 and "was changed by someone else" in response.content.decode()


def test_clients_cannot_move_cards(client_po, active_sprint, make_item):
    item = make_item(Status.PLANNED, sprint=active_sprint)
    assert (
        login(client_po.user).post(url("board_move"), {"item": item.key, "to": "in_progress"}).status_code
        == 403
    )


def test_board_without_a_running_sprint_says_so_and_links_to_the_sprints(dev, sprint):
    html = login(dev.user).get(url("board")).content.decode()
    assert "No sprint is running right now." in html and f'href="{url("list")}"' in html


def _board_queries(member, count, active_sprint, make_item, dev):
    for n in range(count):
        status = [Status.PLANNED, Status.IN_PROGRESS, Status.DELIVERED][n % 3]
        make_item(status, sprint=active_sprint, assignee=dev.user, title=f"Card {n}")
    c = login(member.user)
    c.get(url("board"))  # warm the session
    with CaptureQueriesContext(connection) as queries:
        assert c.get(url("board")).status_code == 200
    return len(queries)


def test_board_uses_a_constant_number_of_queries(
    po, dev, active_sprint, make_item, django_assert_max_num_queries
):
    few = _board_queries(dev, 3, active_sprint, make_item, dev)
    for n in range(27):
        make_item(
            [Status.PLANNED, Status.IN_PROGRESS, Status.DELIVERED][n % 3],
            sprint=active_sprint,
            assignee=po.user,
            title=f"More {n}",
        )
    c = login(dev.user)
    with django_assert_max_num_queries(few):
        assert c.get(url("board")).content.decode().count('class="board-card') == 30


@pytest.mark.parametrize("status", ["planned", "active"])
def test_sprint_detail_uses_a_constant_number_of_queries(
    po, make_item, status, django_assert_max_num_queries
):
    sprint = make_sprint(po, active=status == "active")
    for _ in range(3):
        make_item(Status.PLANNED, sprint=sprint)
        make_item(Status.READY)
    c = login(po.user)
    c.get(url("detail", 1))
    with CaptureQueriesContext(connection) as queries:
        c.get(url("detail", 1))
    for _ in range(27):
        make_item(Status.PLANNED, sprint=sprint)
        make_item(Status.READY)
    with django_assert_max_num_queries(len(queries)):
        c.get(url("detail", 1))


def test_a_malformed_staging_link_is_refused_on_the_card(dev, active_sprint, make_item):
    item = make_item(Status.IN_PROGRESS, sprint=active_sprint)
    response = login(dev.user).post(
        url("board_move"),
        {"item": item.key, "to": "delivered", "staging_url": "not a link", "note": "See it"},
    )
    html = response.content.decode()
    assert response.status_code == 422 and "Staging link: Enter a valid URL." in html
    assert ">See it</textarea>" in html
    assert Item.objects.get(pk=item.pk).status == Status.IN_PROGRESS


def test_planning_warns_when_planned_items_have_no_hours(po, make_item, sprint):
    make_item(Status.PLANNED, sprint=sprint, estimate_hours=6)
    make_item(Status.PLANNED, sprint=sprint, title="No hours yet", estimate_hours=None)
    html = login(po.user).get(f"/p/ACME/sprints/{sprint.number}/").content.decode()
    assert "1 of 2 items has no hour estimate" in html
    assert "planned 6 h of 80 h capacity" in html
