from django.core.management.base import BaseCommand

from coproduce.health_codes import services


class Command(BaseCommand):
    help = "Recompute every resident's health code for today (run daily after midnight)."

    def handle(self, *args, **options):
        result = services.health_codes_recompute_all()
        self.stdout.write(
            f"{result.people} codes recomputed: {result.changed} changed color, "
            f"{result.created} created."
        )
