"""Fixtures of the recovery tests: a Yuhang park, a member enterprise represented by
`enterprise_rep`, and a non-member enterprise."""

import pytest

from coproduce.recovery.services import enterprise_create, park_create


@pytest.fixture
def park(regions, province_admin):
    return park_create(actor=province_admin, name="Linping Park", region=regions["330110"])


@pytest.fixture
def member(regions, park, association_staff, enterprise_rep, yuhang_association):
    """A Yuhang metal works in the park, member of the association, represented by enterprise_rep."""
    return enterprise_create(
        actor=association_staff,
        name="Linping Hardware",
        industry="metal_products",
        size_class="small",
        workers_total=40,
        region=regions["330110"],
        park=park,
        associations=[yuhang_association.slug],
        representatives=[enterprise_rep],
    )


@pytest.fixture
def stranger(regions, province_admin):
    """A Fuyang enterprise nobody of the association or the representative may see."""
    return enterprise_create(
        actor=province_admin,
        name="Fuchun Paper",
        industry="other",
        size_class="micro",
        workers_total=8,
        region=regions["330111"],
    )
