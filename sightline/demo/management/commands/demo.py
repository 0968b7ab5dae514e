from django.core.management import call_command
from django.core.management.base import BaseCommand

from sightline.demo.content import DEMO_PASSWORD
from sightline.demo.people import demo_logins
from sightline.projects.models import Project


class Command(BaseCommand):
    help = "Run the demo: migrate, load the demo engagement into an empty database, print the logins, serve."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="address to serve on (default 127.0.0.1)")
        parser.add_argument("--port", type=int, default=8000, help="port to serve on (default 8000)")

    def handle(self, *args, host: str, port: int, **options):
        call_command("migrate", interactive=False, verbosity=0)
        if not Project.objects.exists():
            self.stdout.write("Loading the demo engagement…")
            call_command("load_demo", stdout=self.stdout)
        self.stdout.write(self.logins(f"http://{host}:{port}/"))
        call_command("runserver", f"{host}:{port}", use_reloader=False)

    @staticmethod
    def logins(url: str) -> str:
        rows = demo_logins()
        width = max(len(email) for email, _ in rows)
        lines = [
            "",
            f"Sightline demo: {url}",
            f"Log in with any of these accounts; the password is '{DEMO_PASSWORD}' for all of them.",
            "",
            f"  {'email'.ljust(width)}  who",
            f"  {'-' * width}  {'-' * 60}",
            *(f"  {email.ljust(width)}  {who}" for email, who in rows),
            "",
        ]
        return "\n".join(lines)
