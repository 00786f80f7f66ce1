"""The scheduler as the process systemd runs: it runs what is due and stops on SIGTERM."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest


@pytest.mark.slow
def test_the_long_running_scheduler_runs_what_is_due_and_stops_on_sigterm(tmp_path):
    """The real process: migrate a fresh database, start `coproduce scheduler`, wait for its
    runs, stop it as systemd would."""
    # This checkout's code (the console script runs the installed one).
    coproduce = [sys.executable, "-m", "coproduce.cli"]
    root = Path(__file__).resolve().parents[3]
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("COPRODUCE_", "DJANGO_"))}
    # Every job due at any hour of the real day: the test does not depend on when it runs.
    environ |= {
        "COPRODUCE_DATA_DIR": str(tmp_path),
        "COPRODUCE_SCHEDULE": (
            "health-codes-recompute=00:00,tracing-sweep=00:00,logs-purge=00:00,"
            "partitions-ahead=00:00"
        ),
    }
    migrate = subprocess.run(
        [*coproduce, "migrate", "-v0"],
        cwd=root,
        env=environ,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert migrate.returncode == 0, migrate.stderr
    process = subprocess.Popen(
        [*coproduce, "scheduler", "--interval", "1"],
        cwd=root,
        env=environ,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        finished = 0
        while finished < 4 and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.5)
            with sqlite3.connect(tmp_path / "coproduce.sqlite3") as db:
                finished = db.execute(
                    "SELECT count(*) FROM scheduler_jobrun WHERE status = 'succeeded'"
                ).fetchone()[0]
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert finished == 4, err
    assert process.returncode == 0, err
    assert "logs-purge" in out and out.rstrip().endswith("Scheduler stopped.")
