"""The demo's Yuanqiao deliveries reproduce the paper's totals, through the report."""

import random
from datetime import date, timedelta
from decimal import Decimal

import pytest

from coproduce.accounts.permissions import scope_for
from coproduce.deliveries.selectors import delivery_report
from coproduce.demo.seed import SeedContext, base
from coproduce.demo.seed import deliveries as deliveries_step
from coproduce.demo.seed import relief as relief_step
from coproduce.regions.models import Region
from coproduce.relief.models import Campaign, Donation, InKindDonation
from coproduce.relief.selectors import campaign_raised_by, transparency_report
from coproduce.relief.services import ledger_verify

pytestmark = pytest.mark.django_db

PAPER = {
    "pork": Decimal("38151.5"),
    "vegetables": Decimal("76850"),
    "eggs": Decimal("11347.5"),
    "rice": Decimal("27950"),
    "cooking-oil": Decimal("1734"),
}


@pytest.fixture
def demo(settings):
    settings.COPRODUCE_EXERCISE = True  # the demo walks the paper's dates on the exercise clock
    ctx = SeedContext(rng=random.Random(2020), scale=0.05)
    for step in (base, relief_step, deliveries_step):
        step.run(ctx)
    return ctx


def test_demo_reproduces_the_papers_figures(demo):
    """Yuanqiao's report, the 24-hour campaign, RMB 1.557 billion and the goods collected."""
    official = demo.users["yuanqiao"]
    report = delivery_report(
        scope=scope_for(official, "deliveries.report"),
        region=Region.objects.get(code="331003107"),
        start=date(2020, 1, 26),
        end=date(2020, 2, 12),
    )
    assert {r.item: r.quantity for r in report["rows"]} == PAPER
    assert report["total"] == Decimal("2861329.00")
    assert report["runs"] == 18 * 6

    # One seed for both checks (seeding costs seconds): the campaign and province figures.
    campaign = Campaign.objects.get(slug="charity-online-2020")
    within_24h = campaign.starts_at + timedelta(hours=24)
    assert campaign_raised_by(campaign=campaign, moment=within_24h) == Decimal("10000000.00")
    assert sum(Donation.objects.values_list("amount_fen", flat=True)) == 155_700_000_000
    goods = {
        g["item__slug"]: g["quantity"]
        for g in transparency_report(region=Region.objects.get(code="330000"))["goods_in"]
    }
    assert goods["surgical-mask"] == 15356300 and goods["protective-suit"] == 704000
    assert goods["goggles"] == 139700 and goods["shoe-covers"] == 33700
    other = InKindDonation.objects.get(item__slug="other-materials")
    assert other.value_fen == 23_900_000_000
    assert ledger_verify().ok


def test_yuanqiaos_households_fit_the_tonnage(demo):
    """Issue 17: the report told of a dozen households for 154 tonnes of food (600 kg a day
    each). At full scale 3,000 households get about 2.9 kg a day; each gets one delivery."""
    food_kg = sum(v for k, v in PAPER.items() if k != "cooking-oil")
    households = deliveries_step.yuanqiao_households(1.0)
    assert 2 <= food_kg / households / 18 <= 4
    report = delivery_report(
        scope=scope_for(demo.users["yuanqiao"], "deliveries.report"),
        region=Region.objects.get(code="331003107"),
        start=date(2020, 1, 26),
        end=date(2020, 2, 12),
    )
    villages = Region.objects.filter(code__startswith="331003107", level="residential_area")
    per_village = -(
        -deliveries_step.yuanqiao_households(0.05, villages.count()) // villages.count()
    )
    assert report["households"] == report["orders"] == per_village * villages.count()
