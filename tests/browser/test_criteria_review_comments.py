"""In a real browser: the client comments on an item of the demo's criteria review from the inbox without
marking it reviewed; the row stays, showing the comment, and the agency PO then sees it in grooming and on
the review page."""

import re

import pytest
from playwright.sync_api import expect

from sightline.reviews.models import CriteriaReview, ReviewState

pytestmark = pytest.mark.django_db(transaction=True)

CLIENT = "client@acme.test"
AGENCY_PO = "po@agency.test"
PER_STORE = "The second criterion should say 'per store'"


def test_the_client_comments_without_reviewing_and_the_agency_sees_it_in_grooming(
    demo, live_server, log_in, page_errors, shot
):
    review = CriteriaReview.objects.get(project=demo, state=ReviewState.OPEN)
    entry = review.entries.filter(reviewed_at__isnull=True).select_related("item").first()
    waiting = review.entries.filter(reviewed_at__isnull=True).count()

    page = log_in(CLIENT)
    row = page.locator(f"#inbox-criteria_review-{review.pk}")
    answer = row.locator(".review-answer-item", has_text=entry.item.key)
    answer.get_by_text("Comment without reviewing", exact=True).click()
    answer.get_by_role("textbox", name=re.compile("Question or change")).fill(PER_STORE)
    answer.get_by_role("button", name="Send comment").click()

    answer = row.locator(".review-answer-item", has_text=entry.item.key)
    expect(answer).to_contain_text(f"Commented, not reviewed: “{PER_STORE}”")
    expect(answer.get_by_role("button", name="Reviewed", exact=True)).to_have_count(1)
    expect(row.get_by_role("button", name="Reviewed", exact=True)).to_have_count(waiting)
    expect(page).to_have_url(re.compile(r"/inbox/$"))
    shot(page, "inbox-criteria-commented")

    row.get_by_role("link", name="open the review").click()
    article = page.locator(f"#entry-{entry.item.key}")
    expect(article).to_contain_text(PER_STORE)
    article.get_by_text("Comment without reviewing…", exact=True).click()
    expect(article.get_by_label(f"Question or change for {entry.item.key}")).to_be_visible()
    shot(page, "review-comment-form")

    page.context.clear_cookies()
    page = log_in(AGENCY_PO)
    page.goto(f"{live_server.url}/p/ACME/grooming/")
    cell = page.locator("tr", has_text=entry.item.key).locator(".review-cell")
    expect(cell).to_contain_text("Commented, not reviewed")
    expect(cell).to_contain_text(PER_STORE)
    shot(page, "grooming-commented")
    cell.get_by_role("link", name="Commented, not reviewed").click()
    article = page.locator(f"#entry-{entry.item.key}")
    expect(article).to_contain_text("Commented, not reviewed")
    expect(article).to_contain_text(PER_STORE)
    shot(page, "review-commented")
    review.refresh_from_db()
    assert review.state == ReviewState.OPEN
    assert page_errors == []
