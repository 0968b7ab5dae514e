"""`sightline send_reminders [--dry-run] [--today YYYY-MM-DD]`: send every reminder due today.

Run it once a day (see docs/deploy.md). Each reminder is recorded, so running it twice sends nothing new.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.module_loading import import_string

from sightline.notifications.reminders import REMINDERS


class Command(BaseCommand):
    help = "Send the reminders due today (decisions due or overdue, deliveries to accept before planning)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Say what would be sent; send nothing.")
        parser.add_argument("--today", help="Act as if today were this date (YYYY-MM-DD).")

    def handle(self, *args, dry_run=False, today=None, **options):
        if today:
            try:
                day = datetime.date.fromisoformat(today)
            except ValueError as exc:
                raise CommandError(f"--today must be a date like 2026-03-02, not {today!r}.") from exc
        else:
            day = timezone.localdate()
        total = 0
        for path in REMINDERS:
            try:
                remind = import_string(path)
            except ImportError:
                self.stderr.write(f"Reminder {path} could not be loaded; skipped.")
                continue
            for line in remind(today=day, dry_run=dry_run):
                self.stdout.write(("Would send: " if dry_run else "Sent: ") + line)
                total += 1
        verb = "would be sent" if dry_run else "sent"
        self.stdout.write(f"{total} reminder{'s' if total != 1 else ''} {verb}.")
