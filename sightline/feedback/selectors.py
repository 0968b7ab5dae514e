"""Reads for the feedback pages, each a fixed number of queries."""

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from sightline.feedback.models import Feedback
from sightline.projects.models import Project


def feedback_list(project: Project, state: str = "") -> QuerySet[Feedback]:
    feedback = Feedback.objects.filter(project=project).select_related(
        "project", "author", "item", "sprint", "item_created", "converted_by"
    )
    if state == "open":
        feedback = feedback.filter(item_created__isnull=True)
    elif state == "converted":
        feedback = feedback.filter(item_created__isnull=False)
    return feedback.order_by("-created_at", "-id")


def feedback_counts(project: Project) -> dict[str, int]:
    return Feedback.objects.filter(project=project).aggregate(
        all=Count("id"),
        open=Count("id", filter=Q(item_created__isnull=True)),
        converted=Count("id", filter=Q(item_created__isnull=False)),
    )


def feedback_for(project: Project, feedback_id: int) -> Feedback:
    return get_object_or_404(feedback_list(project), pk=feedback_id)


def origin_of(item) -> Feedback | None:
    """The feedback ``item`` was converted from, with its giver (one query)."""
    return Feedback.objects.filter(item_created=item).select_related("author", "project").first()
