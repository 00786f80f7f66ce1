"""The demo's labor sharing: postings across Zhejiang's counties, a run, agreements."""

import random

import pytest

from coproduce.demo.seed import SeedContext, base
from coproduce.demo.seed import labor as labor_step
from coproduce.labor.models import Agreement, MatchingRun, Posting

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_demo_seeds_postings_a_run_and_agreements(settings):
    settings.COPRODUCE_EXERCISE = True
    ctx = SeedContext(rng=random.Random(2020), scale=0.05)
    base.run(ctx)
    labor_step.run(ctx)
    assert Posting.objects.count() >= 200
    assert Posting.objects.values("county").distinct().count() == 90
    run = MatchingRun.objects.get()
    assert run.region_id == "330000" and run.matched_workers > 0
    assert Agreement.objects.count() >= 5
    wenzhou = Agreement.objects.filter(lender__memberships__association__slug__startswith="wenzhou")
    yuhang = Agreement.objects.filter(
        borrower__memberships__association__slug="yuhang-metal-products"
    ) | Agreement.objects.filter(lender__memberships__association__slug="yuhang-metal-products")
    assert wenzhou.exists() or yuhang.exists()
