from django.core.management.base import BaseCommand

from coproduce.tracing import services


class Command(BaseCommand):
    help = "Release quarantine orders whose report streak is complete and free their places."

    def handle(self, *args, **options):
        released = services.orders_release_completed(actor=None)
        self.stdout.write(f"{released} orders released.")
