"""The recovery panel's figures and the associations' work for production resumption
(core.metrics). Reads only kept aggregates and a few indexed counts."""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from coproduce.core import clock
from coproduce.core.metrics import CboRole, Contribution, Metric, Period, Point
from coproduce.recovery import rules
from coproduce.recovery.models import Procurement, RentReliefProgram, ServiceRequest
from coproduce.recovery.selectors.resumption import resumption_series

PANEL = "recovery"


def _bounds(period: Period) -> tuple[datetime, datetime]:
    zone = clock.local_zone()
    start = datetime.combine(period.start, time.min, tzinfo=zone)
    return start, datetime.combine(period.end + timedelta(days=1), time.min, tzinfo=zone)


def metrics(*, scope, region, period: Period) -> list[Metric]:
    """Parks reopened, production resumption and capacity in use (with their trend), enterprises
    open, and the collective purchases awarded with their savings."""
    if not scope.covers(region.path):
        return []
    series = resumption_series(scope=scope, region=region, start=period.start, end=period.end)
    last = series[-1][1]
    link = f"/recovery/resumption/?region={region.code}&date={period.end.isoformat()}"

    def trend(attr: str) -> tuple[Point, ...]:
        return tuple(Point(day, getattr(r, attr)) for day, r in series)

    start, end = _bounds(period)
    awarded = Procurement.objects.filter(
        association__home_region__path__startswith=region.path,
        awarded_at__gte=start,
        awarded_at__lt=end,
    ).aggregate(n=Count("id"), alone=Sum("alone_cost_fen"), paid=Sum("total_cost_fen"))
    saving = rules.fen_to_money((awarded["alone"] or 0) - (awarded["paid"] or 0))
    return [
        Metric(
            "parks_reopened_pct",
            _("Parks reopened"),
            last.parks_reopened_pct,
            "pct",
            trend("parks_reopened_pct"),
            link,
        ),
        Metric(
            "production_resumption_pct",
            _("Production resumption"),
            last.production_resumption_pct,
            "pct",
            trend("production_resumption_pct"),
            link,
        ),
        Metric(
            "capacity_weighted_pct",
            _("Capacity in use (weighted)"),
            last.capacity_weighted_pct,
            "pct",
            trend("capacity_weighted_pct"),
            link,
        ),
        Metric(
            "enterprises_open",
            _("Enterprises open"),
            last.enterprises_open,
            "count",
            trend("enterprises_open"),
            link,
        ),
        Metric("parks_total", _("Industrial parks"), last.parks_total, "count", (), link),
        Metric(
            "procurements_awarded", _("Collective purchases awarded"), awarded["n"] or 0, "count"
        ),
        Metric("procurement_saving", _("Saved by buying together"), Decimal(saving), "yuan"),
    ]


def contributions(*, region, period: Period) -> list[Contribution]:
    """Associations' work for production resumption: collective purchases awarded, member
    service requests handled (resolved or declined), rent relief programs started."""
    start, end = _bounds(period)
    out: list[Contribution] = []
    in_region = {"association__home_region__path__startswith": region.path}
    rows = (
        Procurement.objects.filter(**in_region, awarded_at__gte=start, awarded_at__lt=end)
        .values("association_id")
        .annotate(n=Count("id"))
    )
    out += [
        Contribution(CboRole.PRODUCTION_RESUMPTION, r["association_id"], "procurements", r["n"])
        for r in rows
    ]
    rows = (
        ServiceRequest.objects.filter(**in_region, resolved_at__gte=start, resolved_at__lt=end)
        .values("association_id")
        .annotate(n=Count("id"))
    )
    out += [
        Contribution(
            CboRole.PRODUCTION_RESUMPTION, r["association_id"], "service_requests_handled", r["n"]
        )
        for r in rows
    ]
    rows = (
        RentReliefProgram.objects.filter(
            **in_region,
            start_month__gte=period.start.replace(day=1),
            start_month__lte=period.end,
        )
        .values("association_id")
        .annotate(n=Count("id"))
    )
    out += [
        Contribution(
            CboRole.PRODUCTION_RESUMPTION, r["association_id"], "rent_relief_programs", r["n"]
        )
        for r in rows
    ]
    return out
