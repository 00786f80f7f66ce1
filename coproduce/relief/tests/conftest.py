"""Fixtures of the relief tests: the Fuyang organization's warehouse, the catalog."""

import pytest

from coproduce.regions.models import Region
from coproduce.relief import services
from coproduce.relief.models import Item


@pytest.fixture
def items(db):
    """The catalog loaded by the data migration, by slug."""
    return {i.slug: i for i in Item.objects.all()}


@pytest.fixture
def warehouse(regions, fuyang_org, coordinator):
    return services.warehouse_create(
        organization=fuyang_org,
        region=Region.objects.get(code="330111"),
        name="Fuyang depot",
        actor=coordinator,
    )
