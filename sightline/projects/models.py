from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models


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
    item_sequence = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["key"]

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
