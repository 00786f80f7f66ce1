"""Relief's kept figures: money and goods received (by day), stock on hand (a gauge)."""

from decimal import Decimal

from django.db.models import Count, F, Sum
from django.db.models.functions import Coalesce

from coproduce.core import clock, tally
from coproduce.core.metrics import CboRole
from coproduce.relief.models import Donation, InKindDonation, Lot

DONATIONS = "relief.donations"
DONATIONS_YUAN = "relief.donations_yuan"
GOODS_YUAN = "relief.goods_yuan"
STOCK = "relief.stock."
CONTRIB_MONEY = f"contrib.{CboRole.DONATIONS_SUPPLIES}.donations_yuan."
CONTRIB_GOODS = f"contrib.{CboRole.DONATIONS_SUPPLIES}.goods_yuan."


def _yuan(fen) -> Decimal:
    return (Decimal(fen or 0) / 100).quantize(Decimal("0.01"))


def _money_rows():
    """Gifts of money by the campaign's region (else the organization's), day and receiver."""
    money = (
        Donation.objects.values(
            path=Coalesce("campaign__region__path", "organization__home_region__path"),
            day=tally.local_day("received_at"),
            org=F("organization_id"),
        )
        .annotate(n=Count("id"), fen=Sum("amount_fen"))
        .order_by()
    )
    for row in money:
        yield DONATIONS, row["path"], row["day"], row["n"]
        yield DONATIONS_YUAN, row["path"], row["day"], _yuan(row["fen"])
        yield f"{CONTRIB_MONEY}{row['org']}", row["path"], row["day"], _yuan(row["fen"])
    goods = (
        InKindDonation.objects.values(
            path=F("lot__warehouse__region__path"),
            day=tally.local_day("received_at"),
            org=F("organization_id"),
        )
        .annotate(fen=Sum("value_fen"))
        .order_by()
    )
    for row in goods:
        yield GOODS_YUAN, row["path"], row["day"], _yuan(row["fen"])
        yield f"{CONTRIB_GOODS}{row['org']}", row["path"], row["day"], _yuan(row["fen"])


def _stock_rows():
    """On hand per item (in quanta) and its reference value, by the warehouse's region."""
    grouped = (
        Lot.objects.filter(quantity__gt=0)
        .values(
            path=F("warehouse__region__path"),
            slug=F("item__slug"),
            quantum=F("item__quantum"),
            unit_fen=F("item__unit_value_fen"),
        )
        .annotate(q=Sum("quantity"))
        .order_by()
    )
    for row in grouped:
        yield f"{STOCK}item.{row['slug']}", row["path"], row["q"]
        yield f"{STOCK}value_yuan", row["path"], _yuan(row["q"] * row["quantum"] * row["unit_fen"])


def refresh(*, settled: bool = False) -> dict[str, int]:
    """Recount money and goods received; write today's stock levels."""
    money = tally.tally_replace(
        prefix=(DONATIONS, GOODS_YUAN, CONTRIB_MONEY, CONTRIB_GOODS), rows=_money_rows()
    )
    stock = tally.gauge(prefix=STOCK, day=clock.today(), rows=_stock_rows())
    tally.recount_done("relief")
    return {"money_rows": money, "stock_rows": stock}
