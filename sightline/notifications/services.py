"""Notifying people: an in-app notification plus an email sent once the transaction commits."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from sightline.notifications.models import Notification


def notify(*, users, project, kind: str, message: str, url: str = "", email_body: str = "") -> int:
    users = [u for u in users if u.is_active]
    Notification.objects.bulk_create(
        [Notification(user=u, project=project, kind=kind, message=message[:300], url=url) for u in users]
    )
    recipients = [u.email for u in users]
    if recipients:
        link = f"{settings.SIGHTLINE_BASE_URL}{url}" if url else settings.SIGHTLINE_BASE_URL
        body = (email_body or message) + f"\n\n{link}\n\n— Sightline, {project.name}"
        subject = f"[{project.key}] {message}"[:200]

        def _send():
            for address in recipients:
                send_mail(subject, body, None, [address], fail_silently=False)

        transaction.on_commit(_send)
    return len(users)


def notifications_mark_read(*, user, ids: list[int] | None = None) -> int:
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(id__in=ids)
    return qs.update(read_at=timezone.now())
