"""When a daily job is due: pure rules on local wall-clock times (no Django, no clock reads).

The caller gives the local moment (the platform's clock in the deployment's zone, so a drill's
exercise clock moves the day) and whether the job has a run for that local day already.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, time, timedelta


def job_due(*, at: time, now_local: datetime, ran_today: bool) -> bool:
    """Rule: a daily job is due from its local time of day on, once per local calendar day.

    Wall-clock time, not elapsed time: a day that skips an hour (a daylight-saving zone) still
    reaches a time inside the gap, and a day that repeats one runs the job at its first pass.
    A scheduler that was down for days runs the job once for today, not once per missed day:
    every job computes the state as of today.
    """
    return not ran_today and now_local.time() >= at


def job_next_run(*, at: time, now_local: datetime, ran_today: bool) -> datetime:
    """Rule: the local moment a job is next due: now if due, else today or tomorrow at `at`."""
    if job_due(at=at, now_local=now_local, ran_today=ran_today):
        return now_local
    day = now_local.date()
    if ran_today or now_local.time() >= at:
        day += timedelta(days=1)
    return datetime.combine(day, at, tzinfo=now_local.tzinfo)


def wait_seconds(*, now_local: datetime, next_runs: Iterable[datetime], interval: float) -> float:
    """Rule: how long a scheduler sleeps: until the next run, but at most `interval` seconds.

    The cap matters because the platform's clock can jump (a drill sets the exercise clock), so
    a next run computed now may come much sooner than it seemed.
    """
    # Instants, not wall-clock differences (Python subtracts two times of one zone by their
    # wall clocks): across a daylight-saving change the two differ by the hour.
    waits = [moment.timestamp() - now_local.timestamp() for moment in next_runs]
    return max(0.0, min([interval, *waits]))


def schedule_times(
    *, defaults: Mapping[str, time], overrides: Mapping[str, time]
) -> dict[str, time]:
    """Rule: the job table's local times with the configured ones in their place.

    A configured name that is no job is refused (ValueError naming the known jobs): a typo
    would otherwise leave the job at its default time unnoticed.
    """
    unknown = sorted(set(overrides) - set(defaults))
    if unknown:
        raise ValueError(
            f"no such job: {', '.join(unknown)} (the jobs are {', '.join(sorted(defaults))})"
        )
    return {name: overrides.get(name, at) for name, at in defaults.items()}


def retry_delay(*, attempt: int, base_seconds: float) -> float:
    """Rule: seconds before the next attempt after failed attempt number `attempt` (1, 2...):
    doubling from the base (1 min, 2 min, 4 min by default), at most an hour."""
    return min(3600.0, base_seconds * 2 ** max(0, attempt - 1))


def run_lost(*, heartbeat: datetime | None, now: datetime, reclaim_seconds: float) -> bool:
    """Rule: a running run whose worker has not beaten for `reclaim_seconds` is lost (the
    worker died, or lost its database); its run is reclaimed and retried."""
    return heartbeat is None or (now - heartbeat).total_seconds() > reclaim_seconds


def dependencies_met(*, after: Iterable[str], succeeded_today: Iterable[str]) -> bool:
    """Rule: a job starts only when every job it comes after has succeeded today."""
    return set(after) <= set(succeeded_today)


def job_overdue(
    *, at: time, overdue: timedelta, now_local: datetime, succeeded_today: bool
) -> bool:
    """Rule: a job not succeeded today by `overdue` after its local time is overdue."""
    due = datetime.combine(now_local.date(), at, tzinfo=now_local.tzinfo)
    return not succeeded_today and now_local.timestamp() >= (due + overdue).timestamp()
