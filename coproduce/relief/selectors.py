"""Reads of donations, stock, requests and the public report, each within a scope.

Staff reads take the caller's Scope (region subtree, organization). The public transparency
report takes a region instead: it is public by policy (PRODUCT.md 3.6) and never names an
anonymous donor.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncDay, TruncHour
from django.utils.translation import gettext as _

from coproduce.accounts.permissions import Scope
from coproduce.core import clock
from coproduce.core.errors import NotFound
from coproduce.relief.models import (
    Allocation,
    AllocationLine,
    Campaign,
    Disbursement,
    Donation,
    InKindDonation,
    Item,
    LedgerEntry,
    LedgerHead,
    Lot,
    SupplyRequest,
    Warehouse,
)
from coproduce.relief.rules import GENESIS_HASH, from_fen
from coproduce.relief.rules import quantity_to_decimal as _qd


def qd(count, quantum):
    return _qd(count, quantum=quantum)


def item_list() -> QuerySet[Item]:
    """The item catalog (public: names, units, quanta and reference values)."""
    return Item.objects.filter(active=True).order_by("category", "slug")


def item_get(*, slug: str) -> Item:
    item = Item.objects.filter(slug=slug, active=True).first()
    if item is None:
        raise NotFound(
            _("No item %(item)r in the catalog.") % {"item": slug}, code="item_not_found"
        )
    return item


def warehouse_list(*, scope: Scope) -> QuerySet[Warehouse]:
    """Warehouses in scope, with their organization and region."""
    return Warehouse.objects.select_related("organization", "region").filter(
        scope.q(region_field="region", org_field="organization")
    )


def warehouse_get(*, warehouse_id: int, scope: Scope) -> Warehouse:
    found = warehouse_list(scope=scope).filter(pk=warehouse_id).first()
    if found is None:
        raise NotFound(_("No such warehouse in your scope."), code="warehouse_not_found")
    return found


def lot_list(*, scope: Scope, warehouse=None, item=None, with_empty=False) -> QuerySet[Lot]:
    """Lots in scope (by their warehouse), earliest expiry first."""
    qs = Lot.objects.select_related("item", "warehouse__organization").filter(
        scope.q(region_field="warehouse__region", org_field="warehouse__organization")
    )
    if warehouse is not None:
        qs = qs.filter(warehouse=warehouse)
    if item is not None:
        qs = qs.filter(item=item)
    if not with_empty:
        qs = qs.filter(quantity__gt=0)
    return qs.order_by(F("expires_on").asc(nulls_last=True), "id")


def lot_get(*, lot_id: int, scope: Scope) -> Lot:
    found = lot_list(scope=scope, with_empty=True).filter(pk=lot_id).first()
    if found is None:
        raise NotFound(_("No such lot in your scope."), code="lot_not_found")
    return found


def stock_on_hand(*, scope: Scope, warehouse=None) -> list[dict]:
    """On hand and reserved per warehouse and item (integer sums of quanta: exact)."""
    rows = (
        lot_list(scope=scope, warehouse=warehouse)
        .values(
            "warehouse_id",
            "warehouse__name",
            "item__slug",
            "item__name",
            "item__name_zh",
            "item__unit",
        )
        .annotate(
            quantity=Sum("quantity"),
            reserved=Sum("reserved"),
            lots=Count("id"),
            quantum=F("item__quantum"),
        )
        .order_by("warehouse__name", "item__slug")
    )
    return [
        {
            **row,
            "on_hand": qd(row["quantity"], row["quantum"]),
            "free": qd(row["quantity"] - row["reserved"], row["quantum"]),
        }
        for row in rows
    ]


def campaign_list(*, scope: Scope | None = None) -> QuerySet[Campaign]:
    """Campaigns (public figures); narrowed to a staff scope when given."""
    qs = Campaign.objects.select_related("organization", "region")
    if scope is not None:
        qs = qs.filter(scope.q(region_field="region", org_field="organization"))
    return qs.order_by("-starts_at", "id")


def campaign_get(*, campaign_id: int, scope: Scope | None = None) -> Campaign:
    found = campaign_list(scope=scope).filter(pk=campaign_id).first()
    if found is None:
        raise NotFound(_("No such campaign."), code="campaign_not_found")
    return found


@dataclass(frozen=True)
class ProgressPoint:
    """Money raised by a campaign up to the end of one hour or day."""

    at: datetime
    raised: object  # Decimal
    cumulative: object  # Decimal


def campaign_progress(*, campaign: Campaign, bucket: str = "day") -> list[ProgressPoint]:
    """The campaign's donations summed per hour or day (local time), with the running total."""
    trunc = TruncHour if bucket == "hour" else TruncDay
    rows = (
        Donation.objects.filter(campaign=campaign)
        .annotate(t=trunc("received_at", tzinfo=clock.local_zone()))
        .values("t")
        .annotate(fen=Sum("amount_fen"))
        .order_by("t")
    )
    total, points = 0, []
    for row in rows:
        total += row["fen"]
        points.append(ProgressPoint(row["t"], from_fen(row["fen"]), from_fen(total)))
    return points


def campaign_raised_by(*, campaign: Campaign, moment: datetime):
    """What a campaign had raised by a moment (Decimal RMB)."""
    fen = (
        Donation.objects.filter(campaign=campaign, received_at__lte=moment).aggregate(
            s=Sum("amount_fen")
        )["s"]
        or 0
    )
    return from_fen(fen)


def donation_list(*, scope: Scope, campaign=None) -> QuerySet[Donation]:
    """Money donations to organizations in scope, newest first."""
    qs = Donation.objects.select_related("organization", "campaign").filter(
        scope.q(region_field="organization__home_region", org_field="organization")
    )
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    return qs.order_by("-received_at", "-id")


def receipt_get(*, key: str):
    """A money or in-kind receipt by its unguessable key (the donor's link), or NotFound."""
    found = (
        Donation.objects.select_related("organization", "campaign").filter(receipt_key=key).first()
        or InKindDonation.objects.select_related("organization", "item", "lot__warehouse")
        .filter(receipt_key=key)
        .first()
    )
    if found is None or not key:
        raise NotFound(_("No such receipt."), code="receipt_not_found")
    return found


def supply_request_list(*, scope: Scope, status: str | None = None) -> QuerySet[SupplyRequest]:
    """Demand requests from regions in scope, most urgent first, with their lines."""
    qs = (
        SupplyRequest.objects.select_related("region")
        .prefetch_related("lines__item")
        .filter(scope.region_q("region"))
    )
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("status", "priority", "needed_by", "id")


def supply_request_get(*, request_id: int, scope: Scope) -> SupplyRequest:
    found = supply_request_list(scope=scope).filter(pk=request_id).first()
    if found is None:
        raise NotFound(_("No such request in your scope."), code="request_not_found")
    return found


def allocation_list(*, scope: Scope) -> QuerySet[Allocation]:
    """Allocation runs of organizations in scope, newest first."""
    return (
        Allocation.objects.select_related("organization", "region")
        .filter(scope.q(region_field="organization__home_region", org_field="organization"))
        .annotate(
            to_dispatch=Count("lines", filter=Q(lines__status=AllocationLine.Status.APPROVED))
        )
        .order_by("-proposed_at", "-id")
    )


def allocation_get(*, allocation_id: int, scope: Scope) -> Allocation:
    found = (
        allocation_list(scope=scope)
        .prefetch_related(
            "lines__lot__item", "lines__lot__warehouse", "lines__request_line__request__region"
        )
        .filter(pk=allocation_id)
        .first()
    )
    if found is None:
        raise NotFound(_("No such allocation in your scope."), code="allocation_not_found")
    return found


def recipient_q(scope: Scope) -> Q:
    """Lines the caller receives: requests in a region of theirs and, for a grant bound to an
    organization (a coordinator, checkpoint staff), requests filed by that organization's members
    only: a province-wide coordinator of one charity does not confirm another's deliveries."""
    if scope.everywhere:
        return Q()
    q = Q(pk__in=[])
    for grant in scope.grants:
        part = Q(request_line__request__region__path__startswith=grant.region_path)
        if grant.organization_id is not None:
            part &= Q(
                request_line__request__created_by__memberships__organization_id=(
                    grant.organization_id
                )
            )
        q |= part
    return q


def allocation_line_for_recipient(*, line_id: int, scope: Scope) -> AllocationLine:
    """A dispatched line whose request the caller receives (see recipient_q)."""
    found = (
        AllocationLine.objects.select_related("lot__item", "request_line__request")
        .filter(recipient_q(scope), pk=line_id)
        .distinct()
        .first()
    )
    if found is None:
        raise NotFound(_("No such dispatch in your scope."), code="dispatch_not_found")
    return found


def dispatches_to_confirm(*, scope: Scope) -> QuerySet[AllocationLine]:
    """Dispatched lines awaiting the recipient's confirmation in scope."""
    return (
        AllocationLine.objects.select_related("lot__item", "request_line__request__region")
        .filter(recipient_q(scope))
        .filter(status=AllocationLine.Status.DISPATCHED)
        .distinct()
        .order_by("dispatched_at", "id")
    )


# --- The public report ----------------------------------------------------------------------


def transparency_report(*, region) -> dict:
    """What came in and where it went, by organization, item and region, under `region`.

    Money in: campaigns and donations of organizations based in the region; money out and goods
    out: by the region they went to; goods in: gifts in kind by item. Integer sums: exact.
    """
    orgs_q = {"organization__home_region__path__startswith": region.path}
    money_in = (
        Donation.objects.filter(**orgs_q)
        .values("organization__name", "organization__name_zh")
        .annotate(fen=Sum("amount_fen"), gifts=Count("id"))
        .order_by("-fen")
    )
    money_out = (
        Disbursement.objects.filter(region__path__startswith=region.path)
        .values("region__code", "region__name", "region__name_en")
        .annotate(fen=Sum("amount_fen"), payments=Count("id"))
        .order_by("-fen")
    )
    goods_in = (
        InKindDonation.objects.filter(**orgs_q)
        .values("item__slug", "item__name", "item__name_zh", "item__unit", "item__quantum")
        .annotate(quanta=Sum("quantity"), fen=Sum("value_fen"), gifts=Count("id"))
        .order_by("item__category", "item__slug")
    )
    goods_out = (
        LedgerEntry.objects.filter(
            kind=LedgerEntry.Kind.ISSUE, region__path__startswith=region.path
        )
        .values(
            "item__slug",
            "item__name",
            "item__name_zh",
            "item__unit",
            "item__quantum",
            "region__code",
            "region__name",
            "region__name_en",
        )
        .annotate(quanta=Sum("quantity"))
        .order_by("item__slug", "region__code")
    )
    head = LedgerHead.objects.filter(id=1).first()
    return {
        "region": region,
        "campaigns": list(campaign_list().filter(region__path__startswith=region.path)),
        "money_in": [{**r, "amount": from_fen(r["fen"])} for r in money_in],
        "money_out": [{**r, "amount": from_fen(r["fen"])} for r in money_out],
        "goods_in": [
            {**r, "quantity": qd(r["quanta"], r["item__quantum"]), "value": from_fen(r["fen"])}
            for r in goods_in
        ],
        "goods_out": [{**r, "quantity": qd(r["quanta"], r["item__quantum"])} for r in goods_out],
        "ledger_seq": head.seq if head else 0,
        "ledger_head": head.hash if head else GENESIS_HASH,
    }


def ledger_page(*, after: int = 0, limit: int = 500) -> QuerySet[LedgerEntry]:
    """Public ledger entries after a sequence number, for anyone to recompute the chain."""
    return LedgerEntry.objects.filter(seq__gt=after).order_by("seq")[:limit]
