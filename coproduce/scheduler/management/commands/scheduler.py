import logging
import signal
import threading

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, close_old_connections

from coproduce.scheduler import runner, services
from coproduce.scheduler.figures import tallies_refresh_due

log = logging.getLogger(__name__)


def _summary(result: dict) -> str:
    return ", ".join(f"{key} {value}" for key, value in result.items())


def _days(drift) -> str:
    days = abs(drift.total_seconds()) / 86400
    return f"{days:.0f} days {'behind' if drift.total_seconds() < 0 else 'ahead of'} real time"


class Command(BaseCommand):
    help = (
        "Run the daily jobs (health-code recompute, quarantine release, log purge) at their local "
        "times, each once per local day however many schedulers run. Long-running; --once runs "
        "what is due now and exits (cron), --list shows each job's next and last run."
    )

    def add_arguments(self, parser):
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument(
            "--once", action="store_true", help="run what is due now and exit (for cron)"
        )
        mode.add_argument(
            "--list",
            action="store_true",
            dest="show",
            help="show each job, its next run and its last run",
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=30.0,
            help="longest sleep between two looks at the clock, in seconds (default 30)",
        )

    def handle(self, *args, once, show, interval, **options):
        if show:
            self._list()
            return
        if not 1 <= interval <= 3600:
            raise CommandError("--interval is a number of seconds from 1 to 3600.")
        if drift := services.exercise_clock_drift():
            raise CommandError(
                f"This database runs on an exercise clock ({_days(drift)}) "
                "but COPRODUCE_EXERCISE is off: the jobs would recompute codes and purge logs "
                "for today's real date. Start the scheduler with COPRODUCE_EXERCISE=1 (the "
                "demo: `make demo-scheduler`), or set the exercise clock back to real time."
            )
        if once:
            if any(outcome.failed for outcome in self._round()):
                raise CommandError("A job failed (see above and `coproduce scheduler --list`).")
            return
        self._forever(interval)

    def _round(self) -> list[runner.Outcome]:
        outcomes = runner.jobs_run_due()
        try:
            # The dashboards' figures: every few minutes, not daily (docs/dashboard.md).
            tallies_refresh_due()
        except DatabaseError:
            raise
        except Exception:  # noqa: BLE001 - a failed refresh must not stop the daily jobs
            log.exception("refreshing the dashboards' kept figures failed")
        now = services.local_now()
        for outcome in outcomes:
            line = f"{now:%Y-%m-%d %H:%M:%S} {outcome.job} ({outcome.day}): {outcome.state}"
            if outcome.state == "taken":
                line += " (another scheduler claimed it)"
            if outcome.result:
                line += f" - {_summary(outcome.result)}"
            if outcome.error:
                line += f" - {outcome.error}"
            (self.stderr if outcome.failed else self.stdout).write(line)
        # Piped to a journal or a log file, output is block-buffered: show each round at once.
        self.stdout.flush()
        self.stderr.flush()
        return outcomes

    def _forever(self, interval: float) -> None:
        stop = threading.Event()

        def on_signal(signum, frame):
            # A job running inline finishes first; the loop then ends before the next round.
            stop.set()

        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)
        self.stdout.write(
            f"Scheduler {services.scheduler_name()} started; the platform's clock says "
            f"{services.local_now():%Y-%m-%d %H:%M:%S %Z}. Ctrl-C or SIGTERM stops it."
        )
        while not stop.is_set():
            # A long-running process: drop connections the database or its age closed.
            close_old_connections()
            try:
                self._round()
                wait = runner.next_wait(interval=interval)
            except DatabaseError:
                # The database is away (a restart, a network cut): try again next interval.
                log.exception("scheduler round failed; trying again in %s s", interval)
                wait = interval
            stop.wait(wait)
        self.stdout.write("Scheduler stopped.")

    def _list(self) -> None:
        if drift := services.exercise_clock_drift():
            self.stderr.write(
                f"Warning: this database runs on an exercise clock ({_days(drift)}) but "
                "COPRODUCE_EXERCISE is off; the times below are real time."
            )
        now = services.local_now()
        self.stdout.write(f"Platform clock: {now:%Y-%m-%d %H:%M:%S} ({now.tzinfo})")
        header = f"{'job':<24} {'at':<6} {'next run':<16} last run"
        self.stdout.write(header)
        for status in services.jobs_status():
            last = "never"
            if run := status.last:
                last = f"{run.day} {run.status}"
                if run.result:
                    last += f" ({_summary(run.result)})"
                if run.error:
                    last += f" - {run.error.splitlines()[0][:200]}"
            next_run = "due now" if status.due else f"{status.next_run:%Y-%m-%d %H:%M}"
            self.stdout.write(f"{status.job.name:<24} {status.job.at:%H:%M}  {next_run:<16} {last}")
