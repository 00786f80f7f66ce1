"""The dashboard's pure rules: stage spans, Table 1 regenerated, panels as JSON and tables,
suppression of small public counts."""

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from coproduce.core.metrics import CboRole, Contribution, Metric, Period, Point
from coproduce.core.suppression import suppress_small
from coproduce.dashboard import rules

DAY = date(2020, 1, 20)
changes = st.lists(
    st.tuples(st.integers(0, 80).map(lambda n: DAY + timedelta(days=n)), st.integers(1, 3)),
    max_size=6,
    unique_by=lambda c: c[0],
)
periods = st.tuples(st.integers(0, 60), st.integers(0, 40)).map(
    lambda t: Period(DAY + timedelta(days=t[0]), DAY + timedelta(days=t[0] + t[1]))
)


def stage_on(changes, day) -> int:
    past = [c for c in sorted(changes) if c[0] <= day]
    return past[-1][1] if past else 1


@given(changes, periods)
def test_stage_spans_cover_the_period_day_by_day_with_the_stage_in_force(changes, period):
    spans = rules.stage_spans(changes=changes, period=period)
    days = [d for _stage, span in spans for d in span.dates()]
    assert days == period.dates()
    for stage, span in spans:
        assert all(stage_on(changes, d) == stage for d in span.dates())
    assert all(a[0] != b[0] for a, b in zip(spans, spans[1:], strict=False))


def test_community_services_are_welfare_services_from_stage_2():
    assert rules.role_in_stage(CboRole.COMMUNITY_SERVICES, 1) == CboRole.COMMUNITY_SERVICES
    assert rules.role_in_stage(CboRole.COMMUNITY_SERVICES, 2) == CboRole.WELFARE_SERVICES
    assert rules.role_in_stage(CboRole.TRACING, 3) == CboRole.TRACING


ORGS = {
    1: rules.Organization(1, "Dolphin", "emergency_response", False),
    2: rules.Organization(2, "Red Cross", "charity", False),
    3: rules.Organization(3, "Town office", "government_unit", True),
}
TABLE_1 = {1: [CboRole.TRACING, CboRole.DONATIONS_SUPPLIES, CboRole.COMMUNITY_SERVICES]}
contributions = st.lists(
    st.builds(
        Contribution,
        role=st.sampled_from([CboRole.TRACING, CboRole.COMMUNITY_SERVICES]),
        organization_id=st.sampled_from([None, 1, 2, 3]),
        measure=st.sampled_from(["scans", "deliveries"]),
        amount=st.integers(0, 1000),
    ),
    max_size=30,
)


@given(contributions, st.integers(1, 3))
def test_table_1_accounts_for_every_contribution_once(found, stage):
    table = rules.coproduction_table(spans=[(stage, found)], organizations=ORGS, table_1=TABLE_1)
    for measure in ("scans", "deliveries"):
        assert sum(r.total for r in table if r.measure == measure) == sum(
            c.amount for c in found if c.measure == measure
        )
    for row in table:
        government = sum(
            c.amount
            for c in found
            if rules.role_in_stage(c.role, stage) == row.role
            and c.measure == row.measure
            and c.organization_id in (None, 3)
        )
        assert row.government == government
        assert [org.id for org, _ in row.top] == sorted(
            [org.id for org, _ in row.top], key=lambda i: -dict((o.id, a) for o, a in row.top)[i]
        )


def test_table_1_names_who_did_most_and_puts_the_stages_roles_first():
    found = [
        Contribution(CboRole.COMMUNITY_SERVICES, 2, "deliveries", 5),
        Contribution(CboRole.TRACING, 1, "scans", 30),
        Contribution(CboRole.TRACING, 2, "scans", 10),
        Contribution(CboRole.TRACING, None, "scans", 60),
    ]
    table = rules.coproduction_table(spans=[(1, found)], organizations=ORGS, table_1=TABLE_1)
    assert [(r.role, r.measure) for r in table] == [
        (CboRole.TRACING, "scans"),
        (CboRole.COMMUNITY_SERVICES, "deliveries"),
    ]
    scans = table[0]
    assert scans.community == {"emergency_response": 30, "charity": 10}
    assert scans.government == 60
    assert scans.community_pct == Decimal("40.0")
    assert [org.name for org, _ in scans.top] == ["Dolphin", "Red Cross"]
    assert all(r.emphasized for r in table)


@given(st.integers(0, 10**6))
def test_counts_under_five_are_never_shown(n):
    shown = suppress_small(n)
    assert shown == ("<5" if n < 5 else n)


def test_public_panels_suppress_counts_and_drop_shares():
    metrics = {
        "cases": [Metric("new", "New", 3), Metric("cumulative", "All", 12)],
        "equity": [Metric("registered", "R", 4, unit="people"), Metric("p", "P", 1, unit="pct")],
        "relief": [Metric("donations_yuan", "Y", Decimal("12.50"), unit="yuan")],
    }
    assert rules.public_panels(metrics) == {
        "cases": {"new": "<5", "cumulative": 12},
        "equity": {"registered": "<5"},
        "relief": {"donations_yuan": "12.50"},
    }


def test_a_panel_as_json_has_one_series_of_days_with_every_figure():
    d1, d2 = DAY, DAY + timedelta(days=1)
    metrics = [
        Metric("new", "New", 3, series=(Point(d1, 1), Point(d2, 2))),
        Metric("cumulative", "All", 7, series=(Point(d1, 5), Point(d2, 7))),
        Metric("money", "M", Decimal("1.50"), unit="yuan"),
    ]
    assert rules.panel_json(metrics) == {
        "new": 3,
        "cumulative": 7,
        "money": "1.50",
        "series": [
            {"date": "2020-01-20", "new": 1, "cumulative": 5},
            {"date": "2020-01-21", "new": 2, "cumulative": 7},
        ],
    }
    header, rows = rules.panel_table(metrics)
    assert header == ["key", "label", "unit", "date", "value"]
    assert rows[0] == ["new", "New", "count", "", 3]
    assert ["cumulative", "All", "count", "2020-01-21", 7] in rows


def test_a_figure_its_app_suppressed_stays_suppressed():
    from coproduce.core.metrics import Metric
    from coproduce.dashboard.rules import public_value

    assert public_value(Metric(key="sessions", label="Sessions", value="<5")) == "<5"
