"""Writes for acceptance-criteria reviews: asking the client for one, marking its items reviewed, and
commenting on an item's criteria without marking it reviewed."""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import dateformat, timezone

from sightline.audit.services import audit_record
from sightline.backlog.models import AcceptanceCriterion, Item, Status
from sightline.backlog.services import require_same_project
from sightline.lib.errors import DomainError, InvalidInput
from sightline.notifications.services import notify
from sightline.projects.models import AGENCY_ROLES, Membership, Role, project_today
from sightline.projects.policy import denial_message, may, require
from sightline.reviews.models import CriteriaReview, CriteriaReviewComment, CriteriaReviewItem, ReviewState

TITLE_MAX = 200
NOTE_MAX = 5_000
COMMENT_MAX = 5_000
MAX_ITEMS = 50


class AlreadyReviewed(DomainError):
    """The item of the review was marked reviewed before (HTTP 409)."""

    status = 409


class ReviewClosed(DomainError):
    """The review is closed: every item was reviewed (HTTP 409)."""

    status = 409


def _day(day: date) -> str:
    return dateformat.format(day, "D j M")


def _when(moment) -> str:
    return dateformat.format(timezone.localtime(moment), r"j M Y \a\t H:i")


def _client_pos(project) -> list:
    return [
        m.user for m in Membership.objects.filter(project=project, role=Role.CLIENT_PO).select_related("user")
    ]


def _check_items(project, items: list[Item]) -> list[Item]:
    if not items:
        raise InvalidInput("Choose at least one item whose criteria the client should review.", field="items")
    unique = list({item.pk: item for item in items}.values())
    if len(unique) > MAX_ITEMS:
        raise InvalidInput(
            f"A review holds at most {MAX_ITEMS} items (you chose {len(unique)}); split it in two.",
            field="items",
        )
    for item in unique:
        if item.project_id != project.pk:
            raise InvalidInput(f"{item.key} belongs to another project.", field="items")
        if item.status == Status.ACCEPTED:
            raise InvalidInput(f"{item.key} is already accepted: its criteria are settled.", field="items")
    with_criteria = set(
        AcceptanceCriterion.objects.filter(item__in=unique).values_list("item_id", flat=True).distinct()
    )
    without = [item.key for item in unique if item.pk not in with_criteria]
    if without:
        raise InvalidInput(
            f"{', '.join(without)} ha{'s' if len(without) == 1 else 've'} no acceptance criteria yet: "
            "write them before asking for a review.",
            field="items",
        )
    pending = (
        CriteriaReviewItem.objects.filter(
            item__in=unique, review__state=ReviewState.OPEN, reviewed_at__isnull=True
        )
        .select_related("item", "review")
        .order_by("item__rank")
    )
    busy = [f"{entry.item.key} (in “{entry.review.title}”)" for entry in pending]
    if busy:
        raise InvalidInput(f"Already waiting for a review: {', '.join(busy)}.", field="items")
    return sorted(unique, key=lambda item: (item.rank, item.pk))


@transaction.atomic
def criteria_review_request(
    *,
    actor,
    membership: Membership,
    items: list[Item],
    due_date: date,
    title: str = "",
    note: str = "",
    today: date | None = None,
) -> CriteriaReview:
    """Ask the client to review the acceptance criteria of ``items`` by ``due_date``."""
    require(membership, "criteria_review.request")
    project = membership.project
    today = today or project_today(project)
    if due_date is None:
        raise InvalidInput("Give the date by which the review is needed.", field="due_date")
    if due_date < today:
        raise InvalidInput(
            f"The due date {dateformat.format(due_date, 'j M Y')} is in the past; "
            "choose today or a later day.",
            field="due_date",
        )
    title, note = (title or "").strip(), (note or "").strip()
    if len(title) > TITLE_MAX:
        raise InvalidInput(f"The title must be at most {TITLE_MAX} characters.", field="title")
    if len(note) > NOTE_MAX:
        raise InvalidInput(f"The note must be at most {NOTE_MAX} characters.", field="note")
    items = _check_items(project, items)
    if not title:
        title = (
            f"Review the criteria of {len(items)} item{'s' if len(items) != 1 else ''} by {_day(due_date)}"
        )
    review = CriteriaReview.objects.create(
        project=project, title=title, note=note, due_date=due_date, requested_by=actor
    )
    CriteriaReviewItem.objects.bulk_create([CriteriaReviewItem(review=review, item=item) for item in items])
    keys = [item.key for item in items]
    audit_record(
        actor=actor,
        project=project,
        action="criteria_review.requested",
        target=review,
        changes={"items": [None, keys], "due_date": [None, due_date.isoformat()]},
        note=note[:200],
    )
    notify(
        users=_client_pos(project),
        project=project,
        kind="criteria_review.requested",
        message=f"Please review the acceptance criteria of {len(keys)} item{'s' if len(keys) != 1 else ''} "
        f"by {_day(due_date)}: {title}",
        url=reverse("reviews:detail", args=[project.key, review.pk]),
        email_body=f"{actor.display_name} asks you to read the acceptance criteria of these items by "
        f"{dateformat.format(due_date, 'l j F')}, so that the team can estimate them:\n\n"
        + "\n".join(f"- {item.key} {item.title}" for item in items)
        + (f"\n\n{note}" if note else ""),
    )
    return review


def may_review(membership: Membership | None, review: CriteriaReview) -> bool:
    """The client PO may mark items reviewed, and so may the client member the review was handed to."""
    if membership is None or membership.project_id != review.project_id:
        return False
    if may(membership, "criteria_review.review"):
        return True
    return membership.is_client and review.holder_id is not None and review.holder_id == membership.user_id


def _refuse_unless_reviewer(membership: Membership, review: CriteriaReview) -> None:
    require_same_project(membership, review.project_id)
    if not may_review(membership, review):
        raise PermissionDenied(
            denial_message("criteria_review.review").rstrip(".") + ", or the client member it was handed to."
        )


def _already_reviewed(entry: CriteriaReviewItem, then: str = "") -> AlreadyReviewed:
    who = entry.reviewed_by.display_name if entry.reviewed_by else "someone"
    return AlreadyReviewed(
        f"{entry.item.key} was already marked reviewed by {who} on {_when(entry.reviewed_at)}.{then}",
        field="item",
    )


def _clean_comment(comment: str) -> str:
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise InvalidInput(f"The comment must be at most {COMMENT_MAX} characters.", field="comment")
    return comment


@transaction.atomic
def criteria_review_mark_reviewed(
    *, actor, membership: Membership, entry: CriteriaReviewItem, comment: str = ""
) -> CriteriaReviewItem:
    """Mark one item of a review as reviewed (with an optional comment); the review closes itself when
    its last item is reviewed. Marking an item twice is refused (409)."""
    review = CriteriaReview.objects.select_for_update().select_related("project").get(pk=entry.review_id)
    _refuse_unless_reviewer(membership, review)
    entry = CriteriaReviewItem.objects.select_related("item", "reviewed_by").get(pk=entry.pk)
    if entry.is_reviewed:
        raise _already_reviewed(entry)
    comment = _clean_comment(comment)
    entry.reviewed_at, entry.reviewed_by, entry.comment = timezone.now(), actor, comment
    entry.save(update_fields=["reviewed_at", "reviewed_by", "comment"])
    audit_record(
        actor=actor,
        project=review.project,
        action="criteria_review.item_reviewed",
        target=review,
        changes={"reviewed": [None, entry.item.key]},
        note=comment[:200],
    )
    if not review.entries.filter(reviewed_at__isnull=True).exists():
        _close(actor, review)
    return entry


def _close(actor, review: CriteriaReview) -> None:
    review.state, review.closed_at = ReviewState.CLOSED, timezone.now()
    review.save(update_fields=["state", "closed_at"])
    audit_record(
        actor=actor,
        project=review.project,
        action="criteria_review.closed",
        target=review,
        changes={"state": [ReviewState.OPEN, ReviewState.CLOSED]},
    )
    comments = (
        review.entries.exclude(comment="").count()
        + CriteriaReviewComment.objects.filter(entry__review=review).count()
    )
    if review.requested_by is not None:
        notify(
            users=[review.requested_by],
            project=review.project,
            kind="criteria_review.reviewed",
            message=f"{actor.display_name} reviewed the criteria: {review.title}"
            + (f" ({comments} comment{'s' if comments != 1 else ''})" if comments else ""),
            url=reverse("reviews:detail", args=[review.project.key, review.pk]),
        )


@transaction.atomic
def criteria_review_comment(
    *, actor, membership: Membership, entry: CriteriaReviewItem, comment: str
) -> CriteriaReviewComment:
    """Comment on one item's criteria without marking it reviewed ("the second criterion should say 'per
    store'"): the item keeps waiting for its review and the review stays open; the agency member who asked
    for the review is told. The same people may comment as may mark reviewed; a closed review, or an item
    already marked reviewed, is refused (409)."""
    review = CriteriaReview.objects.select_for_update().select_related("project").get(pk=entry.review_id)
    _refuse_unless_reviewer(membership, review)
    entry = CriteriaReviewItem.objects.select_related("item", "reviewed_by").get(pk=entry.pk)
    if not review.is_open:
        closed = _when(review.closed_at) if review.closed_at else "earlier"
        raise ReviewClosed(
            f"“{review.title}” was closed on {closed}: every item was reviewed. "
            f"Comment on {entry.item.key} itself instead.",
            field="item",
        )
    if entry.is_reviewed:
        raise _already_reviewed(entry, f" Comment on {entry.item.key} itself instead.")
    comment = _clean_comment(comment)
    if not comment:
        raise InvalidInput(
            "Write the question or the change you would like in the criteria.", field="comment"
        )
    made = CriteriaReviewComment.objects.create(entry=entry, author=actor, text=comment)
    key = entry.item.key
    audit_record(
        actor=actor,
        project=review.project,
        action="criteria_review.item_commented",
        target=review,
        changes={"commented": [None, key]},
        note=comment[:200],
    )
    notify(
        users=_told_of_comments(review),
        project=review.project,
        kind="criteria_review.commented",
        message=f"{actor.display_name} commented on the criteria of {key}, not reviewed yet: {comment}",
        url=reverse("reviews:detail", args=[review.project.key, review.pk]) + f"#entry-{key}",
        email_body=f"{actor.display_name} has a question or a change about the acceptance criteria of "
        f"{key} {entry.item.title} (in “{review.title}”), and has not marked it reviewed yet:\n\n"
        f"{comment}",
    )
    return made


def _told_of_comments(review: CriteriaReview) -> list:
    """The agency member who asked for the review, while they are still on the project's agency side;
    otherwise the project's agency product owners."""
    agency = Membership.objects.filter(project=review.project, role__in=AGENCY_ROLES).select_related("user")
    if review.requested_by_id is not None:
        requester = agency.filter(user_id=review.requested_by_id).first()
        if requester is not None and requester.user.is_active:
            return [requester.user]
    return [m.user for m in agency.filter(role=Role.AGENCY_PO)]
