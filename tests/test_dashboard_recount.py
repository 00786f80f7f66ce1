"""Every panel equals a naive recount of the raw records, for several scopes and periods.

The demo is seeded (scale 0.2: every app has records), the kept figures refreshed as the
scheduler would, and each figure of each panel compared with a count made here in Python over
the raw rows: region by path prefix, local day by the deployment's zone. Slow (seeding).
"""

import random
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

import pytest

from coproduce.accounts.permissions import Scope
from coproduce.checkpoints.models import Scan, ShiftAssignment
from coproduce.core import clock
from coproduce.core.metrics import Period
from coproduce.dashboard import selectors
from coproduce.deliveries.models import DeliveryOrder
from coproduce.demo.seed import STEPS, SeedContext
from coproduce.fieldwork.rules import TaskStatus
from coproduce.health_codes.models import HealthCode, HealthReport
from coproduce.people.models import Person
from coproduce.places.models import Presence
from coproduce.regions.models import Region
from coproduce.relief.models import Donation, InKindDonation, Lot
from coproduce.scheduler.figures import tallies_refresh
from coproduce.timebank.models import Entry
from coproduce.tracing.models import Case, TraceTask
from coproduce.volunteers.models import ServiceRecord, VolunteerProfile

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

EVERYWHERE = Scope(everywhere=True, grants=())
CONFIRMED = {"confirmed", "recovered", "deceased"}


LEVELS = ("cumulative", "reporting", "enterprises_open")


def local(moment) -> date:
    return clock.local_date(moment)


def within(path: str, region: Region) -> bool:
    return bool(path) and path.startswith(region.path)


def hours(minutes) -> Decimal:
    return (Decimal(minutes) / 60).quantize(Decimal("0.01"))


def flows(region: Region, period: Period) -> dict[tuple[str, str], object]:
    """Each flow figure (summed over the period's days), counted over the raw rows."""
    counts: dict[tuple[str, str], object] = defaultdict(int)
    inside = lambda day: day is not None and period.start <= day <= period.end  # noqa: E731
    for case in Case.objects.select_related("region"):
        if case.status in CONFIRMED and within(case.region.path, region):
            day = local(case.reported_at)
            if inside(day):
                counts["cases", "new"] += 1
            if day <= period.end:
                counts["cases", "cumulative"] += 1
    for scan in Scan.objects.select_related("checkpoint__place__region"):
        if within(scan.checkpoint.place.region.path, region) and inside(local(scan.scanned_at)):
            counts["checkpoints", "scans"] += 1
            counts["checkpoints", "denials"] += scan.decision == "deny"
            counts["checkpoints", "fevers"] += bool(scan.fever)
    staffed = Decimal(0)
    for a in ShiftAssignment.objects.select_related("shift__checkpoint__place__region"):
        shift = a.shift
        if (
            a.status != "absent"
            and within(shift.checkpoint.place.region.path, region)
            and inside(local(shift.starts_at))
        ):
            staffed += int((shift.ends_at - shift.starts_at).total_seconds() // 60)
    counts["checkpoints", "hours_staffed"] = hours(staffed)
    for p in Presence.objects.select_related("place__region"):
        if within(p.place.region.path, region) and inside(local(p.at)):
            counts["checkpoints", "presences"] += 1
    service = Decimal(0)
    for r in ServiceRecord.objects.select_related("region").filter(status="confirmed"):
        if within(r.region.path, region) and inside(local(r.start)):
            service += Decimal(r.minutes)
    counts["volunteers", "service_hours"] = hours(service)
    credited = Decimal(0)
    for e in Entry.objects.select_related("posting", "account__region"):
        if (
            e.posting.kind == "earn"
            and e.account.kind == "volunteer"
            and e.account.region
            and within(e.account.region.path, region)
            and inside(local(e.at))
        ):
            credited += Decimal(e.minutes)
    counts["volunteers", "credited_hours"] = hours(credited)
    money, goods = Decimal(0), Decimal(0)
    for d in Donation.objects.select_related("campaign__region", "organization__home_region"):
        where = d.campaign.region if d.campaign else d.organization.home_region
        if within(where.path, region) and inside(local(d.received_at)):
            counts["relief", "donations"] += 1
            money += Decimal(d.amount_fen)
    for g in InKindDonation.objects.select_related("lot__warehouse__region"):
        if within(g.lot.warehouse.region.path, region) and inside(local(g.received_at)):
            goods += Decimal(g.value_fen)
    counts["relief", "donations_yuan"] = (money / 100).quantize(Decimal("0.01"))
    counts["relief", "goods_yuan"] = (goods / 100).quantize(Decimal("0.01"))
    for o in DeliveryOrder.objects.select_related("region"):
        if not within(o.region.path, region):
            continue
        counts["deliveries", "requested"] += inside(local(o.created_at))
        if o.status == "delivered" and inside(o.delivered_on):
            counts["deliveries", "delivered"] += 1
            counts["equity", "reached_by_deliveries"] += o.by_proxy
    return counts


def levels(region: Region, on: date) -> dict[tuple[str, str], object]:
    """Each level figure now (the gauges are written for today), counted over the raw rows."""
    counts: dict[tuple[str, str], object] = defaultdict(int)
    for code in HealthCode.objects.select_related("person__home_region"):
        person = code.person
        if person.merged_into_id is None and within(person.home_region.path, region):
            counts["codes", code.color] += 1
    for person in Person.objects.select_related("home_region").filter(merged_into__isnull=True):
        if person.status == "merged" or not within(person.home_region.path, region):
            continue
        counts["equity", "known"] += 1
        if person.status == "registered":
            counts["equity", "registered"] += 1
            counts["equity", "by_proxy"] += person.by_proxy
            counts["equity", "paper_cards"] += person.user_id is None
    for report in HealthReport.objects.select_related("person__home_region").filter(on=on):
        if within(report.person.home_region.path, region):
            counts["equity", "reporting"] += 1
            counts["equity", "reported_by_proxy"] += report.by_proxy
    for v in VolunteerProfile.objects.select_related("home_region").filter(active=True):
        counts["volunteers", "active"] += within(v.home_region.path, region)
    now = clock.now()
    rounds: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for t in TraceTask.objects.select_related("task__region", "round"):
        if not within(t.task.region.path, region):
            continue
        rounds[t.round.number][0] += 1
        rounds[t.round.number][1] += t.task.status == TaskStatus.DONE
        late = t.task.deadline and t.task.deadline < now
        if late and t.task.status not in (TaskStatus.DONE, TaskStatus.CANCELLED):
            counts["tracing", "overdue"] += 1
    for number, (_made, done) in rounds.items():
        counts["tracing", f"round_{number}_done"] = done
    value = Decimal(0)
    items: dict[str, Decimal] = defaultdict(Decimal)
    for lot in Lot.objects.select_related("warehouse__region", "item").filter(quantity__gt=0):
        if within(lot.warehouse.region.path, region):
            value += lot.quantity * lot.item.quantum * lot.item.unit_value_fen
            items[lot.item.slug] += lot.quantity * lot.item.quantum
    counts["relief", "stock_value_yuan"] = (value / 100).quantize(Decimal("0.01"))
    for slug, units in items.items():
        counts["relief", f"stock_{slug}"] = units
    return counts


@pytest.fixture
def demo(settings):
    settings.COPRODUCE_EXERCISE = True
    ctx = SeedContext(rng=random.Random(2020), scale=0.2)
    for step in STEPS:
        step.run(ctx)
    tallies_refresh(settled=True)
    return ctx


def test_every_panel_equals_a_naive_recount(demo):
    today = clock.today()
    regions = [
        Region.objects.get(code="330000"),
        Region.objects.get(code="330111"),
        Region.objects.get(code="330110"),
        # The community of the Fuyang outbreak's first case: a scope well below the county.
        Case.objects.order_by("id").first().region.parent,
    ]
    periods = [
        Period(today - timedelta(days=59), today),
        Period(date(2020, 2, 5), date(2020, 2, 9)),
        Period(today, today),
    ]
    compared = 0
    for region in regions:
        for period in periods:
            panels = selectors.panels_compute(scope=EVERYWHERE, region=region, period=period)
            expected = flows(region, period)
            if period.end == today:
                expected.update(levels(region, period.end))
            for (panel, key), value in expected.items():
                metric = next((m for m in panels[panel] if m.key == key), None)
                got = metric.value if metric else 0
                assert got == value, (region.code, period, panel, key, got, value)
                compared += 1
            # A metric's series adds up to its total.
            for metrics in panels.values():
                for m in metrics:
                    # (hours are rounded per day: their days add up within rounding)
                    # (shares and levels of a day, like enterprises open, are not flows; figures
                    # an app suppressed itself, "<5", are not summed)
                    flow = m.unit not in ("hours", "pct") and m.key not in LEVELS
                    if m.series and flow and not isinstance(m.value, str):
                        assert sum(p.value for p in m.series) == m.value, (region.code, m.key)
    assert compared > 200
    # Table 1 regenerated: each (role, measure) adds up to the work of every organization.
    region, period = regions[0], periods[0]
    table = selectors.coproduction_compute(region=region, period=period)
    totals, rows = defaultdict(Decimal), defaultdict(int)
    for row in table:
        totals[row.measure] += row.total
        rows[row.measure] += 1
    recount = flows(region, period)
    assert totals["scans"] == recount["checkpoints", "scans"]
    # Hours are rounded to the hundredth per row of the table.
    for measure, key in (("checkpoint_hours", "hours_staffed"), ("service_hours", None)):
        expected = recount["checkpoints", key] if key else recount["volunteers", "service_hours"]
        assert abs(totals[measure] - expected) <= Decimal("0.01") * rows[measure]
    assert totals["donations_yuan"] == recount["relief", "donations_yuan"]
    assert totals["deliveries"] == recount["deliveries", "delivered"]
    done = sum(
        1
        for t in TraceTask.objects.select_related("task")
        if t.task.status == TaskStatus.DONE
        and t.task.done_at
        and period.start <= local(t.task.done_at) <= period.end
    )
    assert totals["tasks_done"] == done
