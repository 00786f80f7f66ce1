"""Equity's figures (core.metrics): who is registered, by proxy, and on a paper card."""

from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext as _

from coproduce.core import tally
from coproduce.core.metrics import Metric, Period
from coproduce.people import tallies

PANEL = "equity"


def _pct(part, whole) -> Decimal:
    if not whole:
        return Decimal("0.0")
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


def metrics(*, scope, region, period: Period) -> list[Metric]:
    """Residents known and registered, the share registered by proxy, paper cards in use (period's end)."""
    link = f"{reverse('people:list')}?region={region.code}"
    g = tallies.GAUGE
    known, registered, proxy, cards = tally.gauge_metrics(
        prefix=g,
        figures=[
            (f"{g}known", "known", _("Residents known"), "people", link),
            (f"{g}registered", "registered", _("Residents registered"), "people", link),
            (f"{g}by_proxy", "by_proxy", _("Registered by proxy"), "people", link),
            (f"{g}paper_cards", "paper_cards", _("Paper code cards in use"), "people", link),
        ],
        region=region.code,
        on=period.end,
    )
    return [
        known,
        registered,
        Metric(
            key="registered_pct",
            label=_("Share of known residents registered"),
            value=_pct(registered.value, known.value),
            unit="pct",
        ),
        proxy,
        Metric(
            key="by_proxy_pct",
            label=_("Share registered by proxy"),
            value=_pct(proxy.value, registered.value),
            unit="pct",
        ),
        cards,
        Metric(
            key="paper_cards_pct",
            label=_("Share on a paper card"),
            value=_pct(cards.value, registered.value),
            unit="pct",
        ),
    ]
