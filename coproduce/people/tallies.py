"""Equity's kept figures: residents registered, by proxy, and without an account of their own."""

from django.db.models import Count, F, Q

from coproduce.core import clock, tally
from coproduce.people.models import Person

GAUGE = "equity.people."


def _rows():
    grouped = (
        Person.objects.filter(merged_into__isnull=True)
        .exclude(status=Person.Status.MERGED)
        .values(path=F("home_region__path"))
        .annotate(
            known=Count("id"),
            n=Count("id", filter=Q(status=Person.Status.REGISTERED)),
            proxy=Count("id", filter=Q(status=Person.Status.REGISTERED, by_proxy=True)),
            # No account of their own: their code is a printed card or shown by a proxy.
            cards=Count("id", filter=Q(status=Person.Status.REGISTERED, user__isnull=True)),
        )
        .order_by()
    )
    for row in grouped:
        yield f"{GAUGE}known", row["path"], row["known"]
        yield f"{GAUGE}registered", row["path"], row["n"]
        yield f"{GAUGE}by_proxy", row["path"], row["proxy"]
        yield f"{GAUGE}paper_cards", row["path"], row["cards"]


def refresh(*, settled: bool = False) -> dict[str, int]:
    """Nothing at the minute: registrations are a gauge over every resident (below)."""
    return {}


def refresh_gauges() -> dict[str, int]:
    """Recount registered residents for today (a scan of every resident: every few minutes)."""
    rows = tally.gauge(prefix=GAUGE, day=clock.today(), rows=_rows())
    tally.recount_done("people")
    return {"rows": rows}
