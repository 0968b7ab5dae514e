"""The daily email: one message per person gathering the notifications they asked to get once a day."""

from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from sightline.notifications.kinds import label
from sightline.notifications.models import DailyEmailEntry
from sightline.projects.models import Membership


@dataclass
class DailyEmail:
    user: object
    entries: list[DailyEmailEntry]

    @property
    def by_project(self) -> list[tuple[object, list[DailyEmailEntry]]]:
        groups: dict[int, list[DailyEmailEntry]] = defaultdict(list)
        for entry in self.entries:
            groups[entry.notification.project_id].append(entry)
        return [(entries[0].notification.project, entries) for entries in groups.values()]


def _pending() -> tuple[list[DailyEmail], list[int]]:
    """The pending daily emails, and the entries of projects their person has left (never to be sent)."""
    entries = list(
        DailyEmailEntry.objects.filter(sent_at__isnull=True, user__is_active=True)
        .select_related("user", "notification__project")
        .order_by("user_id", "notification__created_at", "id")
    )
    user_ids = {e.user_id for e in entries}
    member_of = set(Membership.objects.filter(user_id__in=user_ids).values_list("user_id", "project_id"))
    emails: dict[int, DailyEmail] = {}
    left = []
    for entry in entries:
        if (entry.user_id, entry.notification.project_id) not in member_of:
            left.append(entry.id)
            continue
        entry.label = label(entry.notification.kind)
        emails.setdefault(entry.user_id, DailyEmail(entry.user, [])).entries.append(entry)
    return list(emails.values()), left


def daily_message(email: DailyEmail) -> EmailMultiAlternatives:
    context = {"email": email, "base_url": settings.SIGHTLINE_BASE_URL}
    count = len(email.entries)
    subject = f"Sightline: {count} notification{'s' if count != 1 else ''} from today"
    message = EmailMultiAlternatives(
        subject, render_to_string("notifications/daily_email.txt", context), None, [email.user.email]
    )
    message.attach_alternative(render_to_string("notifications/daily_email.html", context), "text/html")
    return message


def _line(email: DailyEmail) -> str:
    n = len(email.entries)
    return f"daily email to {email.user.email} ({n} notification{'s' if n != 1 else ''})"


def send_daily_emails(*, dry_run: bool = False) -> list[str]:
    """Send every pending daily email; each notification goes out in one daily email only. Those of a
    project the person has left are dropped from the daily email (they stay in the app)."""
    emails, left = _pending()
    if left and not dry_run:
        DailyEmailEntry.objects.filter(id__in=left, sent_at__isnull=True).delete()
    sent = []
    for email in emails:
        if dry_run:
            sent.append(_line(email))
            continue
        ids = [e.id for e in email.entries]
        stamp = timezone.now()
        with transaction.atomic():
            DailyEmailEntry.objects.filter(id__in=ids, sent_at__isnull=True).update(sent_at=stamp)
        claimed = set(DailyEmailEntry.objects.filter(id__in=ids, sent_at=stamp).values_list("id", flat=True))
        email.entries = [e for e in email.entries if e.id in claimed]  # another run may have sent some
        if not email.entries:
            continue
        try:
            daily_message(email).send(fail_silently=False)
        except Exception:
            DailyEmailEntry.objects.filter(id__in=claimed).update(sent_at=None)
            raise
        sent.append(_line(email))
    return sent
