"""Deliveries' figures (core.metrics): orders requested and delivered; reach of the offline."""

from django.urls import reverse
from django.utils.translation import gettext as _

from coproduce.core import tally
from coproduce.core.metrics import Contribution, Metric, Period
from coproduce.deliveries import tallies

PANEL = "deliveries"


def metrics(*, scope, region, period: Period) -> list[Metric]:
    """Orders requested and delivered per day."""
    link = f"{reverse('deliveries:report')}?region={region.code}"
    return tally.flow_metrics(
        figures=[
            (tallies.REQUESTED, "requested", _("Orders requested"), "count", link),
            (tallies.DELIVERED, "delivered", _("Orders delivered"), "count", link),
        ],
        region=region.code,
        period=period,
    )


def equity(*, scope, region, period: Period) -> list[Metric]:
    """Deliveries to households whose order a proxy placed (people without a smartphone)."""
    return tally.flow_metrics(
        figures=[
            (
                tallies.DELIVERED_BY_PROXY,
                "reached_by_deliveries",
                _("Deliveries to people without a smartphone (ordered by a proxy)"),
                "count",
                f"{reverse('deliveries:report')}?region={region.code}",
            )
        ],
        region=region.code,
        period=period,
    )


def contributions(*, region, period: Period) -> list[Contribution]:
    """Orders delivered, per organization of the run (Table 1: community / welfare services)."""
    return tally.contributions(
        prefix=tallies.CONTRIB,
        measure="deliveries",
        unit="count",
        region=region.code,
        period=period,
        link=f"{reverse('deliveries:report')}?region={region.code}",
    )


PANELS = {"deliveries": metrics, "equity": equity}
