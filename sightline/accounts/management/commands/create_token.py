"""`sightline create_token EMAIL`: print a new API token for an existing, active user."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from sightline.accounts.services import token_create


class Command(BaseCommand):
    help = "Create an API token for the user with EMAIL and print it (it is shown only once)."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--name", default="Command-line token", help="A name to recognise the token by")

    def handle(self, *args, email: str, name: str, **options):
        user = get_user_model().objects.filter(email=email.strip().lower()).first()
        if user is None:
            raise CommandError(f"No user with the email {email}.")
        if not user.is_active:
            raise CommandError(f"{user.email} is deactivated; activate the account first.")
        self.stdout.write(token_create(user=user, name=name[:100]))
