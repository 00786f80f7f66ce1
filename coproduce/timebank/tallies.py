"""The time bank's kept figures: hours credited to volunteers by day (earned, not gifts)."""

from django.db.models import F, Sum

from coproduce.core import tally
from coproduce.timebank.models import Account, Entry, Posting

CREDITED = "timebank.credited_hours"


def _rows():
    grouped = (
        Entry.objects.filter(
            posting__kind=Posting.Kind.EARN,
            account__kind=Account.Kind.VOLUNTEER,
            account__region__isnull=False,
        )
        .values(path=F("account__region__path"), day=tally.local_day("at"))
        .annotate(minutes=Sum("minutes"))
        .order_by()
    )
    for row in grouped:
        # core.tally keeps time in minutes and shows it in hours.
        yield CREDITED, row["path"], row["day"], row["minutes"] or 0


def refresh(*, settled: bool = False) -> dict[str, int]:
    """Recount the hours credited to volunteers."""
    rows = tally.tally_replace(prefix=CREDITED, rows=_rows())
    tally.recount_done("timebank")
    return {"rows": rows}
