"""`coproduce sunset --confirm "the emergency is over"`: anonymize personal data for good."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from coproduce.core.anonymization import SUNSET_CONFIRMATION, sunset_modules, sunset_run
from coproduce.core.errors import ValidationFailed


class Command(BaseCommand):
    help = (
        "When the emergency is declared over, anonymize every app's personal data (names, "
        "phones, ID hashes, free text), keeping counts, totals and the public ledger. Cannot be "
        f'undone; take a backup first. Needs --confirm "{SUNSET_CONFIRMATION}".'
    )

    def add_arguments(self, parser):
        parser.add_argument("--confirm", default="", help=f'the words "{SUNSET_CONFIRMATION}"')
        parser.add_argument(
            "--actor", default="", help="the username of the official who ordered it (audited)"
        )

    def handle(self, *args, confirm, actor, **options):
        user = None
        if actor:
            user = get_user_model().objects.filter(username=actor).first()
            if user is None:
                raise CommandError(f"No account named {actor!r}.")
        if not confirm:
            apps = ", ".join(label for label, _ in sunset_modules())
            raise CommandError(
                f"The sunset anonymizes the personal data of {apps} for good. "
                f'Take a backup, then run again with --confirm "{SUNSET_CONFIRMATION}".'
            )
        try:
            counts = sunset_run(actor=user, confirmation=confirm)
        except ValidationFailed as exc:
            raise CommandError(str(exc)) from None
        for label, changed in counts.items():
            summary = ", ".join(f"{what} {n}" for what, n in changed.items())
            self.stdout.write(f"{label}: {summary}")
        self.stdout.write("Personal data anonymized; `coproduce ledger verify` still holds.")
