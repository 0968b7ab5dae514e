"""Acceptance-criteria reviews through their services: the agency asks the client to review the criteria of
chosen items by a date; the client marks each one reviewed (with a comment) and the review closes itself;
who may do what."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from sightline.backlog.models import Status
from sightline.lib.errors import InvalidInput
from sightline.notifications.models import Notification
from sightline.projects.models import Role
from sightline.reviews.models import CriteriaReview, CriteriaReviewItem, ReviewState
from sightline.reviews.services import AlreadyReviewed, criteria_review_mark_reviewed, criteria_review_request
from tests.conftest import _member
from tests.criteria_review_helpers import TUESDAY, entry_of

# --- Asking for a review ------------------------------------------------------------------------


def test_agency_asks_for_a_review_and_the_client_po_is_notified(po, client_po, stakeholder, items):
    review = criteria_review_request(actor=po.user, membership=po, items=items, due_date=TUESDAY)
    assert review.state == ReviewState.OPEN and review.requested_by == po.user and review.holder is None
    assert [e.item for e in review.entries.order_by("item__rank")] == items
    assert review.title.startswith("Review the criteria of 3 items by ")
    notes = Notification.objects.filter(kind="criteria_review.requested")
    assert [n.user for n in notes] == [client_po.user]
    assert notes[0].url == reverse("reviews:detail", args=["ACME", review.pk])


def test_a_developer_may_ask_for_a_review_but_the_client_may_not(dev, client_po, items):
    assert criteria_review_request(actor=dev.user, membership=dev, items=items[:1], due_date=TUESDAY)
    with pytest.raises(PermissionDenied):
        criteria_review_request(actor=client_po.user, membership=client_po, items=items[1:], due_date=TUESDAY)


def test_a_due_date_in_the_past_is_refused_and_nothing_is_written(po, items):
    with pytest.raises(InvalidInput) as refused:
        criteria_review_request(
            actor=po.user, membership=po, items=items, due_date=timezone.localdate() - timedelta(days=1)
        )
    assert refused.value.field == "due_date" and "in the past" in refused.value.message
    assert not CriteriaReview.objects.exists() and not CriteriaReviewItem.objects.exists()


def test_due_today_is_accepted(po, items):
    review = criteria_review_request(actor=po.user, membership=po, items=items, due_date=timezone.localdate())
    assert review.due_date == timezone.localdate() and not review.is_overdue()


def test_accepted_items_cannot_be_reviewed(po, client_po, make_item, sprint):
    from sightline.backlog.transitions import item_accept

    done = make_item(Status.DELIVERED, sprint=sprint)
    done = item_accept(actor=client_po.user, membership=client_po, item=done)
    with pytest.raises(InvalidInput, match=f"{done.key} is already accepted"):
        criteria_review_request(actor=po.user, membership=po, items=[done], due_date=TUESDAY)


def test_items_of_another_project_are_refused(po, items, other_project):
    from sightline.backlog.services import item_create

    globex_po = _member(other_project, "po@globex.test", Role.AGENCY_PO)
    foreign = item_create(
        actor=globex_po.user, membership=globex_po, title="Portal login", criteria=["Works"]
    )
    with pytest.raises(InvalidInput, match="belongs to another project"):
        criteria_review_request(actor=po.user, membership=po, items=[items[0], foreign], due_date=TUESDAY)
    assert not CriteriaReview.objects.exists()


def test_items_without_criteria_and_an_empty_choice_are_refused(po, make_item):
    bare = make_item(Status.DRAFT, title="Gift cards", criteria=[])
    with pytest.raises(InvalidInput, match=f"{bare.key} has no acceptance criteria yet"):
        criteria_review_request(actor=po.user, membership=po, items=[bare], due_date=TUESDAY)
    with pytest.raises(InvalidInput, match="at least one item"):
        criteria_review_request(actor=po.user, membership=po, items=[], due_date=TUESDAY)


def test_an_item_already_waiting_in_an_open_review_cannot_be_asked_again(po, client_po, review, items):
    with pytest.raises(InvalidInput, match=f"Already waiting for a review: {items[0].key}"):
        criteria_review_request(actor=po.user, membership=po, items=[items[0]], due_date=TUESDAY)
    criteria_review_mark_reviewed(
        actor=client_po.user, membership=client_po, entry=entry_of(review, items[0])
    )
    again = criteria_review_request(actor=po.user, membership=po, items=[items[0]], due_date=TUESDAY)
    assert again.entries.get().item == items[0]


# --- Marking items reviewed -----------------------------------------------------------------------


def test_client_po_marks_items_reviewed_and_the_review_closes_after_the_last(po, client_po, review, items):
    first = criteria_review_mark_reviewed(
        actor=client_po.user,
        membership=client_po,
        entry=entry_of(review, items[0]),
        comment="Add the XL size",
    )
    assert first.reviewed_by == client_po.user and first.comment == "Add the XL size" and first.reviewed_at
    review.refresh_from_db()
    assert review.state == ReviewState.OPEN
    for item in items[1:]:
        criteria_review_mark_reviewed(
            actor=client_po.user, membership=client_po, entry=entry_of(review, item)
        )
    review.refresh_from_db()
    assert review.state == ReviewState.CLOSED and review.closed_at is not None
    told = Notification.objects.get(kind="criteria_review.reviewed")
    assert told.user == po.user and "(1 comment)" in told.message


def test_marking_an_item_twice_is_refused_with_a_conflict(client_po, review, items):
    entry = entry_of(review, items[0])
    criteria_review_mark_reviewed(actor=client_po.user, membership=client_po, entry=entry, comment="Fine")
    with pytest.raises(AlreadyReviewed) as refused:
        criteria_review_mark_reviewed(
            actor=client_po.user, membership=client_po, entry=entry, comment="Again"
        )
    assert refused.value.status == 409 and "already marked reviewed by Client_Po" in refused.value.message
    assert entry_of(review, items[0]).comment == "Fine"


@pytest.mark.parametrize("role", [Role.AGENCY_PO, Role.DEVELOPER, Role.TESTER, Role.CLIENT_STAKEHOLDER])
def test_only_the_client_po_marks_items_reviewed(members, review, items, role):
    member = members[role]
    with pytest.raises(PermissionDenied, match="client_po"):
        criteria_review_mark_reviewed(actor=member.user, membership=member, entry=entry_of(review, items[0]))
    assert not entry_of(review, items[0]).is_reviewed


def test_the_client_member_a_review_was_handed_to_may_mark_it(stakeholder, review, items):
    review.holder = stakeholder.user
    review.save(update_fields=["holder"])
    entry = criteria_review_mark_reviewed(
        actor=stakeholder.user, membership=stakeholder, entry=entry_of(review, items[0])
    )
    assert entry.reviewed_by == stakeholder.user


def test_an_overlong_comment_is_refused(client_po, review, items):
    with pytest.raises(InvalidInput) as refused:
        criteria_review_mark_reviewed(
            actor=client_po.user, membership=client_po, entry=entry_of(review, items[0]), comment="x" * 5001
        )
    assert refused.value.field == "comment"
    assert not entry_of(review, items[0]).is_reviewed
