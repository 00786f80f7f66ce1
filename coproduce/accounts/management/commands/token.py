from django.core.management.base import BaseCommand, CommandError

from coproduce.accounts.models import User
from coproduce.accounts.services import token_create


class Command(BaseCommand):
    help = (
        "Manage API tokens: `token create NAME` prints a new token for user NAME as the last line."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="a new API token for a user")
        create.add_argument("name", help="the user's username")
        create.add_argument("--label", default="cli", help="what the token is for (a device name)")

    def handle(self, *args, action, name, label, **options):
        user = User.objects.filter(username=name, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user is called {name!r}.")
        _, key = token_create(user=user, name=label)
        self.stdout.write(f"Token {label!r} for {name} (shown once; keep it secret):")
        self.stdout.write(key)
