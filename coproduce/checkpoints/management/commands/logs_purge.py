from django.core.management.base import BaseCommand

from coproduce.checkpoints import retention
from coproduce.core import clock


class Command(BaseCommand):
    help = (
        "Delete checkpoint scans, place-code visits and presences older than the retention "
        "(COPRODUCE_LOG_RETENTION_DAYS); the scheduler runs it nightly as `logs-purge`."
    )

    def handle(self, *args, **options):
        purged = retention.logs_purge(actor=None)
        before = purged.before.astimezone(clock.local_zone())
        self.stdout.write(
            f"Purged what was recorded before {before:%Y-%m-%d %H:%M} ({before.tzinfo}, "
            f"{purged.retention_days} days kept): {purged.scans} scans, {purged.visits} visits, "
            f"{purged.presences} presences in {purged.chunks} chunks."
        )
