from django.core.management.base import BaseCommand

from coproduce.care.tasks import care_escalate


class Command(BaseCommand):
    help = (
        "Escalate crisis alerts not acknowledged by their deadline to the supervisor, remind "
        "residents of the next 24 hours' appointments, clear expired callback numbers. Run it "
        "every minute (cron or a timer) beside the scheduler."
    )

    def handle(self, *args, **options):
        result = care_escalate.call()
        self.stdout.write(
            f"{result['escalated']} alerts escalated, {result['reminded']} reminders sent, "
            f"{result['cleared']} callback numbers cleared."
        )
