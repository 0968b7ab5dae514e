"""Criteria reviews as inbox rows: each open review waiting for the client, answerable item by item."""

from __future__ import annotations

from django.urls import reverse
from django.utils import dateformat

from sightline.inbox.holders import current_holder, waiting_for
from sightline.inbox.rows import InboxRow
from sightline.projects.models import project_today
from sightline.reviews.models import CriteriaReview, ReviewState
from sightline.reviews.selectors import with_entries

KIND = "criteria_review"
TEMPLATE = "reviews/_inbox_row.html"


def cost_of_waiting(review: CriteriaReview) -> str:
    """What waiting costs: the team estimates the items on the due date, whether reviewed or not."""
    day = dateformat.format(review.due_date, "l j F")
    return f"The team estimates these on {day}; unreviewed criteria are estimated as written."


def inbox_row(review: CriteriaReview, today=None) -> InboxRow:
    """``review`` (with its entries prefetched, see ``with_entries``) as an inbox row."""
    today = today or project_today(review.project)
    holder = current_holder(review)
    return InboxRow(
        kind=KIND,
        id=review.pk,
        title=review.title,
        project=review.project.key,
        asked_by=review.requested_by.display_name if review.requested_by else "",
        due=review.due_date,
        overdue=review.is_overdue(today),
        cost_of_delay=cost_of_waiting(review),
        url=reverse("reviews:detail", args=[review.project.key, review.pk]),
        holder_id=holder.pk if holder else None,
        holder_name=holder.display_name if holder else "",
        created_at=review.created_at,
        template=TEMPLATE,
        obj=review,
    )


def waiting(*, projects, holder=None):
    """Open criteria reviews of ``projects``; with ``holder``, those that person must answer: held by them,
    or held by nobody (or by someone who left) in a project where they are the client PO."""
    reviews = CriteriaReview.objects.filter(project__in=list(projects), state=ReviewState.OPEN)
    return waiting_for(reviews, holder)


def count(*, projects, holder) -> int:
    return waiting(projects=projects, holder=holder).count()


def rows(*, projects, holder=None) -> list[InboxRow]:
    """The reviews ``waiting`` as inbox rows, in a constant number of queries whatever the number."""
    found = list(with_entries(waiting(projects=projects, holder=holder).order_by("due_date", "id")))
    for review in found:
        review.answerable = holder is not None  # the partial shows answer forms only to whoever must answer
    return [inbox_row(review) for review in found]
