from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone


class Role(models.TextChoices):
    AGENCY_PO = "agency_po", "Agency product owner"
    DEVELOPER = "developer", "Developer"
    TESTER = "tester", "Tester"
    CLIENT_PO = "client_po", "Client product owner"
    CLIENT_STAKEHOLDER = "client_stakeholder", "Client stakeholder"


AGENCY_ROLES = frozenset({Role.AGENCY_PO, Role.DEVELOPER, Role.TESTER})
CLIENT_ROLES = frozenset({Role.CLIENT_PO, Role.CLIENT_STAKEHOLDER})


class ProjectQuerySet(models.QuerySet):
    def for_member(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(memberships__user=user)


def default_working_days() -> list[int]:
    return [0, 1, 2, 3, 4]


class EstimateUnit(models.TextChoices):
    POINTS = "points", "Story points"
    HOURS = "hours", "Hours"
    BOTH = "both", "Points and hours"


class Project(models.Model):
    key = models.CharField(
        max_length=10,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{2,10}$", "2 to 10 upper-case letters, e.g. ACME.")],
    )
    name = models.CharField(max_length=200)
    client_name = models.CharField("client organisation", max_length=200)
    vision = models.TextField("product vision", blank=True)
    business_goals = models.JSONField(default=list, blank=True)
    staging_url = models.URLField(blank=True)
    sprint_length_weeks = models.PositiveSmallIntegerField(
        default=2, validators=[MinValueValidator(1), MaxValueValidator(2)]
    )
    working_days = models.JSONField(default=default_working_days, help_text="Weekday numbers, Monday = 0")
    time_zone = models.CharField(max_length=64, default="Europe/London")
    budget_hours = models.DecimalField(max_digits=10, decimal_places=1, null=True, blank=True)
    budget_amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    budget_currency = models.CharField(max_length=3, blank=True)
    client_commitment_hours = models.DecimalField(max_digits=5, decimal_places=1, default=10)
    start_date = models.DateField(
        null=True,
        blank=True,
        help_text="When the engagement started; no forecast or plan may begin before it.",
    )
    holidays = models.JSONField(
        default=list,
        blank=True,
        help_text="Non-working dates (ISO, e.g. 2026-12-25) besides the weekly days off",
    )
    estimate_unit = models.CharField(
        max_length=8,
        choices=EstimateUnit.choices,
        default=EstimateUnit.BOTH,
        help_text="How items are estimated; velocity and forecasts count in points unless this is hours.",
    )
    focus_factor = models.DecimalField(
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.80"),
        validators=[MinValueValidator(Decimal("0.10")), MaxValueValidator(Decimal("1.00"))],
        help_text="Share of available hours that goes to sprint work: capacity = availability x this.",
    )
    forecast_velocity_low = models.DecimalField(
        max_digits=7,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.1"))],
        help_text="Lowest throughput per sprint to assume while fewer than 3 sprints are closed.",
    )
    forecast_velocity_high = models.DecimalField(
        max_digits=7,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.1"))],
        help_text="Highest throughput per sprint to assume while fewer than 3 sprints are closed.",
    )
    item_sequence = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["key"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(focus_factor__gte=Decimal("0.10"))
                & models.Q(focus_factor__lte=Decimal("1.00")),
                name="project_focus_factor_range",
            ),
            models.CheckConstraint(
                condition=models.Q(forecast_velocity_low__isnull=True)
                | models.Q(forecast_velocity_high__isnull=True)
                | (
                    models.Q(forecast_velocity_low__gt=0)
                    & models.Q(forecast_velocity_low__lte=models.F("forecast_velocity_high"))
                ),
                name="project_forecast_range_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} · {self.name}"


class Membership(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=32, choices=Role.choices)
    is_acceptor = models.BooleanField(
        default=False, help_text="A client member designated to accept or reject delivered work."
    )
    availability = models.CharField(
        max_length=200, blank=True, help_text='When this person usually has time, e.g. "Tue/Thu mornings".'
    )
    out_of_office_from = models.DateField("out of office from", null=True, blank=True)
    out_of_office_until = models.DateField("out of office until", null=True, blank=True)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["project", "role", "user"]
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], name="one_membership_per_project"),
            models.CheckConstraint(
                condition=models.Q(role__in=[r.value for r in Role]), name="membership_role_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(out_of_office_from__isnull=True)
                | models.Q(out_of_office_until__isnull=True)
                | models.Q(out_of_office_from__lte=models.F("out_of_office_until")),
                name="membership_out_of_office_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.project.key} as {self.role}"

    @property
    def is_agency(self) -> bool:
        return self.role in AGENCY_ROLES

    @property
    def is_client(self) -> bool:
        return self.role in CLIENT_ROLES

    def is_out_of_office_on(self, day) -> bool:
        """Whether ``day`` falls in this person's stated out-of-office period (either end may be open:
        a start alone means "from then on", an end alone "until then")."""
        if day is None or (self.out_of_office_from is None and self.out_of_office_until is None):
            return False
        if self.out_of_office_from is not None and day < self.out_of_office_from:
            return False
        return not (self.out_of_office_until is not None and day > self.out_of_office_until)


def project_zone(project: Project) -> ZoneInfo:
    """The time zone the project works in (UTC for a name the forms would never have accepted)."""
    try:
        return ZoneInfo(project.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def project_date(moment: datetime, project: Project) -> date:
    """The date of ``moment`` where the project works."""
    return timezone.localdate(moment, project_zone(project))


def project_today(project: Project) -> date:
    """Today's date where the project works: due dates and overdue flags are in the project's days."""
    return project_date(timezone.now(), project)
