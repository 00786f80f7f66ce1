"""The presence log's kept figures: presences counted incrementally from a high-water mark."""

from django.db.models import Count, F

from coproduce.core import tally
from coproduce.places.models import Presence

PRESENCES = "places.presences"


def _rows(lo: int, hi: int):
    """Presences of ids in (lo, hi] by the place's region and local day."""
    grouped = (
        Presence.objects.filter(id__gt=lo, id__lte=hi)
        .values(path=F("place__region__path"), day=tally.local_day("at"))
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in grouped:
        yield PRESENCES, row["path"], row["day"], row["n"]


def refresh(*, settled: bool = False) -> dict[str, int]:
    """Count new presences into the kept figures."""
    return {
        "presences": tally.log_refresh(
            source="places.presences", model=Presence, rows_between=_rows, settled=settled
        )
    }
