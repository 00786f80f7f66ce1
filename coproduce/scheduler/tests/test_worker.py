"""Real `coproduce worker` processes on PostgreSQL's task queue: a worker killed mid-job (kill -9)
loses nothing: its run is reclaimed after the timeout and retried on another worker, and the jobs
that come after it run only once it succeeded, in order (recompute, then sweep, then purge)."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

from coproduce.scheduler.models import JobRun

pytestmark = [pytest.mark.postgres_only, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[3]
DAILY = ("health-codes-recompute", "tracing-sweep", "logs-purge")


def _environ(tmp_path) -> dict:
    db = settings.DATABASES["default"]
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("COPRODUCE_", "DJANGO_"))}
    return environ | {
        "COPRODUCE_DATA_DIR": str(tmp_path),
        "COPRODUCE_DATABASE_URL": url,
        "COPRODUCE_TASKS_BACKEND": "database",
        "COPRODUCE_JOB_RECLAIM_SECONDS": "3",
        "COPRODUCE_JOB_RETRY_SECONDS": "0",
        # Every job due at any hour of the real day.
        "COPRODUCE_SCHEDULE": "health-codes-recompute=00:00,tracing-sweep=00:00,logs-purge=00:00",
    }


def _start(environ, *command) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "coproduce.cli", *command],
        cwd=ROOT,
        env=environ,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait(condition, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def test_a_worker_killed_mid_job_is_reclaimed_and_the_dependent_jobs_run_after(tmp_path):
    environ = _environ(tmp_path)
    db = settings.DATABASES["default"]
    # The recompute reads the people first: holding their table makes the job wait mid-run.
    blocker = psycopg.connect(host=db["HOST"], port=db["PORT"], user=db["USER"], dbname=db["NAME"])
    blocker.execute("LOCK TABLE people_person IN ACCESS EXCLUSIVE MODE")
    processes = [_start(environ, "scheduler", "--interval", "1")]
    try:
        first = _start(environ, "worker", "--interval", "0.2", "--no-startup-delay")
        processes.append(first)
        _wait(
            lambda: JobRun.objects.filter(job="health-codes-recompute", status="running").exists()
        )
        time.sleep(2)  # its heartbeat keeps it alive while it waits for the table
        assert JobRun.objects.get(job="health-codes-recompute").status == "running"
        # The sweep and the purge wait for the recompute.
        assert not JobRun.objects.filter(job__in=DAILY[1:]).exists()

        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        blocker.rollback()  # the killed worker's statement is abandoned with it
        _wait(lambda: JobRun.objects.get(job="health-codes-recompute").attempts == 1)
        _wait(lambda: JobRun.objects.get(job="health-codes-recompute").status != "running")

        processes.append(_start(environ, "worker", "--interval", "0.2", "--no-startup-delay"))
        _wait(lambda: JobRun.objects.filter(status="succeeded", job__in=DAILY).count() == 3)
    finally:
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        blocker.close()
    recompute, sweep, purge = (
        JobRun.objects.get(job=name)
        for name in ("health-codes-recompute", "tracing-sweep", "logs-purge")
    )
    assert recompute.attempts == 2 and recompute.error == ""
    assert sweep.attempts == purge.attempts == 1
    assert recompute.finished_at <= sweep.started_at and sweep.finished_at <= purge.started_at
    from django_tasks_db.models import DBTaskResult

    # The queue's record of the lost attempt is failed, the retried one succeeded.
    statuses = sorted(
        DBTaskResult.objects.filter(args_kwargs__args__0="health-codes-recompute").values_list(
            "status", flat=True
        )
    )
    assert statuses == ["FAILED", "SUCCESSFUL"]
