"""The criteria-review API: ask for a review, read it, mark its items reviewed; refusals and isolation."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sightline.backlog.models import Status
from sightline.reviews.models import CriteriaReview, ReviewState
from sightline.reviews.services import criteria_review_request
from tests.api_support import api_for

TOMORROW = timezone.localdate() + timedelta(days=1)


@pytest.fixture
def items(make_item):
    return [
        make_item(Status.READY, title="Filter by frame size"),
        make_item(Status.DRAFT, title="Compare bikes"),
    ]


@pytest.fixture
def review(po, items):
    return criteria_review_request(actor=po.user, membership=po, items=items, due_date=TOMORROW)


def test_an_agency_member_asks_for_a_review(dev, client_po, items):
    response = api_for(dev).post(
        "/projects/ACME/criteria-reviews",
        {
            "items": [items[1].key, items[0].key.lower()],
            "due_date": TOMORROW.isoformat(),
            "note": "For Tuesday",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert [i["key"] for i in body["items"]] == [items[0].key, items[1].key]  # backlog order
    assert body["state"] == "open" and body["requested_by"] == dev.user.email and body["holder"] is None
    assert body["items"][0]["criteria"] == ["Card is remembered", "Pay in one click"]
    assert body["items"][0]["reviewed_at"] is None and body["note"] == "For Tuesday"


def test_the_client_may_not_ask_for_a_review(client_po, items):
    response = api_for(client_po).post(
        "/projects/ACME/criteria-reviews", {"items": [items[0].key], "due_date": TOMORROW.isoformat()}
    )
    assert response.status_code == 403 and "criteria_review.request" in response.json()["detail"]


def test_unknown_items_and_past_dates_are_refused_with_the_field(po, items):
    api = api_for(po)
    unknown = api.post(
        "/projects/ACME/criteria-reviews", {"items": ["ACME-999"], "due_date": TOMORROW.isoformat()}
    )
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "items"
    past = api.post(
        "/projects/ACME/criteria-reviews",
        {"items": [items[0].key], "due_date": (timezone.localdate() - timedelta(days=1)).isoformat()},
    )
    assert past.status_code == 422 and past.json()["errors"] == [
        {"field": "due_date", "message": past.json()["detail"]}
    ]
    empty = api.post("/projects/ACME/criteria-reviews", {"items": [], "due_date": TOMORROW.isoformat()})
    assert empty.status_code == 422
    assert not CriteriaReview.objects.exists()


def test_every_member_reads_a_review_and_outsiders_get_404(members, outsider, review):
    for member in members.values():
        response = api_for(member).get(f"/criteria-reviews/{review.pk}")
        assert response.status_code == 200 and response.json()["id"] == review.pk
    assert api_for(outsider).get(f"/criteria-reviews/{review.pk}").status_code == 404
    assert api_for(outsider).get("/criteria-reviews/999999").status_code == 404


def test_the_client_po_marks_items_reviewed_and_the_review_closes(client_po, review, items):
    api = api_for(client_po)
    first = api.post(
        f"/criteria-reviews/{review.pk}/items/{items[0].key}/review", {"comment": "Add XL frames"}
    )
    assert first.status_code == 200
    entry = first.json()["items"][0]
    assert entry["reviewed_by"] == client_po.user.email and entry["comment"] == "Add XL frames"
    assert first.json()["state"] == "open"
    last = api.post(f"/criteria-reviews/{review.pk}/items/{items[1].key}/review", {})
    assert last.status_code == 200 and last.json()["state"] == "closed" and last.json()["closed_at"]
    assert CriteriaReview.objects.get().state == ReviewState.CLOSED


def test_marking_an_item_twice_answers_409(client_po, review, items):
    api = api_for(client_po)
    path = f"/criteria-reviews/{review.pk}/items/{items[0].key}/review"
    assert api.post(path, {}).status_code == 200
    again = api.post(path, {"comment": "Again"})
    assert again.status_code == 409 and "already marked reviewed" in again.json()["detail"]


def test_a_developer_marking_gets_403_and_an_outsider_404(dev, outsider, review, items):
    path = f"/criteria-reviews/{review.pk}/items/{items[0].key}/review"
    assert api_for(dev).post(path, {}).status_code == 403
    assert api_for(outsider).post(path, {}).status_code == 404


def test_an_item_outside_the_review_is_404(client_po, review, make_item):
    other = make_item(Status.READY, title="Not in it")
    assert (
        api_for(client_po).post(f"/criteria-reviews/{review.pk}/items/{other.key}/review", {}).status_code
        == 404
    )
    assert api_for(client_po).post(f"/criteria-reviews/{review.pk}/items/<b>/review", {}).status_code == 404
