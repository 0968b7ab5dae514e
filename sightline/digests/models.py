from django.conf import settings
from django.db import models
from django.utils import timezone


class Audience(models.TextChoices):
    CLIENT = "client", "Client"
    TEAM = "team", "Team"


class DigestSent(models.Model):
    """A weekly digest that went out to one person, so that each goes out once per week."""

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="+")
    audience = models.CharField(max_length=10, choices=Audience.choices)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    period_start = models.DateField(help_text="The Monday of the week, in the project's time zone")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-period_start", "project", "audience"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "audience", "recipient", "period_start"], name="one_digest_per_week"
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.audience} digest of {self.project.key} for {self.recipient}, week of {self.period_start}"
        )


class SprintGoalShare(models.Model):
    """The draft goal of a planned sprint, as it was shared with the client ahead of planning."""

    sprint = models.ForeignKey("sprints.Sprint", on_delete=models.CASCADE, related_name="goal_shares")
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    shared_at = models.DateTimeField(default=timezone.now)
    goal = models.CharField(max_length=300)

    class Meta:
        ordering = ["-shared_at", "-id"]

    def __str__(self) -> str:
        return f"{self.sprint} draft goal shared: {self.goal[:40]}"
