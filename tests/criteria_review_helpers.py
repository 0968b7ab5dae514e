"""Building criteria reviews for the tests: three items (one with its own criteria) and a review of them due
on the coming Tuesday, and the addresses of their pages. Its fixtures are loaded for every test by the conftest."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sightline.backlog.models import Status
from sightline.reviews.models import CriteriaReviewItem
from sightline.reviews.services import criteria_review_request

TUESDAY = timezone.localdate() + timedelta(days=(1 - timezone.localdate().weekday()) % 7 or 7)


@pytest.fixture
def items(make_item):
    return [
        make_item(Status.READY, title="Filter bikes by frame size"),
        make_item(Status.DRAFT, title="Compare two bikes", criteria=["Up to three bikes side by side"]),
        make_item(Status.READY, title="Book a fitting"),
    ]


@pytest.fixture
def review(po, items):
    return criteria_review_request(
        actor=po.user, membership=po, items=items, due_date=TUESDAY, note="We estimate these on Tuesday."
    )


def entry_of(review, item):
    return CriteriaReviewItem.objects.get(review=review, item=item)


def mark_url(review, item):
    return reverse("reviews:mark", args=["ACME", review.pk, item.key])
