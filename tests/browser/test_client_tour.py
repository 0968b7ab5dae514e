"""The client's side as people see it: the inbox, a decision, the roadmap, "your role this week", the
client digest as a mail client shows it, and the agency's "Waiting on the client" view.

Each page is checked for its heading and for console errors, and screenshotted (``docs-*`` at the
README's size)."""

from playwright.sync_api import expect

from sightline.decisions.models import DecisionRequest, DecisionState
from sightline.roadmap.models import RoadmapChange


def test_client_side_pages_render(demo, live_server, log_in, page_errors, shot):
    page = log_in("client@acme.test")
    base = f"{live_server.url}/p/ACME"

    page.goto(f"{live_server.url}/inbox/")
    expect(page.get_by_role("heading", name="Waiting for you", exact=True)).to_be_visible()
    kinds = {"acceptance", "decision", "roadmap_change", "criteria_review"}
    for kind in kinds:
        expect(page.locator(f"li.inbox-row.kind-{kind}").first).to_be_visible()
    shot(page, "tour-inbox")
    shot(page, "docs-inbox", full_page=False)

    decision = (
        DecisionRequest.objects.filter(project=demo, state=DecisionState.OPEN).order_by("number").first()
    )
    page.goto(f"{base}/decisions/{decision.number}/")
    expect(page.get_by_role("heading", name=decision.question)).to_be_visible()
    shot(page, "tour-decision")
    shot(page, "docs-decision", full_page=False)

    page.goto(f"{base}/roadmap/")
    expect(page.get_by_role("heading", name="Roadmap", exact=True)).to_be_visible()
    open_change = RoadmapChange.objects.filter(project=demo).open().first()
    expect(page.get_by_text(open_change.summary).first).to_be_visible()
    shot(page, "tour-roadmap")
    shot(page, "docs-roadmap", full_page=False)

    page.goto(f"{base}/your-role/")
    expect(page.get_by_role("heading", name="Your role this week")).to_be_visible()
    shot(page, "tour-your-role")

    # The client digest exactly as sent (its own page, inline mail styles, no scripts).
    page.goto(f"{base}/digest/email/?audience=client")
    expect(page.get_by_text("Acme Bikes web shop").first).to_be_visible()
    assert "internal" not in page.content().lower()
    shot(page, "tour-client-digest")
    shot(page, "docs-client-digest", full_page=False)

    assert page_errors == [], "\n".join(page_errors)


def test_agency_sees_what_waits_on_the_client(demo, live_server, log_in, page_errors, shot):
    page = log_in("po@agency.test")
    page.goto(f"{live_server.url}/p/ACME/waiting/")
    expect(page.get_by_role("heading", name="Waiting on the client")).to_be_visible()
    expect(page.locator("table tbody tr").first).to_be_visible()
    shot(page, "tour-waiting")
    shot(page, "docs-waiting", full_page=False)
    assert page_errors == [], "\n".join(page_errors)
