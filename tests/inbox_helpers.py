"""Building open client requests in bulk for the inbox tests: delivered items, decisions, roadmap changes
and criteria reviews (test data only; the services are exercised by the tests that go through them)."""

from datetime import timedelta

from django.db.models import Max
from django.utils import timezone

from sightline.backlog.models import AcceptanceCriterion, Item, Status
from sightline.decisions.models import DecisionOption, DecisionRequest
from sightline.projects.models import Project
from sightline.reviews.models import CriteriaReview, CriteriaReviewItem
from sightline.roadmap.models import ChangeKind, RoadmapChange


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


def _next_number(model, project: Project) -> int:
    return (model.objects.filter(project=project).aggregate(last=Max("number"))["last"] or 0) + 1


def open_decisions(project: Project, count: int, *, due=None, holder=None):
    """``count`` open decision requests of ``project``, each with two options, due ``due`` (default: in
    two weeks)."""
    due = due or timezone.localdate() + timedelta(days=14)
    start = _next_number(DecisionRequest, project)
    decisions = DecisionRequest.objects.bulk_create(
        [
            DecisionRequest(
                project=project,
                number=start + n,
                question=f"Question {start + n}?",
                due_date=due,
                cost_of_delay="After the due date this costs about two days",
                holder=holder,
            )
            for n in range(count)
        ]
    )
    DecisionOption.objects.bulk_create(
        [DecisionOption(decision=d, position=p, label=f"Option {p}") for d in decisions for p in (1, 2)]
    )
    return decisions


def open_roadmap_changes(project: Project, count: int, *, due=None, holder=None):
    """``count`` proposed roadmap changes of ``project`` (new releases), answer by ``due``."""
    return RoadmapChange.objects.bulk_create(
        [
            RoadmapChange(
                project=project,
                kind=ChangeKind.ADD_RELEASE,
                summary=f"Add the release “Release {n}”",
                release_name=f"Release {n}",
                rationale="Agreed at the sprint review",
                impact="Release 2 moves by about one sprint.",
                due=due,
                holder=holder,
            )
            for n in range(count)
        ]
    )


def open_criteria_reviews(project: Project, count: int, *, due=None, holder=None):
    """``count`` open criteria reviews of ``project``, due ``due`` (default: in a week), each of one new
    item with two criteria."""
    due = due or timezone.localdate() + timedelta(days=7)
    start = _next_number(Item, project)
    items = Item.objects.bulk_create(
        [
            Item(project=project, number=start + n, key=f"{project.key}-{start + n}", title="To groom")
            for n in range(count)
        ]
    )
    AcceptanceCriterion.objects.bulk_create(
        [AcceptanceCriterion(item=item, position=p, text=f"Criterion {p}") for item in items for p in (1, 2)]
    )
    reviews = CriteriaReview.objects.bulk_create(
        [
            CriteriaReview(project=project, title=f"Review {start + n}", due_date=due, holder=holder)
            for n in range(count)
        ]
    )
    CriteriaReviewItem.objects.bulk_create(
        [CriteriaReviewItem(review=review, item=item) for review, item in zip(reviews, items, strict=True)]
    )
    return reviews
