from django.conf import settings
from django.core.validators import MinLengthValidator, MinValueValidator
from django.db import models
from django.db.models import Q

TITLE_MAX = 200
STAGING_URL_MAX = 200


class ItemType(models.TextChoices):
    STORY = "story", "Story"
    BUG = "bug", "Bug"
    TASK = "task", "Task"
    CHORE = "chore", "Chore"


class Priority(models.TextChoices):
    CRITICAL = "critical", "Critical"
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    READY = "ready", "Ready"
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    DELIVERED = "delivered", "Delivered"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"


class Epic(models.Model):
    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="epics")
    title = models.CharField(max_length=TITLE_MAX, validators=[MinLengthValidator(1)])
    description = models.TextField(blank=True)
    business_value = models.TextField(blank=True)
    priority = models.CharField(max_length=16, choices=Priority.choices, default=Priority.MEDIUM)
    release = models.ForeignKey(
        "roadmap.Release", null=True, blank=True, on_delete=models.SET_NULL, related_name="epics"
    )
    rank = models.BigIntegerField(default=0)
    colour = models.CharField(max_length=7, default="#4f6bed")

    class Meta:
        ordering = ["project", "rank", "id"]

    def __str__(self) -> str:
        return self.title


# Unfinished work: the states an item is in between joining a sprint and being accepted.
UNFINISHED_STATES = (Status.PLANNED, Status.IN_PROGRESS, Status.DELIVERED, Status.REJECTED)


class ItemQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Items of the projects the user is a member of."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(project__memberships__user=user)

    def in_backlog_view(self):
        """Everything except the items of closed sprints (those are history)."""
        return self.filter(Q(sprint__isnull=True) | ~Q(sprint__state="closed"))

    def carried_over(self):
        """Unfinished work with no sprint: what a sprint closing with no sprint after it handed back to the
        backlog. Sprint planning offers it first; it joins a sprint in the state it is in."""
        return self.filter(sprint__isnull=True, status__in=UNFINISHED_STATES)

    def ranked(self):
        return self.order_by("rank", "id")


class Item(models.Model):
    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="items")
    number = models.PositiveIntegerField(editable=False)
    key = models.CharField(max_length=24, unique=True, editable=False)
    type = models.CharField(max_length=16, choices=ItemType.choices, default=ItemType.STORY)
    title = models.CharField(max_length=TITLE_MAX)
    user_story = models.TextField(blank=True, help_text="As a … I want … so that …")
    description = models.TextField(blank=True, help_text="Markdown")
    priority = models.CharField(max_length=16, choices=Priority.choices, default=Priority.MEDIUM)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    rank = models.BigIntegerField(default=0)
    points = models.DecimalField(
        max_digits=5, decimal_places=1, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    estimate_hours = models.DecimalField(
        max_digits=6, decimal_places=1, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    epic = models.ForeignKey(Epic, null=True, blank=True, on_delete=models.SET_NULL, related_name="items")
    sprint = models.ForeignKey(
        "sprints.Sprint", null=True, blank=True, on_delete=models.SET_NULL, related_name="items"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    labels = models.JSONField(default=list, blank=True)
    version = models.PositiveIntegerField(default=1)
    staging_url = models.URLField(max_length=STAGING_URL_MAX, blank=True)
    delivery_note = models.TextField(blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rejection_reason = models.TextField(blank=True)
    acceptance_holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The client member this delivery was handed to for acceptance (empty: the client PO).",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ItemQuerySet.as_manager()

    class Meta:
        ordering = ["rank", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="item_number_unique"),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in Status]), name="item_status_valid"
            ),
            models.CheckConstraint(condition=Q(type__in=[t.value for t in ItemType]), name="item_type_valid"),
            models.CheckConstraint(
                condition=Q(priority__in=[p.value for p in Priority]), name="item_priority_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["project", "rank", "id"], name="item_project_rank"),
            models.Index(fields=["project", "status"], name="item_project_status"),
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.title}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("backlog:item", args=[self.project_key, self.key])

    @property
    def project_key(self) -> str:
        return self.key.rsplit("-", 1)[0]


class AcceptanceCriterion(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveIntegerField(default=0)
    text = models.TextField()
    met = models.BooleanField(default=False, help_text="Ticked by the client during acceptance")

    class Meta:
        ordering = ["item", "position", "id"]
        verbose_name_plural = "acceptance criteria"

    def __str__(self) -> str:
        return self.text[:80]


class Subtask(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="subtasks")
    title = models.CharField(max_length=TITLE_MAX)
    estimate_hours = models.DecimalField(
        max_digits=5, decimal_places=1, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    done = models.BooleanField(default=False)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["item", "position", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_large(self) -> bool:
        return self.estimate_hours is not None and self.estimate_hours > 2


class ItemTemplate(models.Model):
    """Pre-filled text for new items of a type, per project."""

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="templates")
    type = models.CharField(max_length=16, choices=ItemType.choices)
    user_story = models.TextField(blank=True)
    description = models.TextField(blank=True)
    criteria = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "type"], name="one_template_per_type")]

    def __str__(self) -> str:
        return f"{self.project.key} {self.type} template"


class Comment(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField()
    internal = models.BooleanField(default=False, help_text="Internal notes never reach client roles")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.body[:60]


class AcceptanceDecision(models.Model):
    """The client's verdict on one delivery of an item."""

    class Outcome(models.TextChoices):
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="decisions")
    sprint = models.ForeignKey(
        "sprints.Sprint", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    reason = models.TextField(blank=True)
    criteria_ticks = models.JSONField(default=list, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_at", "-id"]

    def __str__(self) -> str:
        return f"{self.item.key} {self.outcome}"
