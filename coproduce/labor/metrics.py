"""Labor sharing's figures for the dashboard (core.metrics): open workers on offer and sought,
agreements and workers shared in the period; and the associations' economic collaboration
(Table 1's stage-3 role) as the agreements of their member enterprises."""

from datetime import datetime, time, timedelta

from django.db.models import Q, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from coproduce.core import clock
from coproduce.core.metrics import CboRole, Contribution, Metric, Period, Point
from coproduce.labor.models import Agreement, MatchingRun, Posting
from coproduce.labor.rules import PostingKind, PostingState
from coproduce.recovery.models import EnterpriseMembership

PANEL = "labor"


def _bounds(period: Period) -> tuple[datetime, datetime]:
    zone = clock.local_zone()
    start = datetime.combine(period.start, time.min, tzinfo=zone)
    return start, datetime.combine(period.end + timedelta(days=1), time.min, tzinfo=zone)


def _agreements_in(region, period: Period):
    start, end = _bounds(period)
    return Agreement.objects.filter(
        Q(lender__region__path__startswith=region.path)
        | Q(borrower__region__path__startswith=region.path),
        signed_at__gte=start,
        signed_at__lt=end,
    )


def metrics(*, scope, region, period: Period) -> list[Metric]:
    """Open workers offered and sought at the period's end; agreements and workers shared."""
    if not scope.everywhere and not scope.covers(region.path):
        return []
    open_rows = (
        Posting.objects.filter(
            state=PostingState.OPEN,
            county__path__startswith=region.path,
            start_date__lte=period.end,
            end_date__gte=period.end,
        )
        .values("kind")
        .annotate(workers=Sum("workers"), committed=Sum("committed"))
    )
    open_by_kind = {r["kind"]: r["workers"] - r["committed"] for r in open_rows}
    agreements = _agreements_in(region, period)
    per_day = {d: 0 for d in period.dates()}
    zone = clock.local_zone()
    for signed_at, workers in agreements.values_list("signed_at", "workers"):
        day = signed_at.astimezone(zone).date()
        if day in per_day:
            per_day[day] += workers
    start, end = _bounds(period)
    runs = MatchingRun.objects.filter(
        region__path__startswith=region.path, created_at__gte=start, created_at__lt=end
    ).count()
    link = reverse("labor:map") + f"?region={region.code}"
    return [
        Metric(
            "available",
            _("Idle workers on offer"),
            open_by_kind.get(PostingKind.SURPLUS, 0),
            "people",
            link=link,
        ),
        Metric(
            "demand",
            _("Workers sought"),
            open_by_kind.get(PostingKind.SHORTAGE, 0),
            "people",
            link=link,
        ),
        Metric("agreements", _("Sharing agreements signed"), agreements.count()),
        Metric(
            "workers_shared",
            _("Workers shared"),
            sum(per_day.values()),
            "people",
            series=tuple(Point(d, v) for d, v in per_day.items()),
        ),
        Metric("matching_runs", _("Matching runs"), runs),
    ]


def contributions(*, region, period: Period) -> list[Contribution]:
    """Agreements and workers shared, credited to each association of the lender and of the
    borrower (an agreement between members of one association counts once for it)."""
    agreements = _agreements_in(region, period)
    tallies: dict[int, dict[int, int]] = {}
    members = EnterpriseMembership.objects.filter(
        Q(enterprise__labor_loans_out__in=agreements) | Q(enterprise__labor_loans_in__in=agreements)
    ).values_list("association_id", "enterprise_id")
    by_enterprise: dict[int, set[int]] = {}
    for association_id, enterprise_id in members:
        by_enterprise.setdefault(enterprise_id, set()).add(association_id)
    for agreement_id, lender, borrower, workers in agreements.values_list(
        "pk", "lender_id", "borrower_id", "workers"
    ):
        for association_id in by_enterprise.get(lender, set()) | by_enterprise.get(borrower, set()):
            tallies.setdefault(association_id, {})[agreement_id] = workers
    link = reverse("labor:board")
    out: list[Contribution] = []
    for association_id, shared in sorted(tallies.items()):
        out.append(
            Contribution(
                CboRole.ECONOMIC_COLLABORATION,
                association_id,
                "labor_agreements",
                len(shared),
                link,
            )
        )
        out.append(
            Contribution(
                CboRole.ECONOMIC_COLLABORATION,
                association_id,
                "workers_shared",
                sum(shared.values()),
                link,
            )
        )
    return out
