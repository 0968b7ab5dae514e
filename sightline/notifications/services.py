"""Notifying people: an in-app notification plus an email, as each person prefers for that kind.

Preferences are per person and kind (``NotificationPreference``): "immediate" (the default) emails at
once, after the transaction commits; "daily" keeps the email for the next daily email
(`sightline send_digests --daily`); "off" sends nothing at all, not even the in-app notification.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator

from sightline.lib.errors import InvalidInput
from sightline.notifications.kinds import KINDS
from sightline.notifications.models import DailyEmailEntry, Delivery, Notification, NotificationPreference


def deliveries_for(users, kind: str) -> dict[int, str]:
    """How each of ``users`` wants ``kind`` delivered (one query)."""
    chosen = dict(
        NotificationPreference.objects.filter(user__in=[u.pk for u in users], kind=kind).values_list(
            "user_id", "delivery"
        )
    )
    return {u.pk: chosen.get(u.pk, Delivery.IMMEDIATE) for u in users}


SUBJECT_MAX = 150


def email_subject(project, message: str) -> str:
    """An email subject from ``message``: one line (a header must not hold line breaks), at most
    ``SUBJECT_MAX`` characters, cut with an ellipsis."""
    return Truncator(" ".join(f"[{project.key}] {message}".split())).chars(SUBJECT_MAX)


def notify(*, users, project, kind: str, message: str, url: str = "", email_body: str = "") -> int:
    """Notify ``users`` of an event in ``project``; returns how many people were notified."""
    users = list({u.pk: u for u in users if u.is_active}.values())
    delivery = deliveries_for(users, kind)
    users = [u for u in users if delivery[u.pk] != Delivery.OFF]
    notifications = Notification.objects.bulk_create(
        [Notification(user=u, project=project, kind=kind, message=message[:300], url=url) for u in users]
    )
    link = f"{settings.SIGHTLINE_BASE_URL}{url}" if url else settings.SIGHTLINE_BASE_URL
    body = email_body or message
    DailyEmailEntry.objects.bulk_create(
        [
            DailyEmailEntry(notification=n, user=n.user, email_body=body)
            for n in notifications
            if delivery[n.user.pk] == Delivery.DAILY
        ]
    )
    recipients = [u.email for u in users if delivery[u.pk] == Delivery.IMMEDIATE]
    if recipients:
        text = body + f"\n\n{link}\n\n— Sightline, {project.name}"
        subject = email_subject(project, message)

        def _send():
            for address in recipients:
                send_mail(subject, text, None, [address], fail_silently=False)

        transaction.on_commit(_send)
    return len(users)


def notifications_mark_read(*, user, ids: list[int] | None = None) -> int:
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(id__in=ids)
    return qs.update(read_at=timezone.now())


def preferences_for(user) -> list[tuple[str, str, str]]:
    """Every kind as ``(kind, label, delivery)`` for ``user``, in the order of ``KINDS``."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))
    return [(kind, label, chosen.get(kind, Delivery.IMMEDIATE)) for kind, label in KINDS.items()]


@transaction.atomic
def preferences_save(*, user, choices: dict[str, str]) -> int:
    """Record how ``user`` wants each kind delivered; returns how many preferences changed."""
    unknown = sorted(set(choices) - set(KINDS))
    if unknown:
        raise InvalidInput(f"Unknown kind of notification: {', '.join(unknown)}.", field="kind")
    for kind, value in choices.items():
        if value not in Delivery.values:
            raise InvalidInput(
                f"Choose one of {', '.join(Delivery.values)} for “{KINDS[kind]}”, not {value!r}.", field=kind
            )
    current = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))
    changed = 0
    for kind, value in choices.items():
        if current.get(kind, Delivery.IMMEDIATE) == value:
            continue
        NotificationPreference.objects.update_or_create(user=user, kind=kind, defaults={"delivery": value})
        changed += 1
    return changed
