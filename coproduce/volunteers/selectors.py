"""Reads for volunteers, always within a scope (or the volunteer's own records)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from coproduce.accounts.permissions import Scope
from coproduce.core import clock
from coproduce.core.errors import NotAuthenticated, NotFound, PermissionDenied
from coproduce.regions.models import Region
from coproduce.volunteers import rules
from coproduce.volunteers.models import Call, ServiceRecord, Signup, Team, VolunteerProfile

# Where the reports take the stage dates from: the paper's by default. The stages app (above this
# one) may set STAGE_STARTS["provider"] in its AppConfig.ready() to a function of the region.
STAGE_STARTS: dict[str, Callable[[Region | None], tuple[tuple[int, date], ...]]] = {
    "provider": lambda region: rules.PAPER_STAGE_STARTS
}


def volunteer_of_user(*, user) -> VolunteerProfile | None:
    """The user's own volunteer profile, if they have one."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        VolunteerProfile.objects.select_related("home_region", "user")
        .prefetch_related("organizations")
        .filter(user=user, active=True)
        .first()
    )


def volunteer_require(*, user) -> VolunteerProfile:
    """The caller's own volunteer profile; PermissionDenied until they register as one."""
    profile = volunteer_of_user(user=user)
    if profile is None:
        if not getattr(user, "is_authenticated", False):
            raise NotAuthenticated(_("Sign in, or send an API token."))
        raise PermissionDenied(_("Register as a volunteer first."), code="not_a_volunteer")
    return profile


def volunteer_list(*, scope: Scope, search: str = "") -> QuerySet[VolunteerProfile]:
    """Volunteers living in scope or, for organization-bound roles, of the organization."""
    if scope.everywhere:
        qs = VolunteerProfile.objects.all()
    else:
        q = Q(pk__in=[])
        for grant in scope.grants:
            part = Q(home_region__path__startswith=grant.region_path)
            if grant.organization_id is not None:
                # A coordinator sees their organization's volunteers, wherever they live.
                part = Q(organizations=grant.organization_id)
            q |= part
        qs = VolunteerProfile.objects.filter(pk__in=VolunteerProfile.objects.filter(q).values("pk"))
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(phone__startswith=search))
    return qs.select_related("home_region").prefetch_related("organizations").order_by("name")


def volunteer_get(*, public_id: str, scope: Scope) -> VolunteerProfile:
    """One volunteer in scope, or NotFound."""
    profile = volunteer_list(scope=scope).filter(public_id=public_id).first()
    if profile is None:
        raise NotFound(_("No such volunteer in your scope."), code="volunteer_not_found")
    return profile


def team_list(*, scope: Scope) -> QuerySet[Team]:
    """Teams of organizations in scope, with their members counted."""
    return (
        Team.objects.filter(scope.q(region_field="region", org_field="organization"))
        .select_related("organization", "region", "leader")
        .annotate(member_count=Count("members"))
        .order_by("organization__name", "name")
    )


def team_get(*, team_id: int, scope: Scope) -> Team:
    """One team in scope, or NotFound."""
    team = team_list(scope=scope).filter(pk=team_id).first()
    if team is None:
        raise NotFound(_("No such team in your scope."), code="team_not_found")
    return team


def call_list(*, scope: Scope, upcoming_from: datetime | None = None) -> QuerySet[Call]:
    """Calls of organizations in scope, soonest first."""
    qs = Call.objects.filter(scope.q(region_field="region", org_field="organization"))
    if upcoming_from is not None:
        qs = qs.filter(end__gt=upcoming_from)
    return qs.select_related("organization", "region", "place", "team").order_by("start", "id")


def call_get(*, call_id: int, scope: Scope) -> Call:
    """One call in scope, or NotFound."""
    call = call_list(scope=scope).filter(pk=call_id).first()
    if call is None:
        raise NotFound(_("No such call in your scope."), code="call_not_found")
    return call


def calls_in_range(*, volunteer: VolunteerProfile, now: datetime) -> QuerySet[Call]:
    """Open calls a volunteer may join: serving their home region or from their organizations."""
    org_ids = [o.pk for o in volunteer.organizations.all()]
    return (
        Call.objects.filter(status=Call.Status.OPEN, start__gt=now)
        .filter(
            Q(region__path__in=rules.ancestor_paths(volunteer.home_region.path))
            | Q(organization_id__in=org_ids)
        )
        .select_related("organization", "region", "place")
        .order_by("start", "id")
    )


def call_for_volunteer(*, call_id: int, volunteer: VolunteerProfile) -> Call:
    """A call the volunteer may see (in range, open or not), or NotFound."""
    org_ids = [o.pk for o in volunteer.organizations.all()]
    call = (
        Call.objects.filter(pk=call_id)
        .filter(
            Q(region__path__in=rules.ancestor_paths(volunteer.home_region.path))
            | Q(organization_id__in=org_ids)
        )
        .first()
    )
    if call is None:
        raise NotFound(_("No such call for you."), code="call_not_found")
    return call


def signups_of(*, volunteer: VolunteerProfile, active_only: bool = True) -> QuerySet[Signup]:
    """The volunteer's own sign-ups, soonest first."""
    qs = Signup.objects.filter(volunteer=volunteer).select_related(
        "call", "call__organization", "call__place"
    )
    if active_only:
        qs = qs.filter(status=Signup.Status.ACTIVE)
    return qs.order_by("start")


def signups_of_call(*, call: Call) -> QuerySet[Signup]:
    """Who signed up for a call (the caller already holds the call in scope)."""
    return call.signups.filter(status=Signup.Status.ACTIVE).select_related("volunteer")


def record_list(
    *, scope: Scope, status: str | None = None, volunteer: VolunteerProfile | None = None
) -> QuerySet[ServiceRecord]:
    """Service records in scope (by where they were served and for which organization)."""
    qs = ServiceRecord.objects.filter(scope.q(region_field="region", org_field="organization"))
    if status:
        qs = qs.filter(status=status)
    if volunteer is not None:
        qs = qs.filter(volunteer=volunteer)
    return qs.select_related("volunteer", "place", "organization", "region").order_by(
        "-start", "-id"
    )


def record_get(*, record_id: int, scope: Scope) -> ServiceRecord:
    """One service record in scope, or NotFound."""
    record = record_list(scope=scope).filter(pk=record_id).first()
    if record is None:
        raise NotFound(_("No such service record in your scope."), code="record_not_found")
    return record


def records_of(*, volunteer: VolunteerProfile) -> QuerySet[ServiceRecord]:
    """The volunteer's own records, newest first."""
    return (
        ServiceRecord.objects.filter(volunteer=volunteer)
        .select_related("place", "organization")
        .order_by("-start", "-id")
    )


@dataclass(frozen=True)
class ReportRow:
    """One group of a report: volunteers who served and the confirmed hours they earned."""

    key: str
    label: str
    volunteers: int
    records: int
    minutes: int

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 1)


REPORT_DIMENSIONS = ("region", "organization", "activity", "stage")


def _confirmed(scope: Scope, region: Region | None, start, end) -> QuerySet[ServiceRecord]:
    qs = ServiceRecord.objects.filter(
        scope.q(region_field="region", org_field="organization"),
        status=ServiceRecord.Status.CONFIRMED,
    )
    if region is not None:
        qs = qs.filter(region__path__startswith=region.path)
    if start is not None:
        qs = qs.filter(start__gte=start)
    if end is not None:
        qs = qs.filter(start__lt=end)
    return qs


def volunteer_report(
    *, scope: Scope, by: str, region: Region | None = None, start=None, end=None
) -> list[ReportRow]:
    """Volunteers mobilized and confirmed hours by region (one level down), organization,
    activity or stage, within the caller's scope."""
    qs = _confirmed(scope, region, start, end)
    stats = {"volunteers": Count("volunteer", distinct=True), "records": Count("id")}
    if by == "organization":
        rows = qs.values("organization__slug", "organization__name").annotate(
            **stats, minutes=Sum("minutes")
        )
        return sorted(
            (
                ReportRow(
                    r["organization__slug"] or "-",
                    r["organization__name"] or "-",
                    r["volunteers"],
                    r["records"],
                    r["minutes"] or 0,
                )
                for r in rows
            ),
            key=lambda r: -r.minutes,
        )
    if by == "activity":
        labels = dict(ServiceRecord._meta.get_field("activity").choices)
        rows = qs.values("activity").annotate(**stats, minutes=Sum("minutes"))
        return sorted(
            (
                ReportRow(
                    r["activity"],
                    str(labels.get(r["activity"], r["activity"])),
                    r["volunteers"],
                    r["records"],
                    r["minutes"] or 0,
                )
                for r in rows
            ),
            key=lambda r: -r.minutes,
        )
    if by == "stage":
        starts = STAGE_STARTS["provider"](region)
        totals: dict[int | None, tuple[set, int, int]] = {}
        for vol, when, minutes in qs.values_list("volunteer_id", "start", "minutes").iterator():
            stage = rules.stage_of(clock.local_date(when), starts)
            vols, n, total = totals.get(stage, (set(), 0, 0))
            vols.add(vol)
            totals[stage] = (vols, n + 1, total + minutes)
        return [
            ReportRow(str(stage), f"{stage or '-'}", len(v), n, m)
            for stage, (v, n, m) in sorted(totals.items(), key=lambda kv: kv[0] or 0)
        ]
    if by == "region":
        parent = region
        if parent is None and not scope.everywhere and scope.grants:
            top = min((g.region_path for g in scope.grants), key=len)
            parent = Region.objects.filter(path=top).first()
        children = (
            Region.objects.filter(parent=parent)
            if parent
            else Region.objects.filter(parent__isnull=True)
        )
        result = []
        for child in children.order_by("code"):
            agg = qs.filter(region__path__startswith=child.path).aggregate(
                **stats, minutes=Sum("minutes")
            )
            if agg["records"]:
                result.append(
                    ReportRow(
                        child.code,
                        child.name,
                        agg["volunteers"],
                        agg["records"],
                        agg["minutes"] or 0,
                    )
                )
        return sorted(result, key=lambda r: -r.minutes)
    raise ValueError(f"unknown report dimension {by!r}")


def volunteer_totals(*, scope: Scope, region: Region | None = None) -> dict:
    """Headline figures: volunteers registered in scope, mobilized (served), confirmed hours."""
    qs = _confirmed(scope, region, None, None)
    agg = qs.aggregate(v=Count("volunteer", distinct=True), m=Sum("minutes"))
    registered = volunteer_list(scope=scope)
    if region is not None:
        registered = registered.filter(home_region__path__startswith=region.path)
    return {
        "registered": registered.count(),
        "mobilized": agg["v"] or 0,
        "minutes": agg["m"] or 0,
        "officials": registered.filter(is_official=True).count(),
    }
