from django.core.management.base import BaseCommand

from coproduce.care import services


class Command(BaseCommand):
    help = (
        "Escalate crisis alerts not acknowledged by their deadline to the supervisor, and clear "
        "expired callback numbers. Run every minute (cron) beside the scheduler."
    )

    def handle(self, *args, **options):
        escalated = services.alerts_escalate(actor=None)["escalated"]
        cleared = services.callbacks_purge(actor=None)["cleared"]
        self.stdout.write(f"{escalated} alerts escalated, {cleared} callback numbers cleared.")
