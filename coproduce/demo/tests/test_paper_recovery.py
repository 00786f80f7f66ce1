"""The demo's 777 parks reproduce the paper's 2020-02-26 figures from their records: 99.3% of
parks reopened and production resumption 67.3%, rising over the days before."""

import random
from datetime import date, timedelta

import pytest

from coproduce.accounts.permissions import scope_for
from coproduce.demo.seed import SeedContext, base
from coproduce.demo.seed import recovery as recovery_step
from coproduce.recovery import rules
from coproduce.recovery.models import Enterprise, IndustrialPark, Procurement, ResumptionReport
from coproduce.recovery.selectors.resumption import resumption_on, resumption_series
from coproduce.regions.models import Region

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture
def demo(settings):
    settings.COPRODUCE_EXERCISE = True
    ctx = SeedContext(rng=random.Random(2020), scale=0.05)
    for step in (base, recovery_step):
        step.run(ctx)
    return ctx


def _recount(on: date) -> rules.Resumption:
    """The definitions applied to every report (no kept aggregate)."""
    reports: dict[int, list] = {}
    for r in ResumptionReport.objects.all():
        reports.setdefault(r.enterprise_id, []).append(
            (r.date, rules.ReportFigures(r.open, r.workers_on_site, r.capacity_pct))
        )
    facts = [
        rules.EnterpriseFacts(e.workers_total, e.park_id, reports.get(e.pk, []))
        for e in Enterprise.objects.all()
    ]
    return rules.resumption_recount(
        enterprises=facts, parks=IndustrialPark.objects.values_list("pk", flat=True), on=on
    )


def test_the_demo_gives_the_papers_figures_on_2020_02_26(demo):
    paper_day = date(2020, 2, 26)
    counted = _recount(paper_day)
    assert counted.parks_total == 777
    assert counted.parks_reopened_pct == rules.pct(993, 1000)  # 99.3
    assert counted.production_resumption_pct == rules.pct(673, 1000)  # 67.3
    kept = resumption_on(
        scope=scope_for(demo.users["admin"], "recovery.aggregates"),
        region=Region.objects.get(code="330000"),
        on=paper_day,
    )
    assert kept == counted
    assert str(kept.parks_reopened_pct) == "99.3" and str(kept.production_resumption_pct) == "67.3"
    series = resumption_series(
        scope=scope_for(demo.users["admin"], "recovery.aggregates"),
        region=Region.objects.get(code="330000"),
        start=paper_day - timedelta(days=16),
        end=paper_day,
    )
    parks = [r.parks_reopened_pct for _, r in series]
    resumption = [r.production_resumption_pct for _, r in series]
    assert parks == sorted(parks) and resumption == sorted(resumption)
    assert parks[0] < 50 and resumption[0] < 30
    # the collective purchase of masks saved the members money
    masks = Procurement.objects.get(item__contains="masks")
    assert masks.status == "received" and masks.alone_cost_fen > masks.total_cost_fen
    assert Procurement.objects.filter(item__contains="thermometers", status="ordered").exists()
