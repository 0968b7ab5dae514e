"""The roadmap: releases on a timeline, the epics placed in them, and the changes proposed to it.

On a project with a client PO the roadmap changes only through a ``RoadmapChange`` the client PO
approves (see ``sightline.roadmap.changes``); without one, the agency PO edits it directly (see
``sightline.roadmap.services``).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from sightline.projects.models import project_today

RELEASE_NAME_MAX = 120


class ReleaseQuerySet(models.QuerySet):
    def in_timeline_order(self):
        """Releases by target date, those without a date last, then by rank."""
        return self.order_by(F("target_date").asc(nulls_last=True), "rank", "id")


class Release(models.Model):
    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="releases")
    name = models.CharField(max_length=RELEASE_NAME_MAX)
    target_date = models.DateField(null=True, blank=True)
    rank = models.BigIntegerField(default=0, help_text="Order among releases of the same date (or none)")
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReleaseQuerySet.as_manager()

    class Meta:
        ordering = ["project", F("target_date").asc(nulls_last=True), "rank", "id"]
        constraints = [models.UniqueConstraint(fields=["project", "name"], name="release_name_unique")]

    def __str__(self) -> str:
        return self.name


class ChangeKind(models.TextChoices):
    ADD_EPIC = "add_epic", "Add an epic to a release"
    REMOVE_EPIC = "remove_epic", "Take an epic out of its release"
    MOVE_EPIC = "move_epic", "Move an epic to another release"
    CHANGE_DATE = "change_date", "Change a release's target date"
    ADD_RELEASE = "add_release", "Add a release"


class ChangeState(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


class RoadmapChangeQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state=ChangeState.PROPOSED)

    def decided(self):
        return self.exclude(state=ChangeState.PROPOSED)

    def with_people(self):
        return self.select_related(
            "project", "epic", "release", "from_release", "proposed_by", "decided_by", "holder"
        )


class RoadmapChange(models.Model):
    """A change to the roadmap proposed by the agency; only an approved change is applied."""

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="roadmap_changes")
    kind = models.CharField(max_length=16, choices=ChangeKind.choices)
    summary = models.CharField(max_length=400, help_text="What changes, in plain words, as proposed")
    epic = models.ForeignKey(
        "backlog.Epic", null=True, blank=True, on_delete=models.SET_NULL, related_name="roadmap_changes"
    )
    release = models.ForeignKey(
        Release,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Where the epic goes (add, move), the release re-dated, or the release added",
    )
    from_release = models.ForeignKey(
        Release,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The release the epic leaves (remove, move)",
    )
    new_target_date = models.DateField(null=True, blank=True)
    previous_target_date = models.DateField(null=True, blank=True)
    release_name = models.CharField(max_length=RELEASE_NAME_MAX, blank=True, help_text="For a new release")
    release_description = models.TextField(blank=True, help_text="For a new release: what it is for")
    rationale = models.TextField()
    impact = models.TextField(help_text='e.g. "moves the forecast of Release 2 by about one sprint"')
    due = models.DateField("answer by", null=True, blank=True)
    state = models.CharField(max_length=16, choices=ChangeState.choices, default=ChangeState.PROPOSED)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposed_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comment = models.TextField(blank=True)
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The client member who holds it now (empty: the client PO)",
    )

    objects = RoadmapChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-proposed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in ChangeKind]), name="roadmap_change_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(state__in=[s.value for s in ChangeState]), name="roadmap_change_state_valid"
            ),
        ]
        indexes = [models.Index(fields=["project", "state"], name="roadmap_change_project_state")]

    def __str__(self) -> str:
        return self.summary

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("roadmap:change", args=[self.project.key, self.pk])

    @property
    def is_open(self) -> bool:
        return self.state == ChangeState.PROPOSED

    def is_overdue(self, today=None) -> bool:
        """Open and past its answer-by date (``today``: by default, today where the project works)."""
        today = today or project_today(self.project)
        return self.is_open and self.due is not None and self.due < today
