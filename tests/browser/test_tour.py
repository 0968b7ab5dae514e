"""A walk through the main pages of the demo engagement as the agency PO, the client PO and a visitor.

Every page must render with no console error (a CSP violation is one) and no uncaught exception. The
walk saves full-page screenshots, plus 1360×900 viewport ones named ``docs-*`` from which
docs/screenshots/ is refreshed by hand.
"""

import re

import pytest
from playwright.sync_api import expect

from sightline.backlog.models import Item, Status
from sightline.sprints.models import Sprint, SprintState

pytestmark = pytest.mark.django_db(transaction=True)

ITEM_WITH_EVERYTHING = "ACME-31"  # in progress, with criteria, subtasks, a comment and a history


def test_agency_po_pages_render_without_console_errors(demo, live_server, log_in, page_errors, shot):
    page = log_in("po@agency.test")
    base = f"{live_server.url}/p/ACME"

    page.goto(f"{base}/backlog/")
    expect(page.get_by_role("heading", name="Backlog", exact=True)).to_be_visible()
    expect(page.locator("#backlog-rows")).to_have_attribute("data-sortable", "on")
    assert page.locator("#backlog-rows .backlog-row").count() >= 40
    shot(page, "tour-backlog")
    shot(page, "docs-backlog", full_page=False)
    # The filters swap the list in place and push the address: exercise one htmx round trip.
    with page.expect_response(lambda r: "/backlog/?" in r.url and "q=fitting" in r.url):
        page.get_by_label("Search").fill("fitting")
    expect(page.locator("#backlog-list .notice")).to_contain_text("match")
    expect(page).to_have_url(re.compile(r"q=fitting"))
    assert all("fitting" in t.lower() for t in page.locator("#backlog-rows .title").all_inner_texts())

    item = Item.objects.get(key=ITEM_WITH_EVERYTHING)
    assert item.subtasks.exists() and item.criteria.exists() and item.comments.exists()
    page.goto(f"{base}/items/{item.key}/")
    expect(page.get_by_role("heading", name=item.title, level=1)).to_be_visible()
    for section in ("Acceptance criteria", "Subtasks", "Comments", "History"):
        expect(page.get_by_role("heading", name=re.compile(rf"^{section}"), level=2)).to_be_visible()
    expect(page.locator("#subtasks .subtask")).to_have_count(item.subtasks.count())
    expect(page.locator("#criteria li")).to_have_count(item.criteria.count())
    shot(page, "tour-item")
    shot(page, "docs-item", full_page=False)
    # Ticking a subtask swaps the list in place.
    open_subtask = item.subtasks.filter(done=False).order_by("id").first()
    done_after = f"{item.subtasks.filter(done=True).count() + 1} of {item.subtasks.count()} done"
    page.locator("#subtasks").get_by_role("button", name=f"{open_subtask.title} done").click()
    expect(page.locator("#subtasks .heading-note")).to_contain_text(done_after)
    open_subtask.refresh_from_db()
    assert open_subtask.done

    planned = Sprint.objects.get(project=demo, state=SprintState.PLANNED)
    page.goto(f"{base}/sprints/{planned.number}/")
    expect(page.get_by_role("heading", name=planned.name, level=1)).to_be_visible()
    expect(page.locator("#capacity-meter")).to_be_visible()
    expect(page.locator("#capacity-text")).to_contain_text("capacity")
    expect(page.get_by_role("heading", name="Ready in the backlog")).to_be_visible()
    shot(page, "tour-planning")
    shot(page, "docs-planning", full_page=False)
    page.get_by_label("Filter ready items").fill("PayPal")
    expect(page.locator("#ready-list .plan-row")).to_have_count(1)
    expect(page.locator("#ready-list .plan-row")).to_contain_text("Pay with PayPal")

    page.goto(f"{base}/board/")
    active = Sprint.objects.get(project=demo, state=SprintState.ACTIVE)
    expect(page.get_by_role("heading", name=f"Board · {active.name}")).to_be_visible()
    expect(page.locator(".board-card")).to_have_count(active.items.count())
    shot(page, "tour-board")
    shot(page, "docs-board", full_page=False)
    waiting = active.items.filter(status=Status.PLANNED).order_by("rank", "id").first()
    page.get_by_role("button", name=f"Start work on {waiting.key}").click()
    expect(page.locator(f".board-col-in_progress #card-{waiting.key}")).to_be_visible()
    waiting.refresh_from_db()
    assert waiting.status == Status.IN_PROGRESS

    closed = Sprint.objects.filter(project=demo, state=SprintState.CLOSED).order_by("-number").first()
    page.goto(f"{base}/sprints/{closed.number}/")
    expect(page.get_by_role("heading", name="Sprint report")).to_be_visible()
    expect(page.locator(".sprint-report .figures")).to_contain_text("Velocity")
    shot(page, "tour-sprint-report")
    shot(page, "docs-sprint-report", full_page=False)

    page.goto(f"{live_server.url}/api/v1/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Sightline API")
    paths = page.locator(".opblock-summary-path")
    expect(paths.first).to_be_visible()
    listed = set(paths.all_inner_texts())
    assert {
        "/api/v1/auth/token",
        "/api/v1/items/{item_key}/accept",
        "/api/v1/sprints/{sprint_id}/close",
    } <= listed
    shot(page, "docs-api-docs", full_page=False)
    page.locator(".opblock-summary", has=page.get_by_text("/api/v1/auth/token", exact=True)).click()
    expect(page.locator(".opblock.is-open")).to_have_count(1)
    shot(page, "tour-api-docs")

    assert page_errors == [], "\n".join(page_errors)


def test_client_pages_render_without_console_errors(demo, live_server, log_in, page_errors, shot):
    page = log_in("client@acme.test")
    base = f"{live_server.url}/p/ACME"

    page.goto(f"{base}/awaiting/")
    expect(page.get_by_role("heading", name="Awaiting your acceptance")).to_be_visible()
    delivered = list(
        Item.objects.filter(project=demo, status=Status.DELIVERED).order_by("delivered_at", "id")
    )
    expect(page.locator(".awaiting-item")).to_have_count(len(delivered))
    # The quick verdict opens in place.
    page.locator(".awaiting-item").first.get_by_text("Give your verdict here").click()
    expect(page.locator(".awaiting-item").first.get_by_role("button", name="Accept")).to_be_visible()
    shot(page, "tour-awaiting")
    shot(page, "docs-awaiting", full_page=False)

    item = delivered[0]
    page.goto(f"{base}/items/{item.key}/")
    panel = page.locator(f"#acceptance-{item.key}")
    expect(panel.get_by_role("heading", name=f"Your verdict on {item.key}")).to_be_visible()
    # Internal comments stay with the agency.
    assert page.locator(".comment.internal").count() == 0
    first = item.criteria.order_by("position", "id").first()
    panel.get_by_label(first.text, exact=True).check()
    shot(page, "tour-acceptance")
    shot(page, "docs-acceptance", full_page=False)

    assert page_errors == [], "\n".join(page_errors)


def test_login_page_renders_without_console_errors(live_server, page, page_errors, shot):
    page.goto(f"{live_server.url}/p/ACME/backlog/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/p/ACME/backlog/"))
    expect(page.get_by_role("heading", name="Log in to Sightline")).to_be_visible()
    expect(page.get_by_label("Email")).to_be_visible()
    expect(page.get_by_label("Password")).to_be_visible()
    shot(page, "tour-login", full_page=False)
    assert page_errors == [], "\n".join(page_errors)
