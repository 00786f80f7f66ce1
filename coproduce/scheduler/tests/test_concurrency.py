"""Two schedulers started at once, on PostgreSQL: each due job runs once.

SQLite lets one writer in at a time, so the claims cannot race there; these tests need
PostgreSQL's concurrent writers (COPRODUCE_DATABASE_URL=postgres://...) and skip elsewhere.
"""

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
from django.db import connections

from coproduce.core import clock
from coproduce.core.models import AuditEvent
from coproduce.scheduler import jobs, runner, services
from coproduce.scheduler.models import JobRun

pytestmark = [pytest.mark.postgres_only, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

SCHEDULERS = 4
NOW = dt.datetime(2020, 2, 12, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def drill(settings):
    settings.COPRODUCE_EXERCISE = True
    clock.exercise_clock_set(moment=NOW, actor=None)


def _at_once(work) -> list:
    barrier = threading.Barrier(SCHEDULERS)
    results, errors = [], []

    def run(i):
        try:
            barrier.wait(timeout=10)
            results.append(work(i))
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(SCHEDULERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    return results


def test_simultaneous_claims_of_one_day_let_exactly_one_through(drill):
    recompute = jobs.job_get("health-codes-recompute")
    claims = _at_once(
        lambda i: services.job_claim(job=recompute, day=NOW.date(), due_at=NOW, by=f"scheduler-{i}")
    )
    assert len([c for c in claims if c is not None]) == 1
    assert claims.count(None) == SCHEDULERS - 1
    assert JobRun.objects.filter(job=recompute.name).count() == 1


def test_schedulers_started_together_run_each_due_job_once(drill):
    outcomes = _at_once(lambda i: runner.jobs_run_due(by=f"scheduler-{i}"))

    started = [o for per_scheduler in outcomes for o in per_scheduler if o.state != "taken"]
    assert sorted(o.job for o in started) == [
        "health-codes-recompute",
        "logs-purge",
        "partitions-ahead",
        "tracing-sweep",
    ]
    assert all(o.state == "succeeded" for o in started)
    assert JobRun.objects.count() == 4
    assert set(JobRun.objects.values_list("status", flat=True)) == {"succeeded"}
    # The jobs themselves ran once: each audits its run.
    assert AuditEvent.objects.filter(action="health_codes.recompute_all").count() == 1
    assert AuditEvent.objects.filter(action="checkpoints.logs_purge").count() == 1
