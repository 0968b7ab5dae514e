"""The sprint board: the running sprint in columns by state, cards moved by the team only, stale cards refused,
and a constant number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sightline.backlog.models import Item, Status
from tests.conftest import login, make_sprint
from tests.test_sprint_pages import HTMX, url

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
