"""The stage suggestion rule and Table 1, without a database."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from coproduce.core.metrics import CboRole
from coproduce.stages import rules
from coproduce.stages.rules import ConfirmedCase, Stage, SuggestionReason, SuggestionThresholds

TODAY = date(2020, 3, 1)
T = SuggestionThresholds()


def suggest(current, cases, *, resuming=False, since=date(2020, 1, 23), today=TODAY, t=T):
    return rules.stage_suggest(
        current=current,
        since=since,
        today=today,
        cases=cases,
        resumption_under_way=resuming,
        thresholds=t,
    )


def test_table_1_gives_each_stage_tracing_and_two_roles_of_its_own():
    assert [row.stage for row in rules.TABLE_1] == [1, 2, 3]
    for row in rules.TABLE_1:
        assert row.roles[0] is CboRole.TRACING and len(row.roles) == 3
    assert CboRole.PRODUCTION_RESUMPTION in rules.table_row(2).roles
    assert "mental_health" in rules.table_row(3).categories


def test_fourteen_quiet_days_suggest_stage_3():
    last = TODAY - timedelta(days=14)  # 2020-02-16: the last case
    s = suggest(2, [ConfirmedCase(last)])
    assert s.stage == Stage.NORMALIZATION and s.reason is SuggestionReason.NO_CASE_LONG
    assert s.quiet_days == 14
    assert suggest(2, [ConfirmedCase(last + timedelta(days=1))]) is None


def test_seven_quiet_days_and_resumption_suggest_stage_2():
    last = TODAY - timedelta(days=7)
    s = suggest(1, [ConfirmedCase(last)], resuming=True)
    assert s.stage == Stage.BALANCING and s.reason is SuggestionReason.RESUMPTION_NO_CASE
    assert suggest(1, [ConfirmedCase(last)], resuming=False) is None
    assert suggest(1, [ConfirmedCase(last + timedelta(days=1))], resuming=True) is None


def test_a_new_cluster_suggests_going_back_to_stage_1():
    cases = [ConfirmedCase(TODAY - timedelta(days=1), "A"), ConfirmedCase(TODAY, "A")]
    s = suggest(3, cases)
    assert s.stage == Stage.PREVENTION and s.reason is SuggestionReason.NEW_CLUSTER
    assert s.cluster == "A" and s.cluster_cases == 2
    assert suggest(1, cases) is None  # already in stage 1


def test_an_old_cluster_with_a_late_case_is_not_new():
    cases = [ConfirmedCase(TODAY - timedelta(days=40), "A"), ConfirmedCase(TODAY, "A")]
    assert suggest(3, cases) is None


def test_a_region_without_cases_counts_quiet_days_from_its_stage():
    assert suggest(1, [], since=TODAY - timedelta(days=13)) is None
    assert suggest(1, [], since=TODAY - timedelta(days=14)).stage == Stage.NORMALIZATION


def test_sporadic_cases_without_a_cluster_do_not_send_a_region_back():
    cases = [ConfirmedCase(TODAY - timedelta(days=1)), ConfirmedCase(TODAY)]
    assert suggest(2, cases) is None


def test_cases_after_today_are_ignored():
    assert suggest(2, [ConfirmedCase(TODAY + timedelta(days=1))], since=TODAY - timedelta(30))


def test_modules_of_the_stage_come_first_and_nothing_is_lost():
    modules = ["people", "checkpoints", "relief", "recovery", "care", "admin"]
    assert rules.modules_first(modules, 3)[:3] == ["checkpoints", "recovery", "care"]
    assert rules.modules_first(modules, 1)[:2] == ["checkpoints", "relief"]


def test_stage_in_force_takes_the_latest_setting_of_the_latest_day():
    s = [
        rules.StageSetting(1, date(2020, 1, 23), 1),
        rules.StageSetting(2, date(2020, 2, 10), 2),
        rules.StageSetting(3, date(2020, 2, 10), 3),
    ]
    assert rules.stage_in_force(s, date(2020, 2, 9)).stage == 1
    assert rules.stage_in_force(s, date(2020, 2, 10)).stage == 3
    assert rules.stage_in_force(s, date(2020, 1, 1)) is None
    assert rules.stage_changes(s) == [(date(2020, 1, 23), 1), (date(2020, 2, 10), 3)]


days = st.integers(min_value=0, max_value=60).map(lambda n: TODAY - timedelta(days=n))
cases_st = st.lists(st.builds(ConfirmedCase, days, st.sampled_from(["", "A", "B"])), max_size=12)
thresholds_st = st.builds(
    SuggestionThresholds,
    stage3_quiet_days=st.integers(1, 30),
    stage2_quiet_days=st.integers(1, 30),
    cluster_window_days=st.integers(1, 30),
    cluster_min_cases=st.integers(1, 5),
)


@given(st.sampled_from([1, 2, 3]), cases_st, st.booleans(), thresholds_st)
def test_a_suggestion_is_never_the_current_stage_and_always_has_its_evidence(
    current, cases, resuming, t
):
    s = suggest(current, cases, resuming=resuming, t=t)
    if s is None:
        return
    assert s.stage != current
    quiet = rules.quiet_days(cases, today=TODAY, since=date(2020, 1, 23))
    if s.reason is SuggestionReason.NEW_CLUSTER:
        assert s.stage == 1 and s.cluster_cases >= t.cluster_min_cases
    elif s.reason is SuggestionReason.NO_CASE_LONG:
        assert s.stage == 3 and quiet >= t.stage3_quiet_days
        # no case reported inside the quiet days
        assert all(c.reported_on <= TODAY - timedelta(days=quiet) for c in cases)
    else:
        assert s.stage == 2 and current == 1 and resuming and quiet >= t.stage2_quiet_days


@given(st.sampled_from([1, 2, 3]), cases_st, st.booleans(), thresholds_st)
def test_a_new_cluster_always_wins(current, cases, resuming, t):
    cluster = rules.new_cluster(cases, today=TODAY, thresholds=t)
    s = suggest(current, cases, resuming=resuming, t=t)
    if cluster is not None:
        assert (s is None) == (current == 1)
        if s is not None:
            assert s.reason is SuggestionReason.NEW_CLUSTER


@given(cases_st, thresholds_st)
def test_a_cluster_is_counted_against_a_naive_recount(cases, t):
    found = rules.new_cluster(cases, today=TODAY, thresholds=t)
    start = TODAY - timedelta(days=t.cluster_window_days - 1)
    expected = []
    for label in {c.cluster for c in cases} - {""}:
        mine = [c.reported_on for c in cases if c.cluster == label]
        recent = [d for d in mine if d >= start]
        if min(mine) >= start and len(recent) >= t.cluster_min_cases:
            expected.append(len(recent))
    assert (found is None) == (not expected)
    if found is not None:
        assert found[1] == max(expected)
