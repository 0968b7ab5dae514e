"""Reads for criteria reviews: one review with its items, criteria and comments, the items that can be picked
for a new one, and the grooming list with each item's review status. Each costs a fixed number of queries."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet, prefetch_related_objects
from django.shortcuts import get_object_or_404

from sightline.backlog.models import AcceptanceCriterion, Item, Status
from sightline.projects.models import Project
from sightline.reviews.models import CriteriaReview, CriteriaReviewComment, CriteriaReviewItem, ReviewState

PICKABLE = (Status.DRAFT, Status.READY)
GROOMING_PAGE = 100


def _comments() -> Prefetch:
    """The comments left on review items without marking them reviewed, oldest first, with their authors."""
    return Prefetch("comments", queryset=CriteriaReviewComment.objects.select_related("author"))


def with_entries(reviews: QuerySet[CriteriaReview]) -> QuerySet[CriteriaReview]:
    """Reviews with their people, and their items (in backlog order) with criteria and the comments left
    without reviewing: five queries."""
    entries = (
        CriteriaReviewItem.objects.select_related("item", "reviewed_by")
        .prefetch_related(_comments())
        .order_by("item__rank", "item_id")
    )
    return reviews.select_related("project", "requested_by", "holder").prefetch_related(
        Prefetch("entries", queryset=entries),
        Prefetch("entries__item__criteria", queryset=AcceptanceCriterion.objects.order_by("position", "id")),
    )


def review_for(project: Project, review_id: int) -> CriteriaReview:
    return get_object_or_404(with_entries(CriteriaReview.objects.filter(project=project)), pk=review_id)


def open_reviews(project: Project) -> list[CriteriaReview]:
    """The project's open reviews, soonest due first, each with ``reviewed``/``total`` counts and
    ``commented``: items commented on and not reviewed."""
    commented = Q(entries__reviewed_at__isnull=True, entries__comments__isnull=False)
    return list(
        CriteriaReview.objects.filter(project=project, state=ReviewState.OPEN)
        .select_related("project", "requested_by", "holder")
        .annotate(
            total=Count("entries", distinct=True),
            reviewed=Count("entries", filter=Q(entries__reviewed_at__isnull=False), distinct=True),
            commented=Count("entries", filter=commented, distinct=True),
        )
        .order_by("due_date", "id")
    )


def pickable_items(project: Project, *, q: str = "", status: str = "") -> list[Item]:
    """Draft and ready items in backlog order, with their number of criteria and, in ``waiting_in``, the
    open review they already wait in (such items cannot be picked again)."""
    items = (
        Item.objects.filter(project=project, status__in=PICKABLE)
        .only("id", "key", "title", "status", "rank", "points", "project_id")
        .annotate(criteria_count=Count("criteria", distinct=True))
        .order_by("rank", "id")
    )
    if status in PICKABLE:
        items = items.filter(status=status)
    q = (q or "").strip()
    if q:
        items = items.filter(Q(title__icontains=q) | Q(key__icontains=q))
    items = list(items)
    waiting = dict(
        CriteriaReviewItem.objects.filter(
            item__in=[i.pk for i in items], review__state=ReviewState.OPEN, reviewed_at__isnull=True
        ).values_list("item_id", "review__title")
    )
    for item in items:
        item.waiting_in = waiting.get(item.pk, "")
    return items


@dataclass
class GroomingPage:
    rows: list[Item]
    offset: int
    has_more: bool
    next_offset: int
    total: int


def grooming_page(project: Project, *, offset: int = 0, limit: int = GROOMING_PAGE) -> GroomingPage:
    """The items still to be groomed (draft and ready) in backlog order; each carries ``review``: its most
    recent criteria-review entry (or None: never requested), with the comments left on it without
    reviewing. Four queries whatever the size."""
    items = (
        Item.objects.filter(project=project, status__in=PICKABLE)
        .select_related("epic")
        .only("id", "key", "title", "status", "rank", "points", "type", "project_id", "epic__title")
        .annotate(criteria_count=Count("criteria", distinct=True))
        .order_by("rank", "id")
    )
    total = Item.objects.filter(project=project, status__in=PICKABLE).count()
    rows = list(items[offset : offset + limit + 1])
    has_more = len(rows) > limit
    rows = rows[:limit]
    latest: dict[int, CriteriaReviewItem] = {}
    entries = (
        CriteriaReviewItem.objects.filter(item__in=[r.pk for r in rows])
        .select_related("review__project", "reviewed_by")
        .order_by("item_id", "-review__created_at", "-id")
    )
    for entry in entries:
        latest.setdefault(entry.item_id, entry)
    prefetch_related_objects(list(latest.values()), _comments())
    for index, row in enumerate(rows, start=offset + 1):
        row.position = index
        row.review = latest.get(row.pk)
    return GroomingPage(rows=rows, offset=offset, has_more=has_more, next_offset=offset + limit, total=total)
