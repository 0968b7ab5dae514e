"""Criteria review pages: asking from the create page, the detail page with each item's criteria in full,
marking reviewed with or without JavaScript, who may see and do what, and escaping."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from sightline.backlog.models import Status
from sightline.reviews.models import CriteriaReview
from sightline.reviews.services import criteria_review_mark_reviewed, criteria_review_request
from tests.conftest import login
from tests.criteria_review_helpers import TUESDAY, entry_of, mark_url

# --- Pages ----------------------------------------------------------------------------------------


def test_the_create_page_lists_draft_and_ready_items_in_backlog_order_with_checkboxes(po, items, make_item):
    make_item(Status.IN_PROGRESS, title="Already being built")
    html = login(po.user).get(reverse("reviews:create", args=["ACME"])).content.decode()
    positions = [html.index(f'value="{item.key}"') for item in items]
    assert positions == sorted(positions)
    assert "Already being built" not in html
    assert 'type="checkbox" name="items"' in html


def test_the_create_page_filters_the_items(po, items):
    html = login(po.user).get(reverse("reviews:create", args=["ACME"]), {"q": "fitting"}).content.decode()
    assert "Book a fitting" in html and "Compare two bikes" not in html


def test_asking_from_the_page_creates_the_review_and_shows_it(po, client_po, items):
    response = login(po.user).post(
        reverse("reviews:create", args=["ACME"]),
        {
            "items": [items[0].key, items[2].key],
            "due_date": TUESDAY.isoformat(),
            "title": "Tuesday's grooming",
        },
    )
    review = CriteriaReview.objects.get()
    assert response.status_code == 302 and response["Location"] == review.get_absolute_url()
    assert review.title == "Tuesday's grooming"
    assert {e.item for e in review.entries.all()} == {items[0], items[2]}


def test_a_past_date_on_the_page_is_shown_next_to_the_field_and_the_choice_kept(po, items):
    response = login(po.user).post(
        reverse("reviews:create", args=["ACME"]),
        {"items": [items[0].key], "due_date": (timezone.localdate() - timedelta(days=3)).isoformat()},
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "Review needed by: The due date" in html and "is in the past" in html
    assert f'value="{items[0].key}" id="pick-{items[0].key}" checked' in html
    assert not CriteriaReview.objects.exists()


def test_choosing_nothing_on_the_page_says_so(po, items):
    response = login(po.user).post(
        reverse("reviews:create", args=["ACME"]), {"due_date": TUESDAY.isoformat()}
    )
    assert response.status_code == 422
    assert "Items: Choose at least one item" in response.content.decode()


def test_the_client_cannot_open_the_create_page(client_po, items):
    assert login(client_po.user).get(reverse("reviews:create", args=["ACME"])).status_code == 403


def test_the_detail_page_lists_each_items_criteria_in_full_with_a_form_for_the_client(
    client_po, review, items
):
    html = login(client_po.user).get(review.get_absolute_url()).content.decode()
    for item in items:
        for criterion in item.criteria.all():
            assert criterion.text in html
    assert html.count("Mark reviewed</button>") == 3
    assert "We estimate these on Tuesday." in html


def test_the_agency_sees_the_detail_without_review_forms(po, review):
    html = login(po.user).get(review.get_absolute_url()).content.decode()
    assert "Mark reviewed</button>" not in html and html.count("Not reviewed yet.") == 3


def test_marking_reviewed_without_javascript_redirects_back_to_the_review(client_po, review, items):
    response = login(client_po.user).post(mark_url(review, items[1]), {"comment": "Three is enough"})
    assert response.status_code == 302 and response["Location"] == review.get_absolute_url()
    entry = entry_of(review, items[1])
    assert entry.reviewed_by == client_po.user and entry.comment == "Three is enough"


def test_marking_reviewed_with_htmx_returns_the_item_and_the_progress(client_po, review, items):
    response = login(client_po.user).post(mark_url(review, items[0]), {}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="entry-{items[0].key}"' in html and "Reviewed by Client_Po" in html
    assert 'id="review-progress"' in html and 'hx-swap-oob="true"' in html and "1 of 3 items reviewed" in html
    assert "<html" not in html


def test_marking_twice_on_the_page_answers_409_with_the_message(client_po, review, items):
    client = login(client_po.user)
    client.post(mark_url(review, items[0]))
    response = client.post(mark_url(review, items[0]))
    assert response.status_code == 409
    assert f"{items[0].key} was already marked reviewed" in response.content.decode()


def test_a_developer_marking_on_the_page_gets_403(dev, review, items):
    assert login(dev.user).post(mark_url(review, items[0])).status_code == 403
    assert not entry_of(review, items[0]).is_reviewed


def test_outsiders_get_404_for_every_review_page(outsider, review, items):
    client = login(outsider.user)
    assert client.get(review.get_absolute_url()).status_code == 404
    assert client.post(mark_url(review, items[0])).status_code == 404
    assert client.get(reverse("reviews:grooming", args=["ACME"])).status_code == 404
    assert client.get(reverse("reviews:create", args=["ACME"])).status_code == 404


def test_html_in_the_title_note_and_comment_is_escaped(po, client_po, items):
    review = criteria_review_request(
        actor=po.user,
        membership=po,
        items=items[:1],
        due_date=TUESDAY,
        title="<b>Bold</b>",
        note="<script>x()</script>",
    )
    criteria_review_mark_reviewed(
        actor=client_po.user,
        membership=client_po,
        entry=review.entries.get(),
        comment="<img src=x onerror=y>",
    )
    html = login(po.user).get(review.get_absolute_url()).content.decode()
    assert "<b>Bold</b>" not in html and "&lt;b&gt;Bold&lt;/b&gt;" in html
    assert "<script>x()" not in html and "&lt;script&gt;" in html
    assert "<img src=x" not in html and "&lt;img src=x onerror=y&gt;" in html
