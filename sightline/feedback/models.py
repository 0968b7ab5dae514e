"""Feedback: what anyone in the project says about an item, a sprint review or the product, optionally
with a screenshot; the agency turns it into a backlog item with one action."""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone


def screenshot_path(feedback: "Feedback", filename: str) -> str:
    """Stored under feedback/<project>/ with a random name; the extension comes from the checked content
    (``filename`` is already ``<kind>.<ext>``, see ``uploads.checked_screenshot``)."""
    extension = filename.rsplit(".", 1)[-1]
    return f"feedback/{feedback.project.key}/{uuid.uuid4().hex}.{extension}"


class Feedback(models.Model):
    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="feedback")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField()
    item = models.ForeignKey(
        "backlog.Item",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback",
        help_text="The item it is about (empty: the product or a sprint review)",
    )
    sprint = models.ForeignKey(
        "sprints.Sprint",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback",
        help_text="The sprint review it was given at",
    )
    screenshot = models.FileField(upload_to=screenshot_path, blank=True, max_length=200)
    screenshot_type = models.CharField(max_length=20, blank=True, help_text="Checked from the file's content")
    screenshot_name = models.CharField(max_length=200, blank=True, help_text="The name it was uploaded with")
    created_at = models.DateTimeField(default=timezone.now)
    item_created = models.OneToOneField(
        "backlog.Item",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="from_feedback",
        help_text="The backlog item it was converted into",
    )
    converted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    converted_at = models.DateTimeField(null=True, blank=True)
    scheduled_at = models.DateTimeField(null=True, blank=True, help_text="When its item was first planned")
    done_at = models.DateTimeField(null=True, blank=True, help_text="When its item was accepted")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "feedback"
        indexes = [models.Index(fields=["project", "created_at"], name="feedback_project_recent")]

    def __str__(self) -> str:
        return self.text[:60]

    def get_absolute_url(self) -> str:
        return reverse("feedback:detail", args=[self.project.key, self.pk])

    @property
    def is_converted(self) -> bool:
        return self.item_created_id is not None

    @property
    def state(self) -> str:
        return "converted" if self.is_converted else "open"
