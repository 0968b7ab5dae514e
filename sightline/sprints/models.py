from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

HOURS_PER_DAY = Decimal(8)  # a full working day, for availability defaults and limits


class SprintState(models.TextChoices):
    PLANNED = "planned", "Planned"
    ACTIVE = "active", "Active"
    CLOSED = "closed", "Closed"


class Sprint(models.Model):
    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="sprints")
    number = models.PositiveIntegerField()
    goal = models.CharField(max_length=300, blank=True)
    start_date = models.DateField()
    end_date = models.DateField()
    capacity_hours = models.DecimalField(max_digits=7, decimal_places=1, default=0)
    state = models.CharField(max_length=16, choices=SprintState.choices, default=SprintState.PLANNED)
    started_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    velocity_points = models.DecimalField(max_digits=7, decimal_places=1, null=True, blank=True)
    accepted_count = models.PositiveIntegerField(null=True, blank=True)
    rolled_over = models.JSONField(default=list, blank=True, help_text="Keys of items rolled over at close")
    rolled_to = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["project", "number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="sprint_number_unique"),
            models.UniqueConstraint(
                fields=["project"], condition=Q(state="active"), name="one_active_sprint_per_project"
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="sprint_dates_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"Sprint {self.number}"

    @property
    def name(self) -> str:
        return f"Sprint {self.number}"

    @property
    def working_days(self) -> int:
        """The project's working days from start to end (both included), holidays left out."""
        weekdays = set(self.project.working_days or [])
        holidays = set(self.project.holidays or [])
        count, day = 0, self.start_date
        while day <= self.end_date:
            if day.weekday() in weekdays and day.isoformat() not in holidays:
                count += 1
            day += timedelta(days=1)
        return count

    @property
    def working_hours(self) -> Decimal:
        """A full-time person's hours in this sprint."""
        return self.working_days * HOURS_PER_DAY


class SprintAvailability(models.Model):
    """One agency member's time for one sprint: the hours they can give it, and their days off."""

    sprint = models.ForeignKey(Sprint, on_delete=models.CASCADE, related_name="availability")
    membership = models.ForeignKey(
        "projects.Membership", on_delete=models.CASCADE, related_name="sprint_availability"
    )
    hours = models.DecimalField(max_digits=5, decimal_places=1, validators=[MinValueValidator(0)])
    days_off = models.PositiveSmallIntegerField(default=0)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["sprint", "membership"]
        verbose_name_plural = "sprint availability"
        constraints = [
            models.UniqueConstraint(fields=["sprint", "membership"], name="one_availability_per_member"),
            models.CheckConstraint(condition=Q(hours__gte=0), name="availability_hours_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.membership.user} in {self.sprint}: {self.hours} h"


class ScopeChange(models.Model):
    """An item added to a sprint after it started, with the reason given."""

    sprint = models.ForeignKey(Sprint, on_delete=models.CASCADE, related_name="scope_changes")
    item = models.ForeignKey("backlog.Item", on_delete=models.CASCADE, related_name="scope_changes")
    reason = models.TextField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.item} added to {self.sprint}: {self.reason[:40]}"
