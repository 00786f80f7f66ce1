"""The scheduler on the real database: due jobs run once per local day at their time, on the
platform's clock, through Django's tasks framework; the command's --once and --list."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError, SystemCheckError
from django.tasks import task, task_backends
from django.tasks.backends.dummy import DummyBackend

from coproduce.core import clock
from coproduce.core.models import AuditEvent
from coproduce.scheduler import jobs, runner, services
from coproduce.scheduler.jobs import Job
from coproduce.scheduler.models import JobRun
from coproduce.scheduler.tasks import job_run

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
DAY = dt.date(2020, 2, 12)


def at(hour: int, minute: int = 0, day: dt.date = DAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=SHANGHAI)


@pytest.fixture
def clock_at(settings):
    """`clock_at(moment)` sets the platform's exercise clock, as a drill would."""
    settings.COPRODUCE_EXERCISE = True

    def set_to(moment: dt.datetime) -> dt.datetime:
        clock.exercise_clock_set(moment=moment, actor=None)
        return moment

    return set_to


DAILY = ("health-codes-recompute", "tracing-sweep", "logs-purge")


@pytest.fixture(autouse=True)
def daily_jobs(monkeypatch):
    """The tests below follow the three daily jobs of the paper's workflow; jobs added to the
    table (partitions-ahead, other apps' jobs) are tested on their own."""
    monkeypatch.setattr(jobs, "JOBS", tuple(job for job in jobs.JOBS if job.name in DAILY))


@pytest.fixture
def task_queue():
    """The default task backend swapped for Django's dummy one: enqueued tasks wait, unrun,
    like on a queue whose workers have not taken them yet."""
    before = task_backends["default"]
    queue = DummyBackend("default", {})
    task_backends["default"] = queue
    yield queue
    task_backends["default"] = before


@task
def failing_job() -> dict:
    """A job of the tests' own job table that fails."""
    raise RuntimeError("the disk is full")


def ran(*names: str) -> list[str]:
    return [outcome.job for outcome in runner.jobs_run_due() if outcome.job in names or not names]


def runs() -> set[tuple[str, dt.date, str]]:
    return set(JobRun.objects.values_list("job", "day", "status"))


def test_a_due_job_runs_once_per_local_day_and_never_before_its_time(clock_at):
    clock_at(at(0, 4))
    assert runner.jobs_run_due() == []  # the recompute is due at 00:05

    clock_at(at(0, 6))
    [outcome] = runner.jobs_run_due()
    assert (outcome.job, outcome.day, outcome.state) == ("health-codes-recompute", DAY, "succeeded")
    assert outcome.result == {"people": 0, "changed": 0, "created": 0}
    clock_at(at(0, 20))
    assert runner.jobs_run_due() == []  # ran today already

    clock_at(at(0, 31))
    assert ran() == ["tracing-sweep"]
    clock_at(at(3, 1))
    assert ran() == ["logs-purge"]
    clock_at(at(23, 59))
    assert runner.jobs_run_due() == []

    assert runs() == {
        ("health-codes-recompute", DAY, "succeeded"),
        ("tracing-sweep", DAY, "succeeded"),
        ("logs-purge", DAY, "succeeded"),
    }
    assert AuditEvent.objects.filter(action="health_codes.recompute_all").count() == 1
    assert AuditEvent.objects.filter(action="checkpoints.logs_purge").count() == 1


def test_a_scheduler_started_late_runs_what_it_missed_once_in_the_order_of_the_times(clock_at):
    clock_at(at(10, 0))
    assert ran() == ["health-codes-recompute", "tracing-sweep", "logs-purge"]
    run = JobRun.objects.get(job="logs-purge")
    assert abs(run.due_at - at(10, 0)) < dt.timedelta(seconds=5)  # the clock ran on meanwhile
    assert run.started_at is not None and run.finished_at >= run.started_at
    assert run.task_id and run.backend == "default"


def test_the_exercise_clock_moves_the_day(clock_at):
    clock_at(at(10, 0))
    runner.jobs_run_due()
    tomorrow = DAY + dt.timedelta(days=1)

    clock_at(at(0, 6, day=tomorrow))
    assert ran() == ["health-codes-recompute"]
    assert JobRun.objects.filter(job="health-codes-recompute").count() == 2
    assert set(
        JobRun.objects.filter(job="health-codes-recompute").values_list("day", flat=True)
    ) == {
        DAY,
        tomorrow,
    }
    # A drill that sets the clock back to a day that ran runs nothing again.
    clock_at(at(12, 0))
    assert runner.jobs_run_due() == []


def test_a_second_scheduler_finds_the_day_claimed_and_does_nothing(clock_at):
    clock_at(at(10, 0))
    recompute = jobs.job_get("health-codes-recompute")
    first = services.job_claim(job=recompute, day=DAY, due_at=at(10, 0), by="host-a:1")
    second = services.job_claim(job=recompute, day=DAY, due_at=at(10, 0), by="host-b:2")
    assert first is not None and second is None  # the losing insert inserted nothing
    assert JobRun.objects.get(job=recompute.name).claimed_by == "host-a:1"

    # The sweep and the purge come after the recompute: they wait for it to succeed.
    assert runner.jobs_run_due(by="host-b:2") == []
    assert JobRun.objects.count() == 1
    runner.job_start(job=recompute, run_id=first)
    outcomes = runner.jobs_run_due(by="host-b:2")
    assert [o.job for o in outcomes] == ["tracing-sweep", "logs-purge"]
    assert JobRun.objects.count() == 3


def test_with_a_task_queue_the_job_waits_for_a_worker_that_records_its_result(clock_at, task_queue):
    clock_at(at(0, 6))
    [outcome] = runner.jobs_run_due()
    assert outcome.state == "enqueued"
    [queued] = task_queue.results
    run = JobRun.objects.get()
    assert queued.task.func is job_run.func
    assert list(queued.args) == ["health-codes-recompute", run.pk]
    assert run.task_id == queued.id and run.status == "enqueued"
    assert not AuditEvent.objects.filter(action="health_codes.recompute_all").exists()

    # The worker runs the task it took from the queue.
    queued.task.call(*queued.args, **queued.kwargs)
    run = JobRun.objects.get()
    assert run.status == "succeeded" and run.result["people"] == 0

    # A queue that delivers the task a second time finds it run: the job does not run twice.
    assert queued.task.call(*queued.args, **queued.kwargs) == {}
    assert AuditEvent.objects.filter(action="health_codes.recompute_all").count() == 1


def test_a_failed_job_is_retried_with_backoff_then_recorded_failed(clock_at, monkeypatch, settings):
    monkeypatch.setattr(jobs, "JOBS", (Job("fails", failing_job, dt.time(1, 0), "fails"),))
    settings.JOB_RETRY_SECONDS = 3600
    clock_at(at(1, 0))
    [outcome] = runner.jobs_run_due()
    run = JobRun.objects.get()
    assert outcome.state == "retrying" and outcome.error == "RuntimeError: the disk is full"
    assert run.status == "retrying" and run.attempts == 1
    assert dt.timedelta(minutes=59) < run.retry_at - run.started_at < dt.timedelta(minutes=61)
    assert runner.jobs_run_due() == []  # not before its backoff

    settings.JOB_RETRY_SECONDS = 0
    JobRun.objects.update(retry_at=run.retry_at - dt.timedelta(hours=1))  # an hour later
    outcomes = runner.jobs_run_due()  # the second attempt, then the third and last
    assert [o.state for o in outcomes] == ["retrying"]
    assert [o.state for o in runner.jobs_run_due()] == ["failed"]
    run = JobRun.objects.get()
    assert run.status == "failed" and run.attempts == 3 and run.finished_at is not None
    clock_at(at(2, 0))
    assert runner.jobs_run_due() == []  # once failed for good, not again that day


def test_jobs_run_after_the_ones_they_depend_on(clock_at, monkeypatch, settings):
    """A failing recompute holds back the sweep and the purge (they used to run anyway)."""
    recompute = Job("health-codes-recompute", failing_job, dt.time(0, 5), "fails", attempts=1)
    monkeypatch.setattr(jobs, "JOBS", (recompute, *jobs.JOBS[1:]))
    clock_at(at(10, 0))
    assert [o.state for o in runner.jobs_run_due()] == ["failed"]
    assert runs() == {("health-codes-recompute", DAY, "failed")}
    assert runner.overdue_report() == ["health-codes-recompute", "tracing-sweep", "logs-purge"]


def test_a_job_moved_before_its_dependency_runs_after_it_in_the_same_round(clock_at, settings):
    settings.SCHEDULE_TIMES = {"logs-purge": dt.time(0, 1)}
    clock_at(at(0, 2))
    assert ran() == []  # the purge waits for the recompute and the sweep
    clock_at(at(0, 31))
    assert ran() == ["health-codes-recompute", "tracing-sweep", "logs-purge"]


def test_a_lost_run_is_reclaimed_and_retried(clock_at, settings):
    """A run whose worker stopped beating (killed) is reclaimed after the timeout, then run
    again; the worker-death test with real processes is test_worker.py."""
    settings.JOB_RETRY_SECONDS = 0
    clock_at(at(0, 6))
    recompute = jobs.job_get("health-codes-recompute")
    run_id = services.job_claim(job=recompute, day=DAY, due_at=at(0, 6), by="host-a:1")
    long_ago = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    JobRun.objects.filter(pk=run_id).update(
        status="running", attempts=1, started_at=long_ago, heartbeat_at=long_ago
    )
    outcomes = runner.jobs_run_due()
    assert [(o.job, o.state) for o in outcomes][:2] == [
        ("health-codes-recompute", "reclaimed"),
        ("health-codes-recompute", "succeeded"),
    ]
    run = JobRun.objects.get(pk=run_id)
    assert run.status == "succeeded" and run.attempts == 2


def test_the_configured_times_move_a_job(clock_at, settings):
    settings.SCHEDULE_TIMES = {"health-codes-recompute": dt.time(0, 1)}
    clock_at(at(0, 2))
    assert ran() == ["health-codes-recompute"]


def test_a_schedule_naming_no_job_stops_the_scheduler(settings):
    settings.SCHEDULE_TIMES = {"log-purge": dt.time(2, 0)}
    with pytest.raises(SystemCheckError, match="no such job: log-purge"):
        call_command("scheduler", "--list", skip_checks=False)


def _command(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("scheduler", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_once_runs_what_is_due_and_list_shows_next_and_last_runs(clock_at):
    clock_at(at(0, 40))
    out, _ = _command("--list")
    assert "health-codes-recompute   00:05  due now" in out
    assert "logs-purge               03:00  2020-02-12 03:00" in out
    assert out.count("never") == 3

    out, _ = _command("--once")
    assert "health-codes-recompute (2020-02-12): succeeded - people 0, changed 0, created 0" in out
    assert "tracing-sweep (2020-02-12): succeeded - released 0" in out
    assert "logs-purge" not in out

    out, _ = _command("--list")
    assert "health-codes-recompute   00:05  2020-02-13 00:05" in out
    assert "2020-02-12 succeeded (people 0, changed 0, created 0)" in out
    assert (
        "tracing-sweep            00:30  2020-02-13 00:30 2020-02-12 succeeded (released 0)" in out
    )
    assert "logs-purge               03:00  2020-02-12 03:00 never" in out


def test_once_fails_when_a_job_failed(clock_at, monkeypatch):
    failing = Job("fails", failing_job, dt.time(1, 0), "fails", attempts=1)
    monkeypatch.setattr(jobs, "JOBS", (failing,))
    clock_at(at(1, 0))
    with pytest.raises(CommandError, match="A job failed"):
        _command("--once")
    out, _ = _command("--list")
    assert "2020-02-12 failed - RuntimeError: the disk is full" in out


def test_a_drill_s_database_is_refused_when_drills_are_off(clock_at, settings):
    """The demo's clock says 2020: on real time the jobs would purge its logs and end its
    orders. The scheduler refuses until it runs with COPRODUCE_EXERCISE on."""
    clock_at(at(10, 0))
    settings.COPRODUCE_EXERCISE = False
    with pytest.raises(CommandError, match="COPRODUCE_EXERCISE"):
        _command("--once")
    assert not JobRun.objects.exists()
    out, err = _command("--list")
    assert "exercise clock" in err and "health-codes-recompute" in out


def test_the_partitions_job_is_in_the_table_and_does_nothing_on_sqlite(clock_at, monkeypatch):
    monkeypatch.undo()
    assert "partitions-ahead" in {job.name for job in jobs.job_table()}
    clock_at(at(1, 1))
    outcomes = {o.job: o for o in runner.jobs_run_due()}
    assert outcomes["partitions-ahead"].state == "succeeded"


def test_failed_and_overdue_runs_need_attention_in_the_back_office(clock_at, monkeypatch, client):
    failing = Job("health-codes-recompute", failing_job, dt.time(0, 5), "fails", attempts=1)
    monkeypatch.setattr(jobs, "JOBS", (failing, *jobs.JOBS[1:]))
    clock_at(at(10, 0))
    runner.jobs_run_due()
    root = get_user_model().objects.create_superuser("root", "", "a-long-test-password")
    client.force_login(root)
    page = client.get("/admin/scheduler/jobrun/?attention=needed").content.decode()
    assert "failed: RuntimeError: the disk is full" in page
    assert "health-codes-recompute" in page
