"""Deliveries' kept figures: orders requested and delivered by day, and who delivered them."""

from django.db.models import Count, F, Q

from coproduce.core import tally
from coproduce.core.metrics import CboRole
from coproduce.deliveries.models import DeliveryOrder

REQUESTED = "deliveries.requested"
DELIVERED = "deliveries.delivered"
# Orders asked for by a proxy (a community worker, a volunteer): people without a smartphone.
DELIVERED_BY_PROXY = "deliveries.delivered_by_proxy"
CONTRIB = f"contrib.{CboRole.COMMUNITY_SERVICES}.deliveries."


def _rows():
    requested = (
        DeliveryOrder.objects.values(path=F("region__path"), day=tally.local_day("created_at"))
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in requested:
        yield REQUESTED, row["path"], row["day"], row["n"]
    delivered = (
        DeliveryOrder.objects.filter(status=DeliveryOrder.Status.DELIVERED)
        .values(path=F("region__path"), day=F("delivered_on"), org=F("run__organization_id"))
        .annotate(n=Count("id"), proxy=Count("id", filter=Q(by_proxy=True)))
        .order_by()
    )
    for row in delivered:
        yield DELIVERED, row["path"], row["day"], row["n"]
        yield DELIVERED_BY_PROXY, row["path"], row["day"], row["proxy"]
        yield f"{CONTRIB}{row['org'] or 0}", row["path"], row["day"], row["n"]


def refresh(*, settled: bool = False) -> dict[str, int]:
    """Recount orders requested and delivered."""
    rows = tally.tally_replace(prefix=("deliveries.", CONTRIB), rows=_rows())
    tally.recount_done("deliveries")
    return {"rows": rows}
