"""The client product owner accepts and rejects deliveries in a real browser, on the demo engagement."""

import re

import pytest
from playwright.sync_api import expect

from sightline.accounts.models import User
from sightline.backlog.models import AcceptanceDecision, Item, Status

pytestmark = pytest.mark.django_db(transaction=True)

CLIENT = "client@acme.test"
REASON = (
    "The slot list shows yesterday's times for the Leeds store; I expected only free slots from today on."
)


def awaiting_keys(page) -> list[str]:
    return page.locator(".awaiting-item .awaiting-head .item-key").all_inner_texts()


def open_awaiting(log_in, live_server):
    page = log_in(CLIENT)
    page.goto(f"{live_server.url}/p/ACME/awaiting/")
    expect(page.get_by_role("heading", name="Awaiting your acceptance")).to_be_visible()
    return page


def panel_of(page, key: str):
    return page.locator(f"#acceptance-{key}")


def test_client_accepts_a_delivery_after_ticking_every_criterion(
    demo, live_server, log_in, page_errors, shot
):
    page = open_awaiting(log_in, live_server)
    keys = awaiting_keys(page)
    assert len(keys) >= 2, keys
    assert set(keys) == set(
        Item.objects.filter(project=demo, status=Status.DELIVERED).values_list("key", flat=True)
    )
    shot(page, "acceptance-awaiting")

    key = keys[0]
    page.locator(".awaiting-item", has=page.get_by_text(key, exact=True)).get_by_role(
        "link", name="Review and accept"
    ).click()
    expect(page).to_have_url(re.compile(rf"/p/ACME/items/{key}/$"))
    panel = panel_of(page, key)
    expect(panel.get_by_role("heading", name=f"Your verdict on {key}")).to_be_visible()

    criteria = list(Item.objects.get(key=key).criteria.values_list("text", flat=True))
    assert criteria
    for text in criteria:
        panel.get_by_label(text, exact=True).check()
    for text in criteria:
        expect(panel.get_by_label(text, exact=True)).to_be_checked()
    shot(page, "acceptance-panel-ticked")

    panel.get_by_role("button", name="Accept", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(f"{key} accepted: it is Done.")
    expect(page.locator(".accepted-note")).to_contain_text("Done — accepted by")
    expect(page.locator(".item-chips .status")).to_have_text("Accepted")
    expect(panel_of(page, key)).to_have_count(0)
    shot(page, "acceptance-after-accept")

    item = Item.objects.get(key=key)
    assert item.status == Status.ACCEPTED
    assert item.accepted_by == User.objects.get(email=CLIENT)
    assert item.accepted_at is not None
    assert not item.criteria.filter(met=False).exists()
    assert page_errors == [], "\n".join(page_errors)


def test_client_rejects_a_delivery_with_the_reason_the_team_then_sees(
    demo, live_server, log_in, page_errors, shot
):
    page = open_awaiting(log_in, live_server)
    key = awaiting_keys(page)[-1]
    page.locator(".awaiting-item", has=page.get_by_text(key, exact=True)).get_by_role(
        "link", name="Review and accept"
    ).click()
    panel = panel_of(page, key)
    first_criterion = Item.objects.get(key=key).criteria.order_by("position", "id").first()
    panel.get_by_label(first_criterion.text, exact=True).check()
    panel.get_by_label("Reason for rejecting").fill(REASON)
    panel.get_by_role("button", name="Reject").click()

    expect(page.get_by_role("status")).to_contain_text(f"{key} went back to the team with your reason.")
    expect(page.locator(".item-chips .status")).to_have_text("Rejected")
    expect(page.get_by_role("region", name="Rejected by the client — what needs fixing")).to_contain_text(
        REASON
    )
    shot(page, "acceptance-after-reject")

    item = Item.objects.get(key=key)
    assert item.status == Status.REJECTED
    assert item.rejection_reason == REASON
    decision = AcceptanceDecision.objects.get(item=item, outcome="rejected")
    assert decision.decided_by.email == CLIENT
    assert [t["id"] for t in decision.criteria_ticks if t["met"]] == [first_criterion.id]

    page.goto(f"{live_server.url}/p/ACME/awaiting/")
    assert key not in awaiting_keys(page)
    assert page_errors == [], "\n".join(page_errors)


def test_a_too_short_reason_is_refused_and_the_item_stays_delivered(
    demo, live_server, log_in, page_errors, shot
):
    page = open_awaiting(log_in, live_server)
    key = awaiting_keys(page)[0]
    page.goto(f"{live_server.url}/p/ACME/items/{key}/")
    panel = panel_of(page, key)
    reason = panel.get_by_label("Reason for rejecting")

    # The browser stops a reason under ten characters before it is sent.
    reason.fill("Broken")
    panel.get_by_role("button", name="Reject").click()
    expect(page).to_have_url(re.compile(rf"/items/{key}/$"))
    assert reason.evaluate("el => el.validity.tooShort")
    assert "10" in reason.evaluate("el => el.validationMessage")

    # Ten characters of which only six are words get past the browser; the server says why it refuses.
    reason.fill("  Broken  ")
    panel.get_by_role("button", name="Reject").click()
    expect(page).to_have_url(re.compile(rf"/items/{key}/reject/$"))
    error = page.get_by_role("alert")
    expect(error).to_have_text(
        "A rejection needs a reason of at least 10 characters so the team knows what to fix."
    )
    expect(page.get_by_label("Reason for rejecting")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Reason for rejecting")).to_have_value("  Broken  ")
    shot(page, "acceptance-reason-too-short")

    item = Item.objects.get(key=key)
    assert item.status == Status.DELIVERED
    assert item.rejection_reason == ""
    assert not AcceptanceDecision.objects.filter(item=item).exists()
    # The refused verdict comes back as 422, which Chromium logs; nothing else may.
    refused = [e for e in page_errors if "status of 422" in e and e.endswith(f"/items/{key}/reject/]")]
    assert len(refused) == 1
    assert [e for e in page_errors if e not in refused] == []
