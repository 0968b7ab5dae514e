"""Acceptance-criteria reviews: the agency asks the client to read the criteria of chosen items by a date
("these are the items we estimate on Tuesday"); the client marks each one reviewed, with a comment, or
comments without marking it reviewed when the criteria raise a question or need a change."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from sightline.projects.models import project_today


class ReviewState(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class CriteriaReview(models.Model):
    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="criteria_reviews")
    title = models.CharField(max_length=200)
    note = models.TextField(blank=True, help_text="What the agency wants the client to look at")
    due_date = models.DateField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The client member who answers it now (empty: the project's client product owners)",
    )
    state = models.CharField(max_length=16, choices=ReviewState.choices, default=ReviewState.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=[s.value for s in ReviewState]),
                name="criteria_review_state_valid",
            )
        ]
        indexes = [models.Index(fields=["project", "state"], name="criteria_review_open")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("reviews:detail", args=[self.project.key, self.pk])

    @property
    def is_open(self) -> bool:
        return self.state == ReviewState.OPEN

    @property
    def reviewed_count(self) -> int:
        """How many of its items are reviewed (from the prefetched entries: ``selectors.with_entries``)."""
        return sum(1 for entry in self.entries.all() if entry.is_reviewed)

    @property
    def commented_count(self) -> int:
        """How many of its items were commented on and not reviewed (from the prefetched entries)."""
        return sum(1 for entry in self.entries.all() if entry.is_commented_not_reviewed)

    @property
    def entry_count(self) -> int:
        return len(self.entries.all())

    def is_overdue(self, today=None) -> bool:
        """Open and past its due date (``today``: by default, today where the project works)."""
        return self.is_open and self.due_date < (today or project_today(self.project))


class CriteriaReviewItem(models.Model):
    """One item of a review, and whether (and by whom) its criteria were reviewed."""

    review = models.ForeignKey(CriteriaReview, on_delete=models.CASCADE, related_name="entries")
    item = models.ForeignKey("backlog.Item", on_delete=models.CASCADE, related_name="criteria_reviews")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["review", "item__rank", "item_id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "item"], name="criteria_review_item_once"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} in review {self.review_id}"

    @property
    def is_reviewed(self) -> bool:
        return self.reviewed_at is not None

    @property
    def is_commented_not_reviewed(self) -> bool:
        """The client asked a question or a change and has not marked it reviewed (prefetched comments)."""
        return not self.is_reviewed and len(self.comments.all()) > 0

    @property
    def comment_total(self) -> int:
        """Comments on the item: the one left when reviewing, and those left without (prefetched)."""
        return len(self.comments.all()) + bool(self.comment)

    @property
    def last_comment(self) -> "CriteriaReviewComment | None":
        """The latest comment left without reviewing (prefetched comments), or None."""
        comments = list(self.comments.all())
        return comments[-1] if comments else None


class CriteriaReviewComment(models.Model):
    """A question or a change the client asks about an item's criteria, left without marking it reviewed:
    the item keeps waiting for its review. Visible to every member of the project."""

    entry = models.ForeignKey(CriteriaReviewItem, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["entry", "created_at", "id"]

    def __str__(self) -> str:
        return self.text[:60]
