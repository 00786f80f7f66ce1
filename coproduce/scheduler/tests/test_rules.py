"""The pure rules of the scheduler: when a daily job is due, its next run, how long to sleep."""

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coproduce.scheduler import rules

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Shanghai has no daylight saving; the others test the rule where wall clocks jump or repeat
# (New York by an hour at 02:00, Lord Howe by half an hour).
ZONES = [SHANGHAI, ZoneInfo("UTC"), ZoneInfo("America/New_York"), ZoneInfo("Australia/Lord_Howe")]

times_of_day = st.times().map(lambda t: t.replace(microsecond=0))
zones = st.sampled_from(ZONES)
instants = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(UTC)
)


def local(moment: datetime, zone) -> datetime:
    return moment.astimezone(zone)


@given(at=times_of_day, now=instants, zone=zones)
def test_a_job_that_ran_today_is_never_due(at, now, zone):
    assert not rules.job_due(at=at, now_local=local(now, zone), ran_today=True)


@given(at=times_of_day, now=instants, zone=zones)
def test_a_job_is_due_exactly_from_its_local_time_on(at, now, zone):
    now_local = local(now, zone)
    assert rules.job_due(at=at, now_local=now_local, ran_today=False) == (now_local.time() >= at)


def test_local_midnight_is_shanghai_midnight_not_utc():
    recompute = time(0, 5)
    # 16:04 UTC is 00:04 in Shanghai: not yet; 16:05 UTC is 00:05: due, on the new local day.
    before = local(datetime(2020, 2, 12, 16, 4, tzinfo=UTC), SHANGHAI)
    after = local(datetime(2020, 2, 12, 16, 5, tzinfo=UTC), SHANGHAI)
    assert not rules.job_due(at=recompute, now_local=before, ran_today=False)
    assert rules.job_due(at=recompute, now_local=after, ran_today=False)
    assert after.date() == date(2020, 2, 13)


@given(
    at=times_of_day,
    start=instants,
    steps=st.lists(
        st.timedeltas(min_value=timedelta(seconds=1), max_value=timedelta(hours=30)),
        min_size=1,
        max_size=60,
    ),
    zone=zones,
)
def test_schedulers_ticking_at_any_moments_run_a_job_once_per_local_day_at_its_time(
    at, start, steps, zone
):
    """However irregular the ticks (a cron line, a loop, a machine down for a day), the job runs
    at most once per local day, never before its time, and at the first tick that finds it due."""
    ticks, moment = [], start
    for step in steps:
        moment += step
        ticks.append(local(moment, zone))
    ran: dict[date, datetime] = {}
    for tick in ticks:
        if rules.job_due(at=at, now_local=tick, ran_today=tick.date() in ran):
            ran[tick.date()] = tick
    for day, tick in ran.items():
        assert tick.time() >= at
        first_due = next(t for t in ticks if t.date() == day and t.time() >= at)
        assert tick is first_due
    days_with_a_chance = {t.date() for t in ticks if t.time() >= at}
    assert set(ran) == days_with_a_chance


@given(at=times_of_day, now=instants, zone=zones, ran_today=st.booleans())
def test_the_next_run_is_now_when_due_else_the_next_time_the_job_is_due(at, now, zone, ran_today):
    now_local = local(now, zone)
    next_run = rules.job_next_run(at=at, now_local=now_local, ran_today=ran_today)
    if rules.job_due(at=at, now_local=now_local, ran_today=ran_today):
        assert next_run == now_local
        return
    assert next_run.time() == at
    # Today while its time is ahead; tomorrow once it ran or its time has passed.
    later_today = not ran_today and now_local.time() < at
    assert next_run.date() == now_local.date() + timedelta(days=0 if later_today else 1)
    # On that day, at that time, it is due (it has not run that day yet).
    assert rules.job_due(at=at, now_local=next_run, ran_today=False)


@given(
    now=instants,
    zone=zones,
    offsets=st.lists(st.timedeltas(min_value=timedelta(hours=-2), max_value=timedelta(days=2))),
    interval=st.floats(min_value=1, max_value=3600),
)
def test_a_scheduler_sleeps_until_the_next_run_but_never_longer_than_its_interval(
    now, zone, offsets, interval
):
    now_local = local(now, zone)
    runs = [local(now + offset, zone) for offset in offsets]
    wait = rules.wait_seconds(now_local=now_local, next_runs=runs, interval=interval)
    assert 0 <= wait <= interval
    soonest = min((offset.total_seconds() for offset in offsets), default=interval)
    assert wait == pytest.approx(max(0.0, min(interval, soonest)))


def test_configured_times_replace_the_table_s_and_unknown_jobs_are_refused():
    defaults = {"a": time(0, 5), "b": time(3, 0)}
    assert rules.schedule_times(defaults=defaults, overrides={"b": time(2, 30)}) == {
        "a": time(0, 5),
        "b": time(2, 30),
    }
    with pytest.raises(ValueError, match="no such job: c"):
        rules.schedule_times(defaults=defaults, overrides={"c": time(1, 0)})


def test_the_rules_never_read_the_clock():
    """The caller gives the time (the platform's clock, the exercise clock in a drill)."""
    source = (Path(__file__).parent.parent / "rules.py").read_text()
    for call in (".now(", ".today(", ".utcnow(", "time.time(", "monotonic("):
        assert call not in source
