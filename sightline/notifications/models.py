from django.conf import settings
from django.db import models
from django.utils import timezone


class Notification(models.Model):
    """An in-app notification; the same event is also emailed."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=50)
    message = models.CharField(max_length=300)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.message


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", "Email at once"
    DAILY = "daily", "In a daily email"
    OFF = "off", "Off"


class NotificationPreference(models.Model):
    """How one person wants one kind of notification; no row means "immediate"."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=50)
    delivery = models.CharField(max_length=10, choices=Delivery.choices, default=Delivery.IMMEDIATE)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")]

    def __str__(self) -> str:
        return f"{self.user} {self.kind}: {self.delivery}"


class DailyEmailEntry(models.Model):
    """A notification waiting for its recipient's daily email; ``sent_at`` is set once it went out."""

    notification = models.OneToOneField(Notification, on_delete=models.CASCADE, related_name="daily_entry")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    email_body = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["sent_at", "user"])]


class ReminderSent(models.Model):
    """A reminder that went out, by a stable key (e.g. ``decision.due:42``), so it goes out once only."""

    key = models.CharField(max_length=200, unique=True)
    sent_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.key
