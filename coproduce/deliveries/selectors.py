"""Reads of deliveries within the caller's scope, and the report per area and period."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum
from django.utils.translation import gettext as _

from coproduce.accounts.permissions import Scope
from coproduce.core.errors import NotFound
from coproduce.deliveries.models import DeliveryOrder, DeliveryRun, OrderLine
from coproduce.relief.rules import from_fen, quantity_to_decimal


def order_list(*, scope: Scope, status: str | None = None, run=None) -> QuerySet[DeliveryOrder]:
    """Orders from households in scope, newest first, with their lines."""
    qs = (
        DeliveryOrder.objects.select_related("region", "household", "run", "for_person")
        .prefetch_related("lines__item")
        .filter(scope.region_q("region"))
    )
    if status:
        qs = qs.filter(status=status)
    if run is not None:
        qs = qs.filter(run=run)
    return qs.order_by("-created_at", "-id")


def order_get(*, order_id: int, scope: Scope) -> DeliveryOrder:
    found = order_list(scope=scope).filter(pk=order_id).first()
    if found is None:
        raise NotFound(_("No such order in your scope."), code="order_not_found")
    return found


def orders_of_household(*, household) -> QuerySet[DeliveryOrder]:
    """A household's own orders (the resident's view of their household)."""
    return (
        DeliveryOrder.objects.select_related("run")
        .prefetch_related("lines__item")
        .filter(household=household)
        .order_by("-created_at", "-id")
    )


def run_list(*, scope: Scope, on: date | None = None, mine=None) -> QuerySet[DeliveryRun]:
    """Runs in scope (region and, for organization-bound roles, organization)."""
    qs = (
        DeliveryRun.objects.select_related("region", "organization", "assignee")
        .annotate(order_count=Count("orders"))
        .filter(scope.q(region_field="region", org_field="organization"))
    )
    if on is not None:
        qs = qs.filter(date=on)
    if mine is not None:
        qs = qs.filter(assignee=mine)
    return qs.order_by("-date", "region_id", "id")


def run_get(*, run_id: int, scope: Scope) -> DeliveryRun:
    found = run_list(scope=scope).filter(pk=run_id).first()
    if found is None:
        raise NotFound(_("No such run in your scope."), code="run_not_found")
    return found


@dataclass(frozen=True)
class ReportRow:
    """Delivered quantity and value of one item (or described article) in the period."""

    item: str
    name: str
    name_zh: str  # the catalog's Chinese name, if any (pages choose by language)
    unit: str
    quantity: object  # Decimal in the unit
    value: object  # Decimal RMB
    orders: int


def delivery_report(*, scope: Scope, region, start: date, end: date) -> dict:
    """What was delivered in an area (subtree) from `start` to `end` inclusive, per item.

    Sums whole quanta and whole fen in the database, then converts: exact to the half kilogram
    and the fen, as the paper reports Yuanqiao.
    """
    if not scope.covers(region.path):
        raise NotFound(_("This area is outside your scope."), code="region_not_found")
    lines = OrderLine.objects.filter(
        order__status=DeliveryOrder.Status.DELIVERED,
        order__region__path__startswith=region.path,
        order__delivered_on__gte=start,
        order__delivered_on__lte=end,
    )
    rows = (
        lines.values(
            "item__slug", "item__name", "item__name_zh", "item__quantum", "description", "unit"
        )
        .annotate(
            quanta=Sum("quantity"), fen=Sum("amount_fen"), orders=Count("order", distinct=True)
        )
        .order_by("item__slug", "description")
    )
    out = [
        ReportRow(
            item=r["item__slug"] or "",
            name=r["item__name"] or r["description"],
            name_zh=r["item__name_zh"] or "",
            unit=r["unit"],
            quantity=quantity_to_decimal(
                r["quanta"], quantum=r["item__quantum"] if r["item__slug"] else Decimal(1)
            ),
            value=from_fen(r["fen"]),
            orders=r["orders"],
        )
        for r in rows
    ]
    total_fen = sum(r["fen"] for r in rows)
    delivered = DeliveryOrder.objects.filter(
        status=DeliveryOrder.Status.DELIVERED,
        region__path__startswith=region.path,
        delivered_on__gte=start,
        delivered_on__lte=end,
    )
    return {
        "region": region,
        "start": start,
        "end": end,
        "rows": out,
        "total": from_fen(total_fen),
        "orders": delivered.count(),
        "households": delivered.values("household").distinct().count(),
        "runs": delivered.values("run").distinct().count(),
    }
