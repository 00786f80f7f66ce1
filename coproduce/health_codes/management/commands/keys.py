import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from coproduce.core.errors import DomainError
from coproduce.health_codes import selectors, services


class Command(BaseCommand):
    help = (
        "Signing keys of health codes: `keys rotate` starts a new key (old keys stay in the trust "
        "list until their tokens expire); `keys list` prints the trust list; `keys import FILE` "
        "trusts another deployment's keys (its GET /api/v1/trust-list saved as JSON)."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("rotate", help="start a new signing key")
        sub.add_parser("list", help="print the trust list as JSON")
        imp = sub.add_parser("import", help="trust another issuer's keys")
        imp.add_argument("file", help="a trust list as served by GET /api/v1/trust-list")

    def handle(self, *args, action, **options):
        if action == "rotate":
            key = services.keys_rotate(actor=None)
            self.stdout.write(f"New signing key {key.kid} for {key.issuer}.")
        elif action == "list":
            self.stdout.write(json.dumps({"keys": selectors.trust_list_entries()}, indent=2))
        else:
            try:
                entries = json.loads(Path(options["file"]).read_text(encoding="utf-8"))["keys"]
            except (OSError, ValueError, KeyError, TypeError) as exc:
                raise CommandError(f"Not a trust list: {exc}") from None
            try:
                for entry in entries:
                    key = services.key_import(entry=entry, actor=None)
                    self.stdout.write(f"Trusted {key.issuer} key {key.kid}.")
            except DomainError as exc:
                raise CommandError(exc.message) from None
