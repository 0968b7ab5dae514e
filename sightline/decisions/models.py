"""Decision requests: the agency asks the client a question with options, a recommendation and a date.

A request is open until the client answers it (one option, with a comment) or the agency withdraws it.
While open and past its due date it is overdue. The items it lists are blocked until then.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from sightline.projects.models import project_today

QUESTION_MAX = 200
LABEL_MAX = 200
EFFORT_MAX = 200
SENTENCE_MAX = 300
MIN_OPTIONS = 2
MAX_OPTIONS = 5


class DecisionState(models.TextChoices):
    OPEN = "open", "Open"
    ANSWERED = "answered", "Answered"
    WITHDRAWN = "withdrawn", "Withdrawn"


class DecisionRequestQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Decision requests of the projects the user is a member of."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(project__memberships__user=user)

    def open(self):
        return self.filter(state=DecisionState.OPEN)


class DecisionRequest(models.Model):
    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="decisions")
    number = models.PositiveIntegerField(editable=False, help_text="Per project: D-1, D-2, …")
    question = models.CharField(max_length=QUESTION_MAX)
    context = models.TextField(blank=True, help_text="Markdown")
    recommended_option = models.ForeignKey(
        "DecisionOption", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recommendation_reason = models.CharField(max_length=SENTENCE_MAX, blank=True)
    due_date = models.DateField()
    cost_of_delay = models.CharField(
        max_length=SENTENCE_MAX, blank=True, help_text='e.g. "after 12 Mar this costs ~3 extra days"'
    )
    blocking_items = models.ManyToManyField(
        "backlog.Item",
        blank=True,
        related_name="blocking_decisions",
        help_text="Items blocked until answered",
    )
    state = models.CharField(max_length=16, choices=DecisionState.choices, default=DecisionState.OPEN)
    answer_option = models.ForeignKey(
        "DecisionOption", null=True, blank=True, on_delete=models.DO_NOTHING, related_name="+"
    )
    answer_comment = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawal_reason = models.TextField(blank=True)
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The client member who answers it now (empty: the client PO).",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    objects = DecisionRequestQuerySet.as_manager()

    class Meta:
        ordering = ["project", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="decision_number_unique"),
            models.CheckConstraint(
                condition=Q(state__in=[s.value for s in DecisionState]), name="decision_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(state=DecisionState.ANSWERED, answer_option__isnull=False)
                | (~Q(state=DecisionState.ANSWERED) & Q(answer_option__isnull=True)),
                name="decision_answered_has_option",
            ),
        ]
        indexes = [models.Index(fields=["state", "due_date"], name="decision_state_due")]

    def __str__(self) -> str:
        return f"{self.reference} {self.question}"

    def get_absolute_url(self) -> str:
        return reverse("decisions:detail", args=[self.project.key, self.number])

    @property
    def reference(self) -> str:
        return f"D-{self.number}"

    @property
    def is_open(self) -> bool:
        return self.state == DecisionState.OPEN

    def is_overdue_on(self, day: date) -> bool:
        return self.is_open and self.due_date < day

    @property
    def is_overdue(self) -> bool:
        """Open and past its due date, in the project's time zone."""
        return self.is_overdue_on(project_today(self.project))


class DecisionOption(models.Model):
    decision = models.ForeignKey(DecisionRequest, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField(default=0)
    label = models.CharField(max_length=LABEL_MAX)
    pros = models.TextField(blank=True)
    cons = models.TextField(blank=True)
    effort = models.CharField(max_length=EFFORT_MAX, blank=True, help_text='e.g. "2 days", "about 5 points"')

    class Meta:
        ordering = ["decision", "position", "id"]

    def __str__(self) -> str:
        return self.label
