"""The client clears their inbox in a real browser, using only the inbox page: one acceptance, one
decision and one roadmap change, each answered in place; the list and the counts follow."""

import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from sightline.accounts.models import User
from sightline.backlog.models import Item, Status

pytestmark = pytest.mark.django_db(transaction=True)

CLIENT = "client@acme.test"
COPIES = Path("/tmp/shots-inbox")


def row_id(row) -> str:
    return row.get_attribute("id")


def keep(path: Path) -> None:
    """Also keep a copy beside the other inbox screenshots, when that folder exists."""
    if COPIES.is_dir():
        shutil.copy(path, COPIES / path.name)


def test_the_client_clears_an_acceptance_a_decision_and_a_roadmap_change_from_the_inbox(
    demo, live_server, log_in, page_errors, shot
):
    page = log_in(CLIENT)
    expect(page).to_have_url(re.compile(r"/inbox/$"))
    rows = page.locator("li.inbox-row")
    total = rows.count()
    kinds = {row.get_attribute("class").split("kind-")[1].split()[0] for row in rows.all()}
    assert {"acceptance", "decision", "roadmap_change"} <= kinds, kinds
    keep(shot(page, "inbox-before"))

    acceptance = page.locator("li.inbox-row.kind-acceptance").first
    accepted_id = row_id(acceptance)
    for box in acceptance.get_by_role("checkbox").all():
        box.check()
    acceptance.get_by_role("button", name="Accept", exact=True).click()
    expect(page.locator(f"#{accepted_id}")).to_have_count(0)
    expect(page.locator("#nav-inbox-total")).to_contain_text(str(total - 1))

    decision = page.locator("li.inbox-row.kind-decision").first
    decision_id = row_id(decision)
    decision.locator("button.decision-choice.is-recommended").click()
    expect(page.locator(f"#{decision_id}")).to_have_count(0)
    expect(page.locator("#nav-inbox-total")).to_contain_text(str(total - 2))

    change = page.locator("li.inbox-row.kind-roadmap_change").first
    change_id = row_id(change)
    change.get_by_role("button", name="Approve and apply").click()
    expect(page.locator(f"#{change_id}")).to_have_count(0)
    expect(page.locator("#nav-inbox-total")).to_contain_text(str(total - 3))
    expect(page.locator(".inbox-summary")).to_contain_text(f"{total - 3} request")
    keep(shot(page, "inbox-after"))

    item_id = int(accepted_id.rsplit("-", 1)[1])
    assert Item.objects.get(pk=item_id).status == Status.ACCEPTED
    page.reload()
    for gone in (accepted_id, decision_id, change_id):
        expect(page.locator(f"#{gone}")).to_have_count(0)
    assert page.locator("li.inbox-row").count() == total - 3
    assert page_errors == []


def test_a_refused_verdict_shows_its_message_in_the_row_and_a_handover_moves_the_row(
    demo, live_server, log_in, page_errors, shot
):
    page = log_in(CLIENT)
    acceptance = page.locator("li.inbox-row.kind-acceptance").first
    refused_id = row_id(acceptance)
    acceptance.get_by_role("button", name="Accept", exact=True).click()
    expect(page.locator(f"#{refused_id} .criteria-check .error")).to_contain_text("not ticked")
    keep(shot(page, "inbox-verdict-refused"))

    row = page.locator(f"#{refused_id}")
    row.get_by_text("Hand to someone else…").click()
    row.get_by_label("Hand to").select_option(value=str(User.objects.get(email="exec@acme.test").pk))
    row.get_by_label("Note for them (optional)").fill("You tried the fitting slots at the Leeds store")
    keep(shot(page, "inbox-handover-form"))
    row.get_by_role("button", name="Hand over").click()
    expect(page.locator(f"#{refused_id}")).to_have_count(0)

    page.context.clear_cookies()
    page = log_in("exec@acme.test")
    page.goto(f"{live_server.url}/inbox/")
    held = page.locator(f"#{refused_id}")
    expect(held).to_contain_text("handed to you")
    keep(shot(page, "inbox-handed-to-stakeholder"))
    assert page_errors == []
