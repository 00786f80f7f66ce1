"""`coproduce tallies-refresh [--settled]`: refresh the dashboards' kept figures now."""

from django.core.management.base import BaseCommand

from coproduce.scheduler.figures import tallies_refresh


class Command(BaseCommand):
    help = "Refresh the dashboards' kept figures now (the scheduler does it every minute)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--settled",
            action="store_true",
            help="count the logs up to their newest row (only when nothing is writing)",
        )

    def handle(self, *args, settled, **options):
        for module, counted in tallies_refresh(settled=settled).items():
            summary = ", ".join(f"{k} {v}" for k, v in counted.items())
            self.stdout.write(f"{module.removeprefix('coproduce.')}: {summary}")
