"""Relief's figures (core.metrics): money and goods received, and stock on hand."""

from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext as _

from coproduce.core import tally
from coproduce.core.metrics import Contribution, Metric, Period
from coproduce.relief import tallies
from coproduce.relief.models import Item

PANEL = "relief"


def metrics(*, scope, region, period: Period) -> list[Metric]:
    """Donations (count and money), goods' value per day; stock on hand at the period's end."""
    link = reverse("relief:home")
    flows = tally.flow_metrics(
        figures=[
            (tallies.DONATIONS, "donations", _("Donations received"), "count", link),
            (tallies.DONATIONS_YUAN, "donations_yuan", _("Money received"), "yuan", link),
            (tallies.GOODS_YUAN, "goods_yuan", _("Goods received, value"), "yuan", link),
        ],
        region=region.code,
        period=period,
    )
    day = tally.gauge_day(prefix=tallies.STOCK, on=period.end)
    stock = []
    if day is not None:
        levels = tally.tally_prefix_sums(
            prefix=tallies.STOCK, region=region.code, start=day, end=day
        )
        stock.append(
            Metric(
                key="stock_value_yuan",
                label=_("Stock on hand, value"),
                value=tally.as_number(Decimal(levels.get(f"{tallies.STOCK}value_yuan", 0)), "yuan"),
                unit="yuan",
                link=link,
            )
        )
        held = {
            key.removeprefix(f"{tallies.STOCK}item."): quanta
            for key, quanta in levels.items()
            if key.startswith(f"{tallies.STOCK}item.") and quanta
        }
        for item in Item.objects.filter(slug__in=held).order_by("category", "slug"):
            stock.append(
                Metric(
                    key=f"stock_{item.slug}",
                    label=_("In stock: %(item)s (%(unit)s)")
                    % {"item": item.name, "unit": item.get_unit_display()},
                    value=(held[item.slug] * item.quantum).normalize(),
                    unit="count",
                    link=link,
                )
            )
    return [*flows, *stock]


def contributions(*, region, period: Period) -> list[Contribution]:
    """Money and goods received, per receiving organization (Table 1: donations and supplies)."""
    link = reverse("relief:transparency")
    return [
        *tally.contributions(
            prefix=tallies.CONTRIB_MONEY,
            measure="donations_yuan",
            unit="yuan",
            region=region.code,
            period=period,
            link=link,
        ),
        *tally.contributions(
            prefix=tallies.CONTRIB_GOODS,
            measure="goods_yuan",
            unit="yuan",
            region=region.code,
            period=period,
            link=link,
        ),
    ]
