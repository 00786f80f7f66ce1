import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from coproduce.accounts.models import User
from coproduce.core.clock import exercise_clock_set
from coproduce.core.server import serve
from coproduce.demo.seed import DEMO_NOW, DEMO_PASSWORD, STEPS, seed_all


class Command(BaseCommand):
    help = "Create the database if needed, seed the demo (PRODUCT.md section 5) and serve it."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--fresh", action="store_true", help="start again from an empty database"
        )
        parser.add_argument(
            "--no-serve", action="store_true", help="seed, print the logins and stop"
        )
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument(
            "--scale", type=float, default=1.0, help="residents and events, relative"
        )

    def handle(self, *args, port, fresh, no_serve, workers, scale, **options):
        if not settings.COPRODUCE_EXERCISE:
            raise CommandError("The demo runs on the exercise clock: set COPRODUCE_EXERCISE=1.")
        if fresh:
            self._wipe()
        call_command("migrate", interactive=False, verbosity=0)
        if User.objects.filter(username="admin").exists():
            self.stdout.write("The demo is seeded already (use --fresh to start again).")
        else:
            started = time.monotonic()
            self.stdout.write(
                "Seeding the demo (Zhejiang, the paper's organizations and figures)..."
            )
            admin = seed_all(scale=scale, out=lambda line: self.stdout.write(f"  {line}")).users[
                "admin"
            ]
            exercise_clock_set(moment=DEMO_NOW, actor=admin)
            self.stdout.write(f"Seeded in {time.monotonic() - started:.0f} s.")
        url = f"http://127.0.0.1:{port}/"
        self.stdout.write(self.style.SUCCESS(f"\nCoproduce demo: {url}"))
        self.stdout.write(
            f"The platform clock is set to {DEMO_NOW:%Y-%m-%d %H:%M} (Asia/Shanghai)."
        )
        self.stdout.write(f"Logins (password for all: {DEMO_PASSWORD}):")
        self.stdout.write(f"  {'admin':<12} admin (back office at {url}admin/)")
        # Each seed step may declare the logins it makes (username, role, region, organization).
        logins = [login for step in STEPS for login in getattr(step, "LOGINS", [])]
        for username, role, region, org in logins:
            where = f"{region}" + (f", {org}" if org else "")
            self.stdout.write(f"  {username:<12} {role} in {where}")
        self.stdout.write(f"API reference: {url}api/v1/docs")
        # The daily jobs (code recompute, quarantine release, log purge) run in their own
        # process, on the demo's exercise clock (docs/operations.md).
        self.stdout.write(
            "Daily jobs: run `make demo-scheduler` in a second terminal "
            "(COPRODUCE_EXERCISE=1 .venv/bin/coproduce scheduler).\n"
        )
        if not no_serve:
            serve(host="127.0.0.1", port=port, workers=workers, threads=4)

    def _wipe(self) -> None:
        if connection.vendor == "sqlite":
            path = Path(settings.DATABASES["default"]["NAME"])
            connection.close()
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        else:
            call_command("flush", interactive=False, verbosity=0)
