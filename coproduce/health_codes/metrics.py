"""Health codes' figures (core.metrics): codes by color, and daily reporting for equity."""

from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext as _

from coproduce.core import tally
from coproduce.core.metrics import Metric, Period
from coproduce.health_codes import tallies

PANEL = "codes"
# The registered residents are counted by people's tallies (equity.people.registered).
REGISTERED = "equity.people."


def metrics(*, scope, region, period: Period) -> list[Metric]:
    """Codes by color as last counted on or before the period's end."""
    link = f"{reverse('health_codes:officials')}?region={region.code}"
    return tally.gauge_metrics(
        prefix=tallies.GAUGE,
        figures=[
            (f"{tallies.GAUGE}green", "green", _("Green codes"), "people", link),
            (f"{tallies.GAUGE}yellow", "yellow", _("Yellow codes"), "people", link),
            (f"{tallies.GAUGE}red", "red", _("Red codes"), "people", link),
        ],
        region=region.code,
        on=period.end,
    )


def share(part, whole) -> Decimal:
    """A percentage with one decimal (0 of nothing is 0)."""
    if not whole:
        return Decimal("0.0")
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


def equity(*, scope, region, period: Period) -> list[Metric]:
    """Residents who filed the period's last daily report, and how many through a proxy."""
    day = Period(period.end, period.end)
    sums = tally.tally_sums(
        keys=[tallies.REPORTED, tallies.REPORTED_BY_PROXY],
        region=region.code,
        start=day.start,
        end=day.end,
    )
    registered = tally.gauge_levels(
        prefix=REGISTERED, keys=[f"{REGISTERED}registered"], region=region.code, on=period.end
    )[f"{REGISTERED}registered"]
    reported = int(sums[tallies.REPORTED])
    return [
        Metric(
            key="reporting",
            label=_("Reported on the last day"),
            value=reported,
            unit="people",
            series=tally.series(key=tallies.REPORTED, region=region.code, period=period),
        ),
        Metric(
            key="reporting_pct",
            label=_("Share of registered residents reporting"),
            value=share(reported, registered),
            unit="pct",
        ),
        Metric(
            key="reported_by_proxy",
            label=_("Reports filed by a proxy on the last day"),
            value=int(sums[tallies.REPORTED_BY_PROXY]),
            unit="people",
        ),
    ]


PANELS = {"codes": metrics, "equity": equity}
