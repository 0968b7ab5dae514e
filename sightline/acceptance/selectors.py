"""Reading what waits for the client's verdict."""

from datetime import timedelta

from django.db.models import Count
from django.http import Http404
from django.utils import timezone

from sightline.backlog.models import Item, Status

LONG_WAIT = timedelta(days=3)


def awaiting_items(project, *, with_criteria: bool = False) -> list[Item]:
    """Delivered items of ``project``, oldest delivery first, each with ``criteria_count`` and
    ``waiting_long`` (on staging for more than three days). A constant number of queries."""
    qs = (
        Item.objects.filter(project=project, status=Status.DELIVERED)
        .select_related("sprint", "assignee")
        .annotate(criteria_count=Count("criteria"))
        .order_by("delivered_at", "id")
    )
    if with_criteria:
        qs = qs.prefetch_related("criteria")
    now = timezone.now()
    items = list(qs)
    for item in items:
        item.waiting_long = item.delivered_at is not None and now - item.delivered_at > LONG_WAIT
    return items


def get_item(project, key: str) -> Item:
    item = Item.objects.filter(project=project, key=key).select_related("sprint").first()
    if item is None:
        raise Http404("No such item")
    return item
