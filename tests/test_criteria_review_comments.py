"""Commenting on a criteria review without marking the item reviewed: the client asks a question or a change
("the second criterion should say 'per store'"); the item keeps waiting, the review stays open and in the
client's inbox, the agency member who asked is told, and the comment shows on the review page, in the
grooming view, in the inbox row and in the API. Services, pages (htmx and without JavaScript), the API."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from sightline.audit.models import AuditEvent
from sightline.backlog.models import Status
from sightline.lib.errors import InvalidInput
from sightline.notifications.models import Delivery, Notification, NotificationPreference
from sightline.projects.models import Role
from sightline.reviews import inbox
from sightline.reviews.models import CriteriaReviewComment, CriteriaReviewItem, ReviewState
from sightline.reviews.services import (
    AlreadyReviewed,
    ReviewClosed,
    criteria_review_comment,
    criteria_review_mark_reviewed,
    criteria_review_request,
)

DUE = timezone.localdate() + timedelta(days=3)
PER_STORE = "The second criterion should say 'per store'"
HTMX = {"HX-Request": "true"}


@pytest.fixture
def items(make_item):
    return [
        make_item(
            Status.READY, title="Reserve a bike in a store", criteria=["Pick a store", "Stock is shown"]
        ),
        make_item(Status.DRAFT, title="Compare two bikes", criteria=["Up to three bikes side by side"]),
    ]


@pytest.fixture
def review(dev, items):
    """Asked for by the developer, so that "who asked" is not simply the agency PO."""
    return criteria_review_request(actor=dev.user, membership=dev, items=items, due_date=DUE)


def entry_of(review, item):
    return CriteriaReviewItem.objects.get(review=review, item=item)


def comment_url(review, item):
    return reverse("reviews:comment", args=["ACME", review.pk, item.key])


def comment(member, review, item, text=PER_STORE):
    return criteria_review_comment(
        actor=member.user, membership=member, entry=entry_of(review, item), comment=text
    )


# --- The service ------------------------------------------------------------------------------------


def test_the_client_po_comments_and_the_item_keeps_waiting_in_an_open_review(client_po, review, items):
    made = comment(client_po, review, items[0], f"  {PER_STORE}\n")
    assert (made.author, made.text) == (client_po.user, PER_STORE)
    entry = entry_of(review, items[0])
    assert not entry.is_reviewed and entry.reviewed_by is None and entry.comment == ""
    review.refresh_from_db()
    assert review.state == ReviewState.OPEN


def test_a_comment_is_audited_with_the_item_and_the_text(client_po, review, items):
    comment(client_po, review, items[0])
    event = AuditEvent.objects.get(action="criteria_review.item_commented")
    assert event.actor == client_po.user and event.target_id == review.pk
    assert event.changes == {"commented": [None, items[0].key]} and event.note == PER_STORE


def test_the_agency_member_who_asked_is_told_in_the_app_and_by_email(
    dev, po, client_po, review, items, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        comment(client_po, review, items[0])
    [told] = Notification.objects.filter(kind="criteria_review.commented")
    assert told.user == dev.user  # who asked, not every agency member
    assert told.url == review.get_absolute_url() + f"#entry-{items[0].key}"
    assert told.message == (
        f"{client_po.user.display_name} commented on the criteria of {items[0].key}, not reviewed yet: {PER_STORE}"
    )
    [email] = mail.outbox
    assert email.to == [dev.user.email]
    assert email.subject.startswith(f"[ACME] {client_po.user.display_name} commented on the criteria of")
    assert (
        PER_STORE in email.body and items[0].title in email.body and review.get_absolute_url() in email.body
    )


def test_the_agency_po_is_told_when_who_asked_has_left_the_project(dev, po, client_po, review, items):
    dev.delete()
    comment(client_po, review, items[0])
    assert [n.user for n in Notification.objects.filter(kind="criteria_review.commented")] == [po.user]


def test_a_requester_who_turned_the_notification_off_is_not_told(dev, client_po, review, items):
    NotificationPreference.objects.create(
        user=dev.user, kind="criteria_review.commented", delivery=Delivery.OFF
    )
    comment(client_po, review, items[0])
    assert not Notification.objects.filter(kind="criteria_review.commented").exists()


def test_comments_add_up_and_the_comment_given_when_marking_reviewed_is_kept_apart(client_po, review, items):
    comment(client_po, review, items[0])
    comment(client_po, review, items[0], "And stock should be per size")
    criteria_review_mark_reviewed(
        actor=client_po.user, membership=client_po, entry=entry_of(review, items[0]), comment="Fine now"
    )
    entry = entry_of(review, items[0])
    assert [c.text for c in entry.comments.all()] == [PER_STORE, "And stock should be per size"]
    assert entry.comment == "Fine now" and entry.is_reviewed


def test_the_client_member_a_review_was_handed_to_may_comment(stakeholder, review, items):
    review.holder = stakeholder.user
    review.save(update_fields=["holder"])
    assert comment(stakeholder, review, items[1]).author == stakeholder.user


@pytest.mark.parametrize("role", [Role.AGENCY_PO, Role.DEVELOPER, Role.TESTER, Role.CLIENT_STAKEHOLDER])
def test_only_the_client_po_or_the_holder_comments(members, review, items, role):
    with pytest.raises(PermissionDenied, match="client_po, or the client member it was handed to"):
        comment(members[role], review, items[0])
    assert (
        not CriteriaReviewComment.objects.exists()
        and not Notification.objects.filter(kind="criteria_review.commented").exists()
    )


@pytest.mark.parametrize("text", ["", "   \n ", "x" * 5001])
def test_an_empty_or_overlong_comment_is_refused_naming_the_field(client_po, review, items, text):
    with pytest.raises(InvalidInput) as refused:
        comment(client_po, review, items[0], text)
    assert refused.value.field == "comment"
    assert not CriteriaReviewComment.objects.exists()


def test_a_closed_review_refuses_comments_with_a_conflict(client_po, review, items):
    for item in items:
        criteria_review_mark_reviewed(
            actor=client_po.user, membership=client_po, entry=entry_of(review, item)
        )
    with pytest.raises(ReviewClosed) as refused:
        comment(client_po, review, items[0])
    assert refused.value.status == 409 and "was closed on" in refused.value.message
    assert not CriteriaReviewComment.objects.exists()


def test_an_item_already_reviewed_refuses_comments_with_a_conflict(client_po, review, items):
    criteria_review_mark_reviewed(
        actor=client_po.user, membership=client_po, entry=entry_of(review, items[0])
    )
    with pytest.raises(AlreadyReviewed) as refused:
        comment(client_po, review, items[0])
    assert refused.value.status == 409
    assert f"Comment on {items[0].key} itself instead" in refused.value.message


def test_a_commented_review_stays_in_the_clients_inbox(client_po, review, items, project):
    for item in items:
        comment(client_po, review, item)
    [row] = inbox.rows(projects=[project], holder=client_po.user)
    assert row.id == review.pk and row.obj.commented_count == 2 and row.obj.reviewed_count == 0


def test_when_the_review_closes_the_requester_hears_how_many_comments_were_left(
    dev, client_po, review, items
):
    comment(client_po, review, items[0])
    for item in items:
        criteria_review_mark_reviewed(
            actor=client_po.user, membership=client_po, entry=entry_of(review, item)
        )
    told = Notification.objects.get(kind="criteria_review.reviewed")
    assert told.user == dev.user and told.message.endswith("(1 comment)")
