"""The kept aggregates equal a naive recount of the reports (rules.resumption_recount), in
whatever order the reports arrive (later days first, gaps, closing again)."""

from datetime import date, timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coproduce.accounts.permissions import scope_for
from coproduce.recovery import rules
from coproduce.recovery.models import ParkOpenDelta, ResumptionTally
from coproduce.recovery.selectors.resumption import (
    resumption_by_child,
    resumption_by_industry,
    resumption_on,
    resumption_series,
)
from coproduce.recovery.services import enterprise_create, park_create, resumption_report_create
from coproduce.recovery.services.aggregates import aggregates_rebuild

DAY0 = date(2020, 2, 10)


class Rollback(Exception):
    pass


def _snapshot():
    """The kept rows as sets, without zero rows (a change and its reverse leave one behind)."""
    fields = [f.name for f in ResumptionTally._meta.fields if f.name not in ("id",)]
    tally = {tuple(v) for v in ResumptionTally.objects.values_list(*fields) if any(v[3:])}
    parks = {
        v
        for v in ParkOpenDelta.objects.values_list(
            "park_id", "industry", "date", "enterprises_open", "enterprises_total"
        )
        if any(v[3:])
    }
    return tally, parks


report = st.tuples(
    st.integers(0, 6),  # day offset
    st.booleans(),  # open
    st.integers(0, 100),  # share of workers on site (%)
    st.one_of(st.none(), st.integers(0, 100)),
)
enterprise = st.tuples(
    st.integers(1, 50),  # workers
    st.sampled_from([None, 0, 1, 2]),  # park index
    st.sampled_from(["metal_products", "clothing"]),
    st.lists(report, max_size=5, unique_by=lambda r: r[0]),
)


@pytest.mark.django_db
@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(enterprises=st.lists(enterprise, min_size=1, max_size=6), order=st.randoms())
def test_kept_aggregates_equal_a_recount(regions, province_admin, enterprises, order):
    try:
        with transaction.atomic():
            _check(regions, province_admin, enterprises, order)
            raise Rollback
    except Rollback:
        pass


def _check(regions, admin, enterprises, order):
    fuyang, yuhang = regions["330111"], regions["330110"]
    parks = [
        park_create(actor=admin, name=f"P{i}", region=(yuhang if i % 2 else fuyang))
        for i in range(3)
    ]
    facts, pending = [], []
    for n, (workers, park_index, industry, reports) in enumerate(enterprises):
        park = parks[park_index] if park_index is not None else None
        region = park.region if park else yuhang
        ent = enterprise_create(
            actor=admin,
            name=f"E{n}",
            industry=industry,
            size_class="small",
            workers_total=workers,
            region=region,
            park=park,
        )
        figures = []
        for offset, is_open, share, capacity in reports:
            on_site = workers * share // 100 if is_open else 0
            f = rules.ReportFigures(is_open, on_site, capacity if is_open else None)
            figures.append((DAY0 + timedelta(days=offset), f))
            pending.append((ent, DAY0 + timedelta(days=offset), f))
        facts.append((ent, rules.EnterpriseFacts(workers, park.pk if park else None, figures)))
    order.shuffle(pending)
    for ent, day, f in pending:
        resumption_report_create(
            actor=admin,
            enterprise_id=ent.pk,
            date=day,
            open=f.open,
            workers_on_site=f.workers_on_site,
            capacity_pct=f.capacity_pct,
            today=DAY0 + timedelta(days=10),
        )
    scope = scope_for(admin, "recovery.aggregates")
    province = regions["330000"]
    kept = _snapshot()
    aggregates_rebuild()
    assert _snapshot() == kept  # the rebuild from the records equals what the services kept
    series = dict(
        resumption_series(
            scope=scope, region=province, start=DAY0 - timedelta(days=1), end=DAY0 + timedelta(7)
        )
    )
    for offset in range(-1, 8):
        day = DAY0 + timedelta(days=offset)
        expected = rules.resumption_recount(
            enterprises=[f for _, f in facts], parks=[p.pk for p in parks], on=day
        )
        assert resumption_on(scope=scope, region=province, on=day) == expected
        assert series[day] == expected
        children = dict(resumption_by_child(scope=scope, region=regions["330100"], on=day))
        assert children[yuhang] == rules.resumption_recount(
            enterprises=[f for e, f in facts if e.region_id == yuhang.pk],
            parks=[p.pk for p in parks if p.region_id == yuhang.pk],
            on=day,
        )
        for industry, figures in resumption_by_industry(scope=scope, region=province, on=day):
            ents = [f for e, f in facts if e.industry == industry]
            mine = rules.resumption_recount(
                enterprises=ents, parks={f.park for f in ents if f.park is not None}, on=day
            )
            assert figures == mine


@pytest.mark.django_db
def test_a_deferred_bulk_load_keeps_nothing_inside_and_the_same_figures_after(
    regions, province_admin
):
    """The demo's bulk load: the services skip the kept rows inside the block, and leaving it
    gives what they would have kept one by one."""
    from coproduce.recovery.services.aggregates import aggregates_deferred

    def load():
        park = park_create(actor=province_admin, name="P", region=regions["330110"])
        for n, (workers, on_site) in enumerate(((10, 4), (30, 30))):
            ent = enterprise_create(
                actor=province_admin,
                name=f"E{n}",
                industry="clothing",
                size_class="small",
                workers_total=workers,
                region=regions["330110"],
                park=park,
            )
            resumption_report_create(
                actor=province_admin,
                enterprise_id=ent.pk,
                date=DAY0,
                open=True,
                workers_on_site=on_site,
                capacity_pct=50,
                blockers=["logistics"],
                today=DAY0,
            )

    try:
        with transaction.atomic():
            load()
            one_by_one = _snapshot()
            raise Rollback
    except Rollback:
        pass
    with aggregates_deferred(actor=province_admin):
        load()
        assert not ResumptionTally.objects.exists()
    tally, parks = _snapshot()
    # The park is made again with another id on PostgreSQL (sequences are not rolled back).
    assert tally == one_by_one[0] and tally
    assert {row[1:] for row in parks} == {row[1:] for row in one_by_one[1]}
