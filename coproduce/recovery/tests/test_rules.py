"""Property tests of the pure rules: the cost split, prices, reports, park steps, the board,
member services and rent relief."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coproduce.recovery import rules
from coproduce.recovery.rules import Tier


@st.composite
def quotes(draw):
    """Tiers from 1 unit on with unit prices (in hao) that never rise."""
    n = draw(st.integers(1, 4))
    minimums = [1] + sorted(
        draw(st.lists(st.integers(2, 5000), min_size=n - 1, max_size=n - 1, unique=True))
    )
    prices = sorted(draw(st.lists(st.integers(1, 200_000), min_size=n, max_size=n)), reverse=True)
    return [Tier(m, p) for m, p in zip(minimums, prices, strict=True)]


needs_st = st.lists(st.integers(0, 3000), min_size=1, max_size=12)


@given(tiers=quotes(), quantities=needs_st)
def test_the_split_adds_up_exactly_to_the_award(tiers, quantities):
    award = rules.cost_split(tiers=tiers, needs=list(enumerate(quantities)))
    assert sum(line.cost_fen for line in award.lines) == award.total_cost_fen
    assert award.total_quantity == sum(quantities)
    assert award.unit_price_hao == rules.unit_price_for(tiers, sum(quantities))


@given(tiers=quotes(), quantities=needs_st)
def test_no_member_pays_more_than_alone_and_zero_pays_nothing(tiers, quantities):
    award = rules.cost_split(tiers=tiers, needs=list(enumerate(quantities)))
    for line, q in zip(award.lines, quantities, strict=True):
        assert 0 <= line.cost_fen <= line.alone_cost_fen
        assert line.alone_cost_fen == rules.cost_fen(q, rules.unit_price_for(tiers, q)) or q == 0
        if q == 0:
            assert line.cost_fen == 0 and line.alone_cost_fen == 0


@given(tiers=quotes(), quantities=needs_st)
def test_each_share_is_at_least_its_exact_cost_rounded_down(tiers, quantities):
    # (a member may take more than one leftover fen when the others would pass their alone cost)
    award = rules.cost_split(tiers=tiers, needs=list(enumerate(quantities)))
    for line, q in zip(award.lines, quantities, strict=True):
        exact = Decimal(q * award.unit_price_hao) / 100
        assert int(exact) <= line.cost_fen <= line.alone_cost_fen


def test_remainders_go_to_the_largest_fractions():
    # RMB 0.3367 a piece: 3 pieces cost 101.01 fen -> 101; each 33.67 fen: 33 each first, the
    # two fen left to the earliest (equal fractions and quantities)
    award = rules.cost_split(tiers=[Tier(1, 3367)], needs=[("a", 1), ("b", 1), ("c", 1)])
    assert [line.cost_fen for line in award.lines] == [34, 34, 33]
    assert award.total_cost_fen == 101
    # larger fraction first: 2 pieces = 67.34 fen (0.34 left), 1 piece = 33.67 (0.67 left)
    award = rules.cost_split(tiers=[Tier(1, 3367)], needs=[("a", 2), ("b", 1)])
    assert [line.cost_fen for line in award.lines] == [67, 34]


def test_the_lot_never_costs_more_than_the_members_alone():
    # RMB 0.3335: alone each pays 33 fen (33.35 rounded); together 100.05 would round to 100
    award = rules.cost_split(tiers=[Tier(1, 3335)], needs=[("a", 1), ("b", 1), ("c", 1)])
    assert award.total_cost_fen == 99
    assert [line.cost_fen for line in award.lines] == [33, 33, 33]


def test_the_tier_reached_by_the_total_prices_the_lot():
    tiers = [Tier(1, 5000), Tier(1000, 3500), Tier(10_000, 3000)]
    award = rules.cost_split(tiers=tiers, needs=[("a", 600), ("b", 500), ("c", 0)])
    assert award.unit_price_hao == 3500
    assert award.total_cost_fen == 1100 * 35
    assert [line.alone_cost_fen for line in award.lines] == [600 * 50, 500 * 50, 0]
    assert award.saving_fen == 1100 * 15


@pytest.mark.parametrize(
    ("tiers", "problem"),
    [
        ([], "at least one"),
        ([Tier(2, 10)], "starts at 1"),
        ([Tier(1, 10), Tier(1, 9)], "same quantity"),
        ([Tier(1, 10), Tier(5, 11)], "more per unit"),
        ([Tier(1, 0)], "above zero"),
    ],
)
def test_impossible_quotes_are_refused(tiers, problem):
    assert any(problem in p for p in rules.tier_problems(tiers))


@pytest.mark.parametrize("bad", [0.35, "abc", "0", "-1", "0.00001", "NaN", True])
def test_prices_are_positive_decimals_of_four_places(bad):
    with pytest.raises(ValueError):
        rules.price_to_hao(bad)


def test_prices_round_trip():
    assert rules.price_to_hao("0.355") == 3550
    assert rules.hao_to_price(3550) == Decimal("0.3550")
    assert rules.hao_to_price(3500) == Decimal("0.35")


@given(
    open_=st.booleans(),
    on_site=st.integers(-5, 120),
    capacity=st.one_of(st.none(), st.integers(-5, 120)),
    total=st.integers(0, 100),
)
def test_report_problems_name_their_fields(open_, on_site, capacity, total):
    today = date(2020, 2, 26)
    figures = rules.ReportFigures(open_, on_site, capacity)
    problems = rules.report_problems(
        figures=figures, workers_total=total, report_date=today, today=today
    )
    possible = (
        0 <= on_site <= total
        and (open_ or on_site == 0)
        and (capacity is None or (0 <= capacity <= 100 and (open_ or capacity == 0)))
    )
    assert (not problems) == possible
    future = rules.report_problems(
        figures=figures, workers_total=total, report_date=today + timedelta(1), today=today
    )
    assert "date" in future


@given(st.lists(st.tuples(st.integers(0, 9), st.sampled_from([-1, 1])), max_size=20))
def test_park_steps_follow_the_count(deltas):
    days = [date(2020, 2, 1) + timedelta(d) for d, _ in deltas]
    pairs = list(zip(days, [s for _, s in deltas], strict=True))
    steps = rules.indicator_steps(pairs)
    for k in range(10):
        day = date(2020, 2, 1) + timedelta(k)
        count = sum(s for d, s in pairs if d <= day)
        assert sum(v for d, v in steps.items() if d <= day) == (1 if count > 0 else 0)


def test_percentages_are_truncated_to_one_decimal():
    assert rules.pct(772, 777) == Decimal("99.3")
    assert rules.pct(673, 1000) == Decimal("67.3")
    assert rules.pct(1, 0) == Decimal("0.0")


def test_board_matches_same_material_nearby_other_enterprise():
    P = rules.BoardPostFacts
    shortage = P(1, 10, "material", "Cow leather", "/330000/330300/330302/")
    offers = [
        P(2, 11, "material", "cow-leather", "/330000/330300/330304/"),  # same city
        P(3, 12, "material", "cow leather", "/330000/330100/330110/"),  # another city
        P(4, 10, "material", "cow leather", "/330000/330300/330302/"),  # same enterprise
        P(5, 13, "distribution", "cow leather", "/330000/330300/330302/"),  # other topic
        P(6, 14, "material", "pig leather", "/330000/330300/330302/"),
    ]
    assert [o.id for o, _ in rules.board_matches(shortage, offers)] == [2]


@given(
    rent=st.integers(0, 10**8),
    months=st.integers(0, 12),
    percent=st.integers(1, 100),
    amount=st.integers(1, 10**8),
)
def test_rent_relief_never_exceeds_the_rent(rent, months, percent, amount):
    for kind in ("percentage", "amount"):
        relief = rules.rent_relief_fen(
            kind=kind, percent=percent, amount_fen=amount, monthly_rent_fen=rent, months=months
        )
        assert 0 <= relief <= rent * months


def test_service_deadlines_and_moves():
    assert rules.service_due("force_majeure", date(2020, 2, 12)) == date(2020, 2, 15)
    assert rules.service_move_allowed("submitted", "assigned")
    assert not rules.service_move_allowed("resolved", "assigned")
    assert rules.service_overdue(status="assigned", due_on=date(2020, 2, 1), today=date(2020, 2, 2))
