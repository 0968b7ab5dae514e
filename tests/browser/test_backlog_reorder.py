"""Reordering the ranked backlog in a real browser: dragging a row, typing a position, sending to the top.

Each move must survive a reload and match the rank order in the database.
"""

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from sightline.backlog.models import Item

pytestmark = pytest.mark.django_db(transaction=True)

ROWS = "#backlog-rows .backlog-row"


def dom_keys(page) -> list[str]:
    return page.locator(ROWS).evaluate_all("rows => rows.map(row => row.dataset.key)")


def ranked_keys(project) -> list[str]:
    return list(Item.objects.filter(project=project).in_backlog_view().ranked().values_list("key", flat=True))


def open_backlog(log_in, live_server, email="po@agency.test"):
    page = log_in(email)
    page.goto(f"{live_server.url}/p/ACME/backlog/")
    expect(page.get_by_role("heading", name="Backlog", exact=True)).to_be_visible()
    # backlog.js marks the list once SortableJS is attached; before that a drag does nothing.
    expect(page.locator("#backlog-rows")).to_have_attribute("data-sortable", "on")
    return page


def is_move_of(key: str):
    return lambda response: response.url.endswith(f"/items/{key}/move/") and response.request.method == "POST"


def reload_and_read(page) -> list[str]:
    page.reload()
    expect(page.locator("#backlog-rows")).to_have_attribute("data-sortable", "on")
    return dom_keys(page)


def drag_below(page, dragged: str, target: str):
    """Drag a row by its handle with real pointer moves until SortableJS has placed it below ``target``,
    then drop it. The rows animate while they make room, so aim again at where the target is now."""
    handle = page.locator(f"#row-{dragged} .handle").bounding_box()
    x, y = handle["x"] + handle["width"] / 2, handle["y"] + handle["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x, y + 6, steps=3)  # past SortableJS's start threshold
    placed = "([d, t]) => document.getElementById('row-' + d).previousElementSibling?.dataset.key === t"
    for _ in range(5):
        box = page.locator(f"#row-{target}").bounding_box()
        page.mouse.move(x, box["y"] + box["height"] * 0.75, steps=10)
        try:
            page.wait_for_function(placed, arg=[dragged, target], timeout=1000)
            break
        except PlaywrightTimeoutError:
            continue
    page.mouse.up()


def open_move_menu(page, key: str):
    row = page.locator(f"#row-{key}")
    row.get_by_label(f"Move {key}").click()
    expect(row.get_by_label("Position")).to_be_visible()
    return row


def test_agency_po_drags_an_item_down_and_the_order_survives_a_reload(
    demo, live_server, log_in, page_errors, shot
):
    page = open_backlog(log_in, live_server)
    before = dom_keys(page)
    assert before == ranked_keys(demo)[: len(before)]
    shot(page, "backlog-before-drag", full_page=False)

    dragged, target = before[0], before[3]
    with page.expect_response(is_move_of(dragged)) as moved:
        drag_below(page, dragged, target)
    assert moved.value.status == 200
    assert f"after={target}" in moved.value.request.post_data

    expected = before[1:4] + [dragged] + before[4:]
    expect(page.get_by_role("status")).to_have_text(f"{dragged} moved to position 4.")
    expect(page.locator(f"#row-{dragged}")).to_have_class(re.compile(r"\bjust-moved\b"))
    assert dom_keys(page)[:5] == expected[:5]
    # No leftover inline styles from the drag animation (the CSP would refuse them on the next swap).
    assert page.locator("#backlog-rows [style]").count() == 0
    shot(page, "backlog-after-drag", full_page=False)

    after_reload = reload_and_read(page)
    assert after_reload == expected
    assert ranked_keys(demo)[: len(after_reload)] == expected
    assert page_errors == [], "\n".join(page_errors)


def test_agency_po_types_a_position_and_the_item_lands_there(demo, live_server, log_in, page_errors, shot):
    page = open_backlog(log_in, live_server)
    before = dom_keys(page)
    key = before[5]
    row = open_move_menu(page, key)
    position = row.get_by_label("Position")
    expect(position).to_have_value("6")
    shot(page, "backlog-move-menu", full_page=False)

    position.fill("2")
    with page.expect_response(is_move_of(key)) as moved:
        position.press("Enter")
    assert moved.value.status == 200
    expect(page.get_by_role("status")).to_have_text(f"{key} moved to position 2.")
    # The keyboard stays on the moved row's menu.
    expect(page.locator(f"#row-{key} .row-move summary")).to_be_focused()

    expected = [before[0], key] + [k for k in before[1:] if k != key]
    assert reload_and_read(page) == expected
    assert ranked_keys(demo)[: len(expected)] == expected
    shot(page, "backlog-after-position")
    assert page_errors == [], "\n".join(page_errors)


def test_client_po_sends_one_item_to_the_top_and_another_to_a_position(
    demo, live_server, log_in, page_errors, shot
):
    page = open_backlog(log_in, live_server, email="client@acme.test")
    before = dom_keys(page)
    key = before[7]
    row = open_move_menu(page, key)
    with page.expect_response(is_move_of(key)):
        row.get_by_role("button", name="Top").click()
    expect(page.get_by_role("status")).to_have_text(f"{key} moved to position 1.")
    assert dom_keys(page)[0] == key

    other = before[2]
    row = open_move_menu(page, other)
    row.get_by_label("Position").fill("5")
    with page.expect_response(is_move_of(other)):
        row.get_by_role("button", name="Go").click()
    expect(page.get_by_role("status")).to_have_text(f"{other} moved to position 5.")

    after_reload = reload_and_read(page)
    assert after_reload[0] == key
    assert after_reload[4] == other
    assert sorted(after_reload) == sorted(before)
    assert ranked_keys(demo)[: len(after_reload)] == after_reload
    shot(page, "backlog-after-top")
    assert page_errors == [], "\n".join(page_errors)
