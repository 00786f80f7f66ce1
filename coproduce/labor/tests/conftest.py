"""Fixtures of the labor tests: a Yuhang lender (member of the Yuhang association, represented
by `enterprise_rep`), a Fuyang borrower (represented by `fuyang_rep`) and a Fuyang stranger."""

from datetime import timedelta
from decimal import Decimal
from importlib import import_module

import pytest

from coproduce.core import clock
from coproduce.labor import services
from coproduce.recovery.services import enterprise_create


@pytest.fixture
def skill_catalogue(db):
    """The catalogue of migration 0002 (a transactional test's flush empties it)."""
    from coproduce.labor.models import Skill

    for code, en, zh in import_module("coproduce.labor.migrations.0002_skill_catalogue").SKILLS:
        Skill.objects.update_or_create(code=code, defaults={"name_en": en, "name_zh": zh})


@pytest.fixture
def lender(regions, skill_catalogue, association_staff, enterprise_rep, yuhang_association):
    return enterprise_create(
        actor=association_staff,
        name="Linping Hardware",
        industry="metal_products",
        size_class="small",
        workers_total=60,
        region=regions["330110"],
        associations=[yuhang_association.slug],
        representatives=[enterprise_rep],
        lat=Decimal("30.27"),
        lon=Decimal("119.95"),
    )


@pytest.fixture
def borrower(regions, skill_catalogue, province_admin, fuyang_rep):
    """A Fuyang machinery plant without coordinates: its postings sit at Fuyang's centroid."""
    return enterprise_create(
        actor=province_admin,
        name="Fuchun Machinery",
        industry="machinery",
        size_class="medium",
        workers_total=120,
        region=regions["330111"],
        representatives=[fuyang_rep],
    )


@pytest.fixture
def stranger(regions, province_admin):
    return enterprise_create(
        actor=province_admin,
        name="Fuchun Paper",
        industry="other",
        size_class="micro",
        workers_total=8,
        region=regions["330111"],
    )


@pytest.fixture
def days():
    """`days(n)`: the platform's today plus n days."""
    return lambda n: clock.today() + timedelta(days=n)


@pytest.fixture
def surplus(lender, enterprise_rep, days):
    return services.posting_create(
        actor=enterprise_rep,
        enterprise_id=lender.pk,
        kind="surplus",
        skill="welder",
        workers=6,
        start_date=days(1),
        end_date=days(30),
    )


@pytest.fixture
def shortage(borrower, fuyang_rep, days):
    return services.posting_create(
        actor=fuyang_rep,
        enterprise_id=borrower.pk,
        kind="shortage",
        skill="welder",
        workers=4,
        start_date=days(3),
        end_date=days(20),
    )


@pytest.fixture
def proposal(surplus, shortage, province_admin):
    run = services.matching_run(actor=province_admin, region_code="330100")
    return run.proposals.get()
