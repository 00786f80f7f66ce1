"""Health-code color rules: property-based tests against a reference model, plus edge examples."""

import datetime as dt
import random
from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from coproduce.health_codes.rules import (
    CASE_REASONS,
    ORDER_REASONS,
    CodePolicy,
    Color,
    Condition,
    ConditionKind,
    DailyReport,
    ReasonCode,
    code_evaluate,
    declaration_conditions,
    discharge_observation,
    report_findings,
    report_is_abnormal,
    report_is_normal,
)

S = dt.date(2020, 2, 1)
POLICY = CodePolicy()
NORMAL = Decimal("36.6")
FEVER = Decimal("37.3")


def day(n: int) -> dt.date:
    return S + dt.timedelta(days=n)


def normal_reports(first: int, last: int) -> list[DailyReport]:
    """Normal reports on days ``first`` .. ``last`` inclusive."""
    return [DailyReport(on=day(n), temperature_c=NORMAL) for n in range(first, last + 1)]


def centralized(start: int = 0, **kw) -> Condition:
    return Condition(
        kind=ConditionKind.CENTRALIZED_QUARANTINE,
        reason=ReasonCode.CLOSE_CONTACT,
        starts_on=day(start),
        **kw,
    )


def home(start: int = 0, **kw) -> Condition:
    return Condition(
        kind=ConditionKind.HOME_QUARANTINE,
        reason=ReasonCode.SECONDARY_CONTACT,
        starts_on=day(start),
        **kw,
    )


def case(start: int = 0, **kw) -> Condition:
    return Condition(
        kind=ConditionKind.ACTIVE_CASE, reason=ReasonCode.CONFIRMED_CASE, starts_on=day(start), **kw
    )


def color_on(conditions, reports, today: int, policy=POLICY) -> Color:
    return code_evaluate(
        conditions=conditions, reports=reports, today=day(today), policy=policy
    ).color


# --- strategies ----------------------------------------------------------------------------

HORIZON = 50
offsets = st.integers(min_value=0, max_value=HORIZON)
temperatures = st.one_of(
    st.sampled_from([Decimal("36.2"), NORMAL, Decimal("37.2"), FEVER, Decimal("38.5")]),
    st.decimals(min_value=Decimal("35.0"), max_value=Decimal("41.0"), places=1),
)
symptom_sets = st.frozensets(
    st.sampled_from(sorted(POLICY.symptoms) + ["hiccups", "sneezing"]), max_size=2
)


@st.composite
def daily_reports(draw, *, abnormal_share: float = 0.15):
    """Reports on a random subset of days, mostly normal, sometimes abnormal or duplicated."""
    days = draw(st.sets(offsets, max_size=HORIZON + 1))
    out = []
    for n in sorted(days):
        if draw(st.floats(0, 1)) < abnormal_share:
            out.append(
                DailyReport(
                    on=day(n), temperature_c=draw(temperatures), symptoms=draw(symptom_sets)
                )
            )
        else:
            out.append(DailyReport(on=day(n), temperature_c=NORMAL))
    return out


@st.composite
def dense_reports(draw):
    """Reports on almost every day, so that orders do complete in many examples."""
    out = []
    for n in range(HORIZON + 1):
        roll = draw(st.integers(0, 39))
        if roll == 0:
            continue  # a missed day
        if roll == 1:
            out.append(DailyReport(on=day(n), temperature_c=FEVER))
        elif roll == 2:
            out.append(DailyReport(on=day(n), temperature_c=NORMAL, symptoms={"cough"}))
        elif roll == 3:
            # A duplicate for one day (the service forbids it; the rule must still be stable).
            out.append(DailyReport(on=day(n), temperature_c=FEVER))
            out.append(DailyReport(on=day(n), temperature_c=NORMAL))
        else:
            out.append(DailyReport(on=day(n), temperature_c=NORMAL))
    return out


@st.composite
def conditions(draw, kinds=tuple(ConditionKind)):
    kind = draw(st.sampled_from(kinds))
    pool = CASE_REASONS if kind is ConditionKind.ACTIVE_CASE else ORDER_REASONS
    reason = draw(st.sampled_from(sorted(pool)))
    start = draw(offsets)
    ends = draw(st.none() | st.integers(start - 2, HORIZON + 5))
    not_before = None
    if kind is not ConditionKind.ACTIVE_CASE:
        not_before = draw(st.none() | st.integers(start, HORIZON + 5))
    return Condition(
        kind=kind,
        reason=reason,
        starts_on=day(start),
        ends_on=None if ends is None else day(ends),
        not_before=None if not_before is None else day(not_before),
    )


policies = st.builds(
    CodePolicy,
    red_reports=st.integers(1, 20),
    yellow_reports=st.integers(1, 20),
)


# --- reference model -----------------------------------------------------------------------


def model_normal(report: DailyReport, policy: CodePolicy) -> bool:
    return report.temperature_c < policy.fever_c and not (report.symptoms & policy.symptoms)


def model_color(conds, reports, today: dt.date, policy: CodePolicy) -> Color:
    """An independent statement of the rule: an order is over once some day D >= its start and
    >= not_before, D <= today, closes a window of N days, all on or after the start, each with
    only normal reports."""
    by_day: dict[dt.date, list[DailyReport]] = {}
    for r in reports:
        by_day.setdefault(r.on, []).append(r)
    good = {
        d for d, rs in by_day.items() if d <= today and all(model_normal(r, policy) for r in rs)
    }
    worst = Color.GREEN
    for c in conds:
        if not (c.starts_on <= today and (c.ends_on is None or today < c.ends_on)):
            continue
        if c.kind is ConditionKind.ACTIVE_CASE:
            worst = max(worst, Color.RED)
            continue
        n = (
            policy.red_reports
            if c.kind is ConditionKind.CENTRALIZED_QUARANTINE
            else policy.yellow_reports
        )
        over = False
        d = c.starts_on + dt.timedelta(days=n - 1)
        while d <= today and not over:
            window = [d - dt.timedelta(days=k) for k in range(n)]
            over = (c.not_before is None or d >= c.not_before) and all(w in good for w in window)
            d += dt.timedelta(days=1)
        if not over:
            worst = max(worst, c.kind.color)
    return worst


# --- properties ----------------------------------------------------------------------------


@settings(max_examples=400)
@given(
    conds=st.lists(conditions(), max_size=4),
    reports=st.one_of(daily_reports(), dense_reports()),
    today=offsets,
    policy=policies,
)
def test_code_color_matches_reference_model(conds, reports, today, policy):
    assert color_on(conds, reports, today, policy) == model_color(
        conds, reports, day(today), policy
    )


@given(
    conds=st.lists(conditions(), max_size=3),
    reports=daily_reports(),
    start=offsets,
    today=offsets,
)
def test_never_green_with_an_active_case(conds, reports, start, today):
    assume(start <= today)
    state = code_evaluate(
        conditions=[*conds, case(start)], reports=reports, today=day(today), policy=POLICY
    )
    assert state.color is Color.RED
    case_reasons = [r for r in state.reasons if r.kind is ConditionKind.ACTIVE_CASE]
    assert case_reasons and all(r.green_on is None for r in case_reasons)
    assert state.green_on is None


@given(streak=st.integers(0, 30), today=st.integers(0, 40))
def test_red_turns_green_after_14th_normal_report_and_not_before(streak, today):
    # Normal reports on days 0 .. streak-1; reports stop afterwards.
    color = color_on([centralized()], normal_reports(0, streak - 1), today)
    expected = Color.GREEN if streak >= 14 and today >= 13 else Color.RED
    assert color is expected


@given(streak=st.integers(0, 20), today=st.integers(0, 30))
def test_yellow_turns_green_after_7th_normal_report_and_not_before(streak, today):
    color = color_on([home()], normal_reports(0, streak - 1), today)
    expected = Color.GREEN if streak >= 7 and today >= 6 else Color.YELLOW
    assert color is expected


@given(
    required=st.integers(1, 20),
    breaks_on=st.integers(0, 25),
    how=st.sampled_from(["missed", "fever", "symptom"]),
)
def test_missed_day_or_fever_restarts_the_count(required, breaks_on, how):
    assume(breaks_on < required)  # the break falls before the order could complete
    policy = CodePolicy(red_reports=required)
    reports = [r for r in normal_reports(0, 60) if r.on != day(breaks_on)]
    if how == "fever":
        reports.append(DailyReport(on=day(breaks_on), temperature_c=FEVER))
    elif how == "symptom":
        reports.append(DailyReport(on=day(breaks_on), temperature_c=NORMAL, symptoms={"cough"}))
    first_green = next(
        t for t in range(61) if color_on([centralized()], reports, t, policy) is Color.GREEN
    )
    # The count starts again the day after the break: N more reports from there.
    assert first_green == breaks_on + required


@given(
    conds=st.lists(conditions(), max_size=3),
    extra=conditions(),
    reports=st.one_of(daily_reports(), dense_reports()),
    today=offsets,
)
def test_adding_a_condition_never_lowers_the_color(conds, extra, reports, today):
    before = color_on(conds, reports, today)
    after = color_on([*conds, extra], reports, today)
    assert after >= before


@given(
    conds=st.lists(conditions(), max_size=4),
    reports=daily_reports(),
    today=offsets,
    seed=st.integers(0, 2**32),
)
def test_evaluation_is_deterministic_and_ignores_input_order(conds, reports, today, seed):
    first = code_evaluate(conditions=conds, reports=reports, today=day(today), policy=POLICY)
    again = code_evaluate(conditions=conds, reports=reports, today=day(today), policy=POLICY)
    rng = random.Random(seed)
    shuffled_c, shuffled_r = conds[:], reports[:]
    rng.shuffle(shuffled_c)
    rng.shuffle(shuffled_r)
    shuffled = code_evaluate(
        conditions=shuffled_c, reports=iter(shuffled_r), today=day(today), policy=POLICY
    )
    assert first == again == shuffled


@settings(max_examples=300)
@given(
    cond=conditions(kinds=(ConditionKind.CENTRALIZED_QUARANTINE, ConditionKind.HOME_QUARANTINE)),
    reports=st.one_of(daily_reports(), dense_reports()),
    today=offsets,
    policy=policies,
)
def test_green_on_and_reports_remaining_are_exact(cond, reports, today, policy):
    state = code_evaluate(conditions=[cond], reports=reports, today=day(today), policy=policy)
    if not state.reasons:
        return
    (reason,) = state.reasons
    assert reason.green_on is not None and reason.green_on >= day(today)
    # From the first day still to be reported, every report normal:
    next_day = day(today + 1) if any(r.on == day(today) for r in reports) else day(today)
    next_day = max(next_day, cond.starts_on)
    kept = [r for r in reports if r.on < next_day]
    filled = (reason.green_on - next_day).days + 1
    if cond.ends_on is None or cond.ends_on > reason.green_on:
        assert reason.reports_remaining == filled
    extended = kept + [
        DailyReport(on=next_day + dt.timedelta(days=k), temperature_c=NORMAL) for k in range(filled)
    ]

    def has_reason(on: dt.date) -> bool:
        return bool(
            code_evaluate(conditions=[cond], reports=extended, today=on, policy=policy).reasons
        )

    assert not has_reason(reason.green_on)
    if reason.green_on > day(today):
        assert has_reason(reason.green_on - dt.timedelta(days=1))


@given(later=dense_reports(), today=st.integers(14, HORIZON))
def test_completion_is_permanent(later, today):
    # 14 normal reports complete the order on day 13; whatever comes after cannot reopen it.
    reports = normal_reports(0, 13) + [r for r in later if r.on > day(13)]
    assert color_on([centralized()], reports, today) is Color.GREEN


@given(reports=daily_reports(), today=offsets)
def test_future_condition_does_not_apply_yet(reports, today):
    assert color_on([centralized(start=today + 1), case(start=today + 1)], reports, today) is (
        Color.GREEN
    )


# --- examples at the edges -----------------------------------------------------------------


def test_red_turns_green_after_14th_normal_report():
    cond = [centralized()]
    assert color_on(cond, normal_reports(0, 12), 13) is Color.RED
    assert color_on(cond, normal_reports(0, 13), 13) is Color.GREEN


def test_today_without_a_report_yet_does_not_break_the_streak():
    state = code_evaluate(
        conditions=[centralized()], reports=normal_reports(0, 4), today=day(5), policy=POLICY
    )
    (reason,) = state.reasons
    assert reason.reports_remaining == 9
    assert reason.green_on == day(13)


def test_yesterday_without_a_report_breaks_the_streak():
    state = code_evaluate(
        conditions=[centralized()], reports=normal_reports(0, 4), today=day(6), policy=POLICY
    )
    (reason,) = state.reasons
    assert reason.reports_remaining == 14
    assert reason.green_on == day(19)


def test_fever_today_restarts_the_count_from_tomorrow():
    reports = normal_reports(0, 4) + [DailyReport(on=day(5), temperature_c=FEVER)]
    (reason,) = code_evaluate(
        conditions=[centralized()], reports=reports, today=day(5), policy=POLICY
    ).reasons
    assert reason.reports_remaining == 14
    assert reason.green_on == day(19)


def test_reports_before_the_order_starts_do_not_count():
    assert color_on([centralized(start=10)], normal_reports(0, 22), 22) is Color.RED
    assert color_on([centralized(start=10)], normal_reports(0, 23), 23) is Color.GREEN


def test_report_dated_after_today_is_ignored():
    state = code_evaluate(
        conditions=[home()], reports=normal_reports(0, 10), today=day(3), policy=POLICY
    )
    assert state.color is Color.YELLOW
    assert state.reasons[0].reports_remaining == 3


def test_two_reports_on_one_day_count_as_abnormal_if_either_is():
    fever = DailyReport(on=day(3), temperature_c=FEVER)
    assert color_on([home()], [*normal_reports(0, 6), fever], 6) is Color.YELLOW
    assert color_on([home()], [fever, *normal_reports(0, 6)], 6) is Color.YELLOW


def test_active_case_stays_red_until_closed_then_post_discharge_observation():
    reports = normal_reports(0, 40)
    assert color_on([case(ends_on=day(20))], reports, 19) is Color.RED
    closed = [case(ends_on=day(20)), discharge_observation(closed_on=day(20))]
    assert color_on(closed, reports, 20) is Color.RED
    assert color_on(closed, reports, 32) is Color.RED
    assert color_on(closed, reports, 33) is Color.GREEN  # 14 reports on days 20 .. 33


def test_most_severe_condition_wins_and_all_reasons_are_listed():
    state = code_evaluate(
        conditions=[home(), centralized(start=2)], reports=[], today=day(3), policy=POLICY
    )
    assert state.color is Color.RED
    assert [r.color for r in state.reasons] == [Color.RED, Color.YELLOW]


def test_home_order_completes_while_centralized_continues():
    state = code_evaluate(
        conditions=[home(), centralized(start=3)],
        reports=normal_reports(0, 8),
        today=day(8),
        policy=POLICY,
    )
    assert state.color is Color.RED
    assert [r.code for r in state.reasons] == [ReasonCode.CLOSE_CONTACT]


def test_lifted_order_is_green_from_its_hard_end():
    cond = [centralized(ends_on=day(5))]
    assert color_on(cond, [], 4) is Color.RED
    assert color_on(cond, [], 5) is Color.GREEN
    (reason,) = code_evaluate(conditions=cond, reports=[], today=day(4), policy=POLICY).reasons
    assert reason.green_on == day(5)
    assert reason.reports_remaining == 0


def test_lengthened_order_is_not_over_before_not_before():
    cond = [centralized(not_before=day(20))]
    assert color_on(cond, normal_reports(0, 19), 19) is Color.RED
    assert color_on(cond, normal_reports(0, 20), 20) is Color.GREEN
    (reason,) = code_evaluate(
        conditions=cond, reports=normal_reports(0, 15), today=day(15), policy=POLICY
    ).reasons
    assert reason.green_on == day(20)
    assert reason.reports_remaining == 5


def test_reason_text_explains_and_counts_without_naming_anyone():
    state = code_evaluate(
        conditions=[centralized()], reports=normal_reports(0, 3), today=day(3), policy=POLICY
    )
    (reason,) = state.reasons
    assert "close contact" in reason.text
    assert "10 more daily health reports" in reason.text
    assert reason.since == day(0)


def test_every_reason_has_text():
    for code in ReasonCode:
        kind = ConditionKind.ACTIVE_CASE if code in CASE_REASONS else ConditionKind.HOME_QUARANTINE
        cond = Condition(kind=kind, reason=code, starts_on=S)
        (reason,) = code_evaluate(conditions=[cond], reports=[], today=S, policy=POLICY).reasons
        assert reason.text.strip()


def test_color_order_is_by_severity():
    assert Color.GREEN < Color.YELLOW < Color.RED
    assert max([Color.RED, Color.GREEN, Color.YELLOW]) is Color.RED


def test_condition_reason_must_fit_its_kind():
    with pytest.raises(ValueError):
        Condition(kind=ConditionKind.ACTIVE_CASE, reason=ReasonCode.CLOSE_CONTACT, starts_on=S)
    with pytest.raises(ValueError):
        Condition(kind=ConditionKind.HOME_QUARANTINE, reason=ReasonCode.CONFIRMED_CASE, starts_on=S)


# --- reports -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("temperature", "abnormal"),
    [("36.0", False), ("37.2", False), ("37.29", False), ("37.3", True), ("39.0", True)],
)
def test_fever_threshold_is_37_3_inclusive(temperature, abnormal):
    report = DailyReport(on=S, temperature_c=Decimal(temperature))
    assert report_is_abnormal(report, policy=POLICY) is abnormal
    assert report_is_normal(report, policy=POLICY) is not abnormal


@given(symptom=st.sampled_from(sorted(POLICY.symptoms)))
def test_any_listed_symptom_makes_a_report_abnormal(symptom):
    report = DailyReport(on=S, temperature_c=NORMAL, symptoms={symptom})
    assert report_is_abnormal(report, policy=POLICY)
    assert symptom in report_findings(report, policy=POLICY)


def test_unlisted_symptom_is_ignored_and_policy_can_narrow_the_list():
    assert report_is_normal(DailyReport(on=S, temperature_c=NORMAL, symptoms={"hiccups"}))
    narrow = CodePolicy(symptoms=frozenset({"cough"}))
    assert report_is_normal(
        DailyReport(on=S, temperature_c=NORMAL, symptoms={"fatigue"}), policy=narrow
    )


def test_findings_put_fever_first_once():
    report = DailyReport(on=S, temperature_c=Decimal("38.0"), symptoms={"fever", "cough"})
    assert report_findings(report, policy=POLICY) == ("fever", "cough")


def test_temperature_must_be_decimal():
    with pytest.raises(TypeError):
        DailyReport(on=S, temperature_c=37.5)


# --- declarations --------------------------------------------------------------------------

LEVELS = {"HIGH": "high", "MED": "medium", "LOW": "low"}


def risk_at(region: str, on: dt.date) -> str:
    return LEVELS[region]


TODAY = day(20)


def declared(travel=(), case_contact=False, symptoms=(), today=TODAY, policy=POLICY):
    return {
        (c.kind, c.reason)
        for c in declaration_conditions(
            travel=list(travel),
            risk_at=risk_at,
            case_contact=case_contact,
            symptoms=symptoms,
            today=today,
            policy=policy,
        )
    }


def test_high_risk_travel_imposes_centralized_quarantine():
    assert declared(travel=[("HIGH", day(15))]) == {
        (ConditionKind.CENTRALIZED_QUARANTINE, ReasonCode.HIGH_RISK_TRAVEL)
    }


def test_medium_risk_travel_or_symptoms_impose_home_quarantine():
    assert declared(travel=[("MED", day(15))], symptoms=["cough"]) == {
        (ConditionKind.HOME_QUARANTINE, ReasonCode.MEDIUM_RISK_TRAVEL),
        (ConditionKind.HOME_QUARANTINE, ReasonCode.DECLARED_SYMPTOMS),
    }


def test_case_contact_imposes_centralized_quarantine():
    assert declared(case_contact=True) == {
        (ConditionKind.CENTRALIZED_QUARANTINE, ReasonCode.CLOSE_CONTACT)
    }


def test_low_risk_travel_and_nothing_declared_impose_nothing():
    assert declared(travel=[("LOW", day(19))], symptoms=["hiccups"]) == set()


def test_travel_older_than_14_days_is_ignored():
    today = day(20)
    assert declared(travel=[("HIGH", today - dt.timedelta(days=15))], today=today) == set()
    assert declared(travel=[("HIGH", today - dt.timedelta(days=14))], today=today)
    assert declared(travel=[("HIGH", today + dt.timedelta(days=1))], today=today) == set()


def test_travel_is_judged_at_the_risk_level_of_the_travel_date():
    asked = []

    def risk(region: str, on: dt.date) -> str:
        asked.append((region, on))
        return "high" if on < day(18) else "low"

    conds = declaration_conditions(
        travel=[("330183", day(17)), ("330183", day(19))],
        risk_at=risk,
        case_contact=False,
        symptoms=[],
        today=day(20),
        policy=POLICY,
    )
    assert asked == [("330183", day(17)), ("330183", day(19))]
    assert [(c.reason, c.starts_on) for c in conds] == [(ReasonCode.HIGH_RISK_TRAVEL, day(20))]
    state = code_evaluate(conditions=conds, reports=[], today=day(20), policy=POLICY)
    assert "330183" not in state.reasons[0].text


@given(
    travel=st.lists(
        st.tuples(st.sampled_from(sorted(LEVELS)), st.integers(-5, 40).map(day)), max_size=5
    ),
    case_contact=st.booleans(),
    symptoms=symptom_sets,
    today=st.integers(0, 40).map(day),
)
def test_declaration_orders_start_today_and_match_the_worst_declared_risk(
    travel, case_contact, symptoms, today
):
    conds = declaration_conditions(
        travel=travel,
        risk_at=risk_at,
        case_contact=case_contact,
        symptoms=symptoms,
        today=today,
        policy=POLICY,
    )
    assert all(c.starts_on == today for c in conds)
    recent = [LEVELS[r] for r, on in travel if today - dt.timedelta(days=14) <= on <= today]
    expect_red = case_contact or "high" in recent
    expect_yellow = "medium" in recent or bool(symptoms & POLICY.symptoms)
    colors = {c.kind.color for c in conds}
    assert (Color.RED in colors) == expect_red
    assert (Color.YELLOW in colors) == expect_yellow
    assert len(conds) == len(set((c.kind, c.reason) for c in conds))
