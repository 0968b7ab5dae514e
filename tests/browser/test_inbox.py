"""The client clears their inbox in a real browser, using only the inbox page: one acceptance, one
decision, one roadmap change request and one acceptance-criteria review, each answered in place; the
list, the summary and the navigation count follow every answer, and the empty inbox stays empty."""

import re

import pytest
from playwright.sync_api import expect

from sightline.accounts.models import User
from sightline.backlog.models import AcceptanceDecision, Status
from sightline.backlog.transitions import item_accept
from sightline.decisions.models import DecisionState
from sightline.decisions.services import decision_withdraw
from sightline.inbox.selectors import inbox_rows
from sightline.projects.models import Membership
from sightline.reviews.models import ReviewState
from sightline.reviews.services import criteria_review_mark_reviewed
from sightline.roadmap.changes import roadmap_change_withdraw
from sightline.roadmap.models import ChangeState

pytestmark = pytest.mark.django_db(transaction=True)

CLIENT = "client@acme.test"
AGENCY_PO = "po@agency.test"
KINDS = {
    "acceptance": "Acceptance",
    "decision": "Decision",
    "roadmap_change": "Roadmap change",
    "criteria_review": "Criteria review",
}


def row_id(row) -> str:
    return row.get_attribute("id")


def one_request_of_each_kind(project) -> dict:
    """Leave exactly one request of each kind waiting for the client in ``project``, the oldest due, and
    settle the rest of the demo's inbox through the services: the client accepts the other deliveries and
    reviews the other reviews; the agency PO withdraws the other decisions and roadmap changes. Returns the
    request kept, by kind."""
    client = Membership.objects.select_related("user").get(project=project, user__email=CLIENT)
    agency_po = Membership.objects.select_related("user").get(project=project, user__email=AGENCY_PO)
    kept = {}
    for row in inbox_rows(projects=[project], holder=client.user):
        if row.kind not in kept:
            kept[row.kind] = row.obj
        elif row.kind == "acceptance":
            item_accept(actor=client.user, membership=client, item=row.obj)
        elif row.kind == "decision":
            decision_withdraw(
                actor=agency_po.user, membership=agency_po, decision=row.obj, reason="Settled in the workshop"
            )
        elif row.kind == "roadmap_change":
            roadmap_change_withdraw(actor=agency_po.user, membership=agency_po, change=row.obj)
        elif row.kind == "criteria_review":
            for entry in row.obj.entries.filter(reviewed_at__isnull=True):
                criteria_review_mark_reviewed(actor=client.user, membership=client, entry=entry)
        else:
            raise AssertionError(f"No way to settle a {row.kind} here")
    assert set(kept) == set(KINDS), kept
    assert sorted(row.kind for row in inbox_rows(projects=[project], holder=client.user)) == sorted(KINDS)
    return kept


def expect_waiting(page, n: int) -> None:
    """Still on the inbox, with ``n`` rows; the summary and the navigation count both say ``n``."""
    expect(page).to_have_url(re.compile(r"/inbox/$"))
    expect(page.locator("li.inbox-row")).to_have_count(n)
    expect(page.locator(".inbox-summary")).to_contain_text(f"{n} request{'s' if n != 1 else ''} wait")
    expect(page.locator("#nav-inbox-total")).to_be_visible()
    expect(page.locator("#nav-inbox-total")).to_have_text(f"{n} waiting for you")


def expect_cleared(page) -> None:
    """Nothing left: the empty state instead of the list, and no count badge in the navigation."""
    expect(page).to_have_url(re.compile(r"/inbox/$"))
    expect(page.locator("li.inbox-row")).to_have_count(0)
    expect(page.locator(".inbox-summary")).to_have_text("Nothing waits for you right now.")
    expect(page.locator(".inbox-empty")).to_contain_text("You are all caught up.")
    expect(page.locator("#nav-inbox-total")).to_have_text("0 waiting for you")
    expect(page.locator("#nav-inbox-total")).to_be_hidden()


def test_the_client_clears_an_acceptance_a_decision_a_roadmap_change_and_a_criteria_review_from_the_inbox(
    demo, live_server, log_in, page_errors, shot
):
    kept = one_request_of_each_kind(demo)
    item, decision, change, review = (kept[kind] for kind in KINDS)
    criteria = list(item.criteria.values_list("text", flat=True))
    recommended = decision.recommended_option
    to_review = list(review.entries.filter(reviewed_at__isnull=True).select_related("item"))
    assert criteria and recommended is not None and to_review

    page = log_in(CLIENT)
    expect_waiting(page, 4)
    kinds = page.locator("li.inbox-row .inbox-kind").all_text_contents()
    assert sorted(kinds) == sorted(KINDS.values()), kinds
    shot(page, "inbox-before")

    row = page.locator(f"#inbox-acceptance-{item.pk}")
    for text in criteria:
        row.get_by_label(text, exact=True).check()
    row.get_by_role("button", name="Accept", exact=True).click()
    expect(row).to_have_count(0)
    expect_waiting(page, 3)

    row = page.locator(f"#inbox-decision-{decision.pk}")
    choice = row.get_by_role("button", name=re.compile("Recommended by the team"))
    expect(choice).to_contain_text(recommended.label)
    choice.click()
    expect(row).to_have_count(0)
    expect_waiting(page, 2)

    row = page.locator(f"#inbox-roadmap_change-{change.pk}")
    expect(row).to_contain_text(change.summary)
    row.get_by_role("button", name="Approve and apply").click()
    expect(row).to_have_count(0)
    expect_waiting(page, 1)

    row = page.locator(f"#inbox-criteria_review-{review.pk}")
    for done, entry in enumerate(to_review, start=1):
        answer = row.locator(".review-answer-item", has_text=entry.item.key)
        answer.get_by_role("button", name="Reviewed", exact=True).click()
        if done < len(to_review):
            expect(answer).to_contain_text("Reviewed by")
            expect(answer.get_by_role("button", name="Reviewed", exact=True)).to_have_count(0)
            expect_waiting(page, 1)
    expect(row).to_have_count(0)
    expect_cleared(page)
    shot(page, "inbox-cleared")

    page.reload()
    expect_cleared(page)

    item.refresh_from_db()
    assert item.status == Status.ACCEPTED and item.accepted_by.email == CLIENT
    verdict = AcceptanceDecision.objects.get(item=item, outcome="accepted")
    assert [tick["met"] for tick in verdict.criteria_ticks] == [True] * len(criteria)
    decision.refresh_from_db()
    assert decision.state == DecisionState.ANSWERED and decision.answered_by.email == CLIENT
    assert decision.answer_option_id == recommended.pk
    change.refresh_from_db()
    assert change.state == ChangeState.APPROVED and change.decided_by.email == CLIENT
    change.epic.refresh_from_db()
    assert change.epic.release_id == change.release_id
    review.refresh_from_db()
    assert review.state == ReviewState.CLOSED
    assert not review.entries.filter(reviewed_at__isnull=True).exists()
    assert {e.reviewed_by.email for e in review.entries.filter(pk__in=[e.pk for e in to_review])} == {CLIENT}
    assert page_errors == []


def test_a_refused_verdict_shows_its_message_in_the_row_and_a_handover_moves_the_row(
    demo, live_server, log_in, page_errors, shot
):
    page = log_in(CLIENT)
    acceptance = page.locator("li.inbox-row.kind-acceptance").first
    refused_id = row_id(acceptance)
    acceptance.get_by_role("button", name="Accept", exact=True).click()
    expect(page.locator(f"#{refused_id} .criteria-check .error")).to_contain_text("not ticked")
    shot(page, "inbox-verdict-refused")

    row = page.locator(f"#{refused_id}")
    row.get_by_text("Hand to someone else…").click()
    row.get_by_label("Hand to").select_option(value=str(User.objects.get(email="exec@acme.test").pk))
    row.get_by_label("Note for them (optional)").fill("You tried the fitting slots at the Leeds store")
    shot(page, "inbox-handover-form")
    row.get_by_role("button", name="Hand over").click()
    expect(page.locator(f"#{refused_id}")).to_have_count(0)

    page.context.clear_cookies()
    page = log_in("exec@acme.test")
    page.goto(f"{live_server.url}/inbox/")
    held = page.locator(f"#{refused_id}")
    expect(held).to_contain_text("handed to you")
    shot(page, "inbox-handed-to-stakeholder")
    assert page_errors == []
