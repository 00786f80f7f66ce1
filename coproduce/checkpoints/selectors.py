"""Reads of checkpoints, always within the caller's scope: list, one, coverage, bundle, statistics."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncHour
from django.utils.translation import gettext as _

from coproduce.accounts.permissions import Scope
from coproduce.checkpoints import rules, staffing
from coproduce.checkpoints.models import Checkpoint, Scan, Shift, ShiftAssignment
from coproduce.core import clock
from coproduce.core.errors import NotFound
from coproduce.core.sql import CompiledQuery
from coproduce.health_codes import selectors as hc_selectors
from coproduce.orgs.models import Membership, Organization
from coproduce.people.models import Person
from coproduce.places.models import Place
from coproduce.regions.models import Region

_SCOPE_FIELDS = {"region_field": "place__region", "org_field": "place__operator_id"}


def checkpoint_list(*, scope: Scope, region=None, kind: str = "") -> QuerySet[Checkpoint]:
    """Checkpoints in scope (of an organization-bound grant: that organization's), by name."""
    qs = Checkpoint.objects.select_related("place__region", "place__operator").filter(
        scope.q(**_SCOPE_FIELDS), active=True
    )
    if region is not None:
        qs = qs.filter(place__region__path__startswith=region.path)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("place__name", "id")


def checkpoint_get(*, checkpoint_id: int, scope: Scope) -> Checkpoint:
    """One checkpoint in scope, or NotFound (out of scope looks the same as absent)."""
    checkpoint = (
        Checkpoint.objects.select_related("place__region", "place__operator")
        .filter(pk=checkpoint_id)
        .first()
    )
    if checkpoint is None or not scope.covers(
        checkpoint.place.region.path, checkpoint.place.operator_id
    ):
        raise NotFound(_("No such checkpoint in your scope."), code="checkpoint_not_found")
    return checkpoint


def _attnames(model) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields]


# Every scan reads its checkpoint: compiled once (see core.sql), one row with the place, its
# region and its operating organization, as select_related would give them; kept a second per
# worker process (a policy change shows at once here and within a second in other processes).
_PARTS = (
    (Checkpoint, "", _attnames(Checkpoint)),
    (Place, "place__", _attnames(Place)),
    (Region, "place__region__", _attnames(Region)),
    (Organization, "place__operator__", _attnames(Organization)),
)
_ACTIVE_CHECKPOINT = CompiledQuery(
    lambda pk: Checkpoint.objects.filter(pk=pk, active=True).values_list(
        *(prefix + name for _model, prefix, names in _PARTS for name in names)
    ),
    fresh_for=1.0,
    forget_on=(Checkpoint, Place, Region, Organization),
    pk=-7_340_033,
)


def checkpoint_forget() -> None:
    """Changes made with update() send no signal: their service calls this."""
    _ACTIVE_CHECKPOINT.forget()


def checkpoint_active(*, checkpoint_id: int) -> Checkpoint | None:
    """An active checkpoint with its place, region and operator loaded, or None (no scope
    check: the caller decides with the region and operator it gets)."""
    rows = _ACTIVE_CHECKPOINT.rows(pk=checkpoint_id)
    if not rows:
        return None
    row, start, objects = rows[0], 0, []
    for model, _prefix, names in _PARTS:
        values = row[start : start + len(names)]
        start += len(names)
        objects.append(model.from_db("default", names, values) if values[0] is not None else None)
    checkpoint, place, region, operator = objects
    place.region = region
    place.operator = operator
    checkpoint.place = place
    return checkpoint


# --- staffing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class HourCoverage:
    """One hour of a local day: how many are on duty at its start and whether it has a gap."""

    hour: int
    staffed: int
    required: int
    gap: bool


@dataclass(frozen=True)
class DayCoverage:
    """A checkpoint's staffing for one local day: its shifts, hour by hour, and the gaps."""

    day: date
    shifts: list[Shift]
    hours: list[HourCoverage]
    gaps: tuple[staffing.Gap, ...]

    @property
    def uncovered_hours(self) -> int:
        """Hours with a gap somewhere in them."""
        return sum(1 for h in self.hours if h.gap)


def day_window(day: date) -> tuple[datetime, datetime]:
    """The local day's start and end (aware)."""
    start = datetime.combine(day, time(0), tzinfo=clock.local_zone())
    return start, start + timedelta(days=1)


def coverage_for_day(*, checkpoint: Checkpoint, day: date) -> DayCoverage:
    """The plan of one local day and the gaps where fewer than the minimum are on duty."""
    start, end = day_window(day)
    shifts = list(
        Shift.objects.filter(checkpoint=checkpoint, starts_at__lt=end, ends_at__gt=start)
        .prefetch_related("assignments__user")
        .order_by("starts_at", "id")
    )
    zone = clock.local_zone()
    # Staff on duty are the volunteers assigned (or who served); absences leave the gap.
    dated = []
    for s in shifts:
        staff = sum(1 for a in s.assignments.all() if a.status != ShiftAssignment.Status.ABSENT)
        dated.append(
            staffing.Shift(s.starts_at.astimezone(zone), s.ends_at.astimezone(zone), staff)
        )
    gaps = staffing.coverage_gaps(
        shifts=dated, window_start=start, window_end=end, minimum_staff=checkpoint.minimum_staff
    )
    hours = []
    for h in range(24):
        left, right = start + timedelta(hours=h), start + timedelta(hours=h + 1)
        staffed = sum(d.staff for d in dated if d.start <= left < d.end)
        gap = any(g.start < right and g.end > left for g in gaps)
        hours.append(HourCoverage(h, staffed, checkpoint.minimum_staff, gap))
    return DayCoverage(day=day, shifts=shifts, hours=hours, gaps=gaps)


def volunteers_for(*, checkpoint: Checkpoint) -> QuerySet:
    """The members of the operating organization, who may fill its shifts."""
    if checkpoint.place.operator_id is None:
        return Membership.objects.none()
    return (
        Membership.objects.select_related("user")
        .filter(organization_id=checkpoint.place.operator_id, user__is_active=True)
        .order_by("user__username")
    )


# --- offline bundle ---------------------------------------------------------------------------


def offline_bundle(*, checkpoint: Checkpoint, since: datetime | None) -> dict:
    """What a device needs to decide alone: trust list, non-green subjects, the policy.

    With `since`, only the codes that changed after it (green ones included, so that the device
    drops them): a device keeps its list current over a weak network by small deltas.
    """
    changes, generated_at = hc_selectors.non_green_changes(since=since)
    policy = rules.CheckpointPolicy(yellow_may_enter_own_gate=checkpoint.yellow_may_enter_own_gate)
    home_gate = rules.CheckpointKind(checkpoint.kind) in rules.HOME_GATE_KINDS
    home_subjects: set[str] = set()
    if home_gate and checkpoint.yellow_may_enter_own_gate:
        # Offline, the device cannot know where a yellow resident lives: the bundle marks those
        # of this checkpoint's own area, so that they may go home as the server would let them.
        yellow = [c["subject"] for c in changes if c["color"] == rules.Color.YELLOW]
        home_subjects = _subjects_living_under(yellow, checkpoint.place.region.path)
    non_green = [
        {**c, "home_here": True} if c["subject"] in home_subjects else dict(c) for c in changes
    ]
    return {
        "checkpoint": {
            "id": checkpoint.pk,
            "name": checkpoint.place.name,
            "kind": checkpoint.kind,
            "yellow_may_enter_own_gate": checkpoint.yellow_may_enter_own_gate,
            "fever_threshold_c": str(policy.fever_threshold_c),
            "plausible_min_c": str(policy.plausible_min_c),
            "plausible_max_c": str(policy.plausible_max_c),
            "temperature_required_on_entry": policy.temperature_required_on_entry,
            "max_age_seconds": int(policy.offline_bundle_max_age.total_seconds()),
        },
        "trust_list": {"keys": hc_selectors.trust_list_entries()},
        "non_green": non_green,
        "full": since is None,
        "since": since,
        "generated_at": generated_at,
    }


def _subjects_living_under(subjects: list[str], path: str) -> set[str]:
    found: set[str] = set()
    for i in range(0, len(subjects), 500):
        found.update(
            Person.objects.filter(
                public_id__in=subjects[i : i + 500], home_region__path__startswith=path
            ).values_list("public_id", flat=True)
        )
    return found


# --- statistics -------------------------------------------------------------------------------

_COUNTS = {
    "scans": Count("id"),
    "passed": Count("id", filter=Q(decision=rules.Decision.PASS)),
    "denied": Count("id", filter=Q(decision=rules.Decision.DENY)),
    "referred": Count("id", filter=Q(decision=rules.Decision.REFER)),
    "fevers": Count("id", filter=Q(fever=True)),
    "offline": Count("id", filter=~Q(offline_decision="")),
}


def scan_counts_by_hour(*, checkpoint: Checkpoint, day: date) -> list[dict]:
    """Scans, passes, denials, referrals and fevers per local hour of one day (24 rows)."""
    start, end = day_window(day)
    rows = (
        Scan.objects.filter(checkpoint=checkpoint, scanned_at__gte=start, scanned_at__lt=end)
        .annotate(hour=TruncHour("scanned_at", tzinfo=clock.local_zone()))
        .values("hour")
        .annotate(**_COUNTS)
    )
    by_hour = {r["hour"].astimezone(clock.local_zone()).hour: r for r in rows}
    empty = dict.fromkeys(_COUNTS, 0)
    return [{"hour": h, **{k: by_hour.get(h, empty)[k] for k in _COUNTS}} for h in range(24)]


def scan_counts_by_region(*, scope: Scope, region, start: datetime, end: datetime) -> list[dict]:
    """Scan counts of checkpoints in scope under `region`, summed per region directly below it."""
    rows = (
        Scan.objects.filter(
            scope.q(
                region_field="checkpoint__place__region", org_field="checkpoint__place__operator_id"
            ),
            checkpoint__place__region__path__startswith=region.path,
            scanned_at__gte=start,
            scanned_at__lt=end,
        )
        .values("checkpoint__place__region__path")
        .annotate(**_COUNTS)
    )
    children = {c.code: c for c in Region.objects.filter(parent=region).order_by("code")}
    totals: dict[str, dict] = defaultdict(lambda: dict.fromkeys(_COUNTS, 0))
    depth = len([p for p in region.path.split("/") if p])
    for row in rows:
        parts = [p for p in row["checkpoint__place__region__path"].split("/") if p]
        code = parts[depth] if len(parts) > depth else region.code
        for k in _COUNTS:
            totals[code][k] += row[k]
    out = []
    for code, counts in sorted(totals.items()):
        child = children.get(code)
        out.append(
            {
                "region": code,
                "name": child.name if child else region.name,
                **counts,
            }
        )
    return out


def scan_recent(*, checkpoint: Checkpoint, limit: int = 20) -> QuerySet[Scan]:
    """The latest scans at a checkpoint (staff see decisions and opaque ids, not names)."""
    return Scan.objects.filter(checkpoint=checkpoint).order_by("-scanned_at", "-id")[:limit]
