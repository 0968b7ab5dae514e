"""`sightline send_digests`: this week's digest of each project to each member, once per person and week.

    sightline send_digests [--project KEY] [--audience client|team] [--dry-run]
    sightline send_digests --daily [--dry-run]

Run the weekly form once a week and the ``--daily`` form (the daily email of the notifications people
chose to receive once a day) every morning; docs/digests.md shows a cron table and systemd timers.
"""

from django.core.management.base import BaseCommand, CommandError

from sightline.digests.models import Audience
from sightline.digests.services import digests_send
from sightline.notifications.daily import send_daily_emails
from sightline.projects.models import Project


class Command(BaseCommand):
    help = (
        "Send this week's project digests (client and team), or with --daily the daily notification emails."
    )

    def add_arguments(self, parser):
        parser.add_argument("--project", metavar="KEY", help="Only this project (e.g. ACME).")
        parser.add_argument("--audience", choices=Audience.values, help="Only the client or the team digest.")
        parser.add_argument("--dry-run", action="store_true", help="Say what would be sent; send nothing.")
        parser.add_argument(
            "--daily", action="store_true", help="Send the daily emails of notifications instead."
        )

    def handle(self, *args, project=None, audience=None, dry_run=False, daily=False, **options):
        if daily:
            if project or audience:
                raise CommandError(
                    "--daily sends every person's daily email; it takes no --project or --audience."
                )
            lines = send_daily_emails(dry_run=dry_run)
            for line in lines:
                self.stdout.write(("Would send " if dry_run else "Sent ") + line)
            plural = "s" if len(lines) != 1 else ""
            self.stdout.write(f"{len(lines)} daily email{plural} {'to send' if dry_run else 'sent'}.")
            return
        projects = None
        if project:
            projects = list(Project.objects.filter(key=project.upper()))
            if not projects:
                raise CommandError(f"There is no project {project!r}.")
        audiences = (audience,) if audience else (Audience.CLIENT, Audience.TEAM)
        outcomes = digests_send(projects=projects, audiences=audiences, dry_run=dry_run)
        for outcome in outcomes:
            self.stdout.write(str(outcome))
        sent = sum(1 for o in outcomes if o.status in ("sent", "would send"))
        verb = "would be sent" if dry_run else "sent"
        self.stdout.write(f"{sent} digest{'s' if sent != 1 else ''} {verb}.")
