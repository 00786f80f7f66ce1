"""`coproduce ledger verify`: recompute the hash chain of the money and stock ledger."""

import sys

from django.core.management.base import BaseCommand

from coproduce.relief.services import ledger_verify


class Command(BaseCommand):
    help = "Work with the public ledger of donations and stock. `verify` recomputes its chain."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="recompute every hash; name the first broken entry")

    def handle(self, *args, action, **options):
        check = ledger_verify()
        if check.ok:
            self.stdout.write(
                f"The ledger holds: {check.count} entries, head #{check.head_seq} {check.head_hash}"
            )
            return
        if check.broken_seq is not None:
            self.stderr.write(
                f"The ledger is broken at entry #{check.broken_seq}: its hash does not match its "
                "fields and the entry before it."
            )
        else:
            self.stderr.write(
                f"Entries after #{check.missing_after} are missing: the head says "
                f"#{check.head_seq} {check.head_hash}."
            )
        sys.exit(1)
