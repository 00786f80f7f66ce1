"""`coproduce recovery_rebuild`: recompute the kept resumption aggregates from the records."""

from django.core.management.base import BaseCommand

from coproduce.recovery.services.aggregates import aggregates_rebuild


class Command(BaseCommand):
    help = "Recompute the kept resumption aggregates from enterprises, parks and reports."

    def handle(self, *args, **options):
        counts = aggregates_rebuild()
        self.stdout.write(
            f"rebuilt {counts['tally']} tally rows, {counts['parks']} park rows, "
            f"{counts['blockers']} blocker rows"
        )
