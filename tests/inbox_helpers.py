"""Building delivered items in bulk for the inbox tests (test data only; the services are exercised by
the tests that go through them)."""

from datetime import timedelta

from django.utils import timezone

from sightline.backlog.models import AcceptanceCriterion, Item, Status
from sightline.projects.models import Project


def delivered_items(
    project: Project, count: int, *, days_ago: float = 0, start: int = 1000, holder=None, **fields
):
    """``count`` items of ``project`` delivered ``days_ago`` days ago, each with two criteria."""
    at = timezone.now() - timedelta(days=days_ago)
    items = Item.objects.bulk_create(
        [
            Item(
                project=project,
                number=start + n,
                key=f"{project.key}-{start + n}",
                title=fields.get("title", f"Delivered thing {start + n}"),
                status=Status.DELIVERED,
                delivered_at=at,
                staging_url="https://staging.example.test/x",
                rank=start + n,
                acceptance_holder=holder,
            )
            for n in range(count)
        ]
    )
    AcceptanceCriterion.objects.bulk_create(
        [AcceptanceCriterion(item=item, position=p, text=f"Criterion {p}") for item in items for p in (1, 2)]
    )
    return items
