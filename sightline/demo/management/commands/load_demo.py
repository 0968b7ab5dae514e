from django.core.management.base import BaseCommand

from sightline.demo.engagement import load_demo


class Command(BaseCommand):
    help = (
        "Load the demo engagement: projects ACME and GLOBEX with their people, backlog and sprints. "
        "Running it again changes nothing."
    )

    def handle(self, *args, **options):
        created = load_demo()
        if not created:
            self.stdout.write("The demo engagement is already loaded; nothing changed.")
            return
        for line in created:
            self.stdout.write(f"Created {line}")
        self.stdout.write(
            self.style.SUCCESS("Demo engagement loaded. Every demo login's password is 'demo'.")
        )
