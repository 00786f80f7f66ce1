"""Health codes' kept figures: codes by color (a gauge) and daily reports (a log, incremental)."""

from django.db.models import Count, F, Q

from coproduce.core import clock, tally
from coproduce.health_codes.models import HealthCode, HealthReport

GAUGE = "codes."
REPORTED = "equity.reported"
REPORTED_BY_PROXY = "equity.reported_by_proxy"


def _code_rows():
    grouped = (
        HealthCode.objects.filter(person__merged_into__isnull=True)
        .values(path=F("person__home_region__path"), c=F("color"))
        .annotate(n=Count("*"))
        .order_by()
    )
    for row in grouped:
        yield f"{GAUGE}{row['c']}", row["path"], row["n"]


def _report_rows(lo: int, hi: int):
    grouped = (
        HealthReport.objects.filter(id__gt=lo, id__lte=hi)
        .values(path=F("person__home_region__path"), day=F("on"))
        .annotate(n=Count("id"), proxy=Count("id", filter=Q(by_proxy=True)))
        .order_by()
    )
    for row in grouped:
        yield REPORTED, row["path"], row["day"], row["n"]
        yield REPORTED_BY_PROXY, row["path"], row["day"], row["proxy"]


def refresh_gauges() -> dict[str, int]:
    """Recount codes by color for today (a scan of every code: every few minutes)."""
    codes = tally.gauge(prefix=GAUGE, day=clock.today(), rows=_code_rows())
    tally.recount_done("codes")
    return {"code_rows": codes}


def refresh(*, settled: bool = False) -> dict[str, int]:
    """Count new daily reports."""
    reports = tally.log_refresh(
        source="health_codes.reports",
        model=HealthReport,
        rows_between=_report_rows,
        settled=settled,
    )
    return {"reports": reports}
