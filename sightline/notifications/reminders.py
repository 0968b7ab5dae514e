"""Reminders sent by `sightline send_reminders` (run it daily).

Each entry of ``REMINDERS`` is the dotted path of a function::

    def remind(*, today: date, dry_run: bool) -> list[str]

that sends what is due on ``today`` and returns one line per reminder it sent (or would send, on a dry
run). A reminder must be sent once only: guard each one with ``once(key)`` (skipped on a dry run), e.g.
``once(f"decision.due:{decision.id}")``, which records the key and says whether it was new.
"""

from django.db import IntegrityError, transaction

from sightline.notifications.models import ReminderSent

REMINDERS: list[str] = [
    "sightline.digests.reminders.acceptance_before_planning",
    "sightline.decisions.reminders.remind",
]


def once(key: str) -> bool:
    """Record ``key``; True the first time, False when it was already recorded (safe under concurrency)."""
    try:
        with transaction.atomic():
            ReminderSent.objects.create(key=key[:200])
    except IntegrityError:
        return False
    return True


def already_sent(key: str) -> bool:
    """Whether ``key`` was recorded (for dry runs, which must not record anything)."""
    return ReminderSent.objects.filter(key=key[:200]).exists()
