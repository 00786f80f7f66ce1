"""Volunteers' kept figures: active volunteers (a gauge) and confirmed service hours by day."""

from django.db.models import Count, F, Sum

from coproduce.core import clock, tally
from coproduce.core.metrics import CboRole
from coproduce.volunteers.models import Activity, ServiceRecord, VolunteerProfile

GAUGE = "volunteers.active"
HOURS = "volunteers.hours"
# Checkpoint duty and tracing serve Table 1's first role; the rest is community service
# (docs/dashboard.md: the dashboard shows it as welfare services from stage 2 on).
ROLE_OF_ACTIVITY = {Activity.CHECKPOINT: CboRole.TRACING, Activity.TRACING: CboRole.TRACING}
CONTRIB = "contrib.{role}.service_hours."


def _hour_rows():
    grouped = (
        ServiceRecord.objects.filter(status=ServiceRecord.Status.CONFIRMED)
        .values(
            "activity",
            path=F("region__path"),
            day=tally.local_day("start"),
            org=F("organization_id"),
        )
        .annotate(minutes=Sum("minutes"))
        .order_by()
    )
    for row in grouped:
        role = ROLE_OF_ACTIVITY.get(row["activity"], CboRole.COMMUNITY_SERVICES)
        minutes = row["minutes"] or 0  # core.tally keeps time in minutes, shows hours
        yield HOURS, row["path"], row["day"], minutes
        yield f"{CONTRIB.format(role=role)}{row['org'] or 0}", row["path"], row["day"], minutes


def _volunteer_rows():
    grouped = (
        VolunteerProfile.objects.filter(active=True)
        .values(path=F("home_region__path"))
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in grouped:
        yield GAUGE, row["path"], row["n"]


def refresh(*, settled: bool = False) -> dict[str, int]:
    """Recount confirmed service hours."""
    prefixes = (HOURS,) + tuple(CONTRIB.format(role=role) for role in CboRole)
    hours = tally.tally_replace(prefix=prefixes, rows=_hour_rows())
    tally.recount_done("volunteers")
    return {"hour_rows": hours}


def refresh_gauges() -> dict[str, int]:
    """Write today's count of active volunteers (every volunteer: every few minutes)."""
    return {"volunteer_rows": tally.gauge(prefix=GAUGE, day=clock.today(), rows=_volunteer_rows())}
