"""Parks, enterprises, resumption reports and their aggregates."""

from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.http import HttpRequest
from ninja import Field, Query, Schema, Status

from coproduce.accounts.permissions import authorize
from coproduce.core import clock
from coproduce.core.api import Id, InputSchema, Limit, Offset, SafeDate
from coproduce.core.errors import NotFound, ValidationFailed
from coproduce.core.exports import table_response
from coproduce.recovery import rules, selectors, services
from coproduce.recovery.api.base import _association, _region, router
from coproduce.recovery.exports import resumption_header, resumption_rows
from coproduce.recovery.scope import enterprise_scope
from coproduce.recovery.selectors import resumption as figures
from coproduce.regions.models import Region

# --- parks and enterprises ------------------------------------------------------------------------


class ParkIn(InputSchema):
    name: str = Field(min_length=1, max_length=200)
    region: str = Field(max_length=20)


class ParkOut(Schema):
    id: int
    name: str
    region: str


@router.post("/parks", response={201: ParkOut})
def park_create(request: HttpRequest, payload: ParkIn):
    """Register an industrial park (a health official of its region, or an admin)."""
    park = services.park_create(
        actor=request.user, name=payload.name, region=_region(payload.region)
    )
    return Status(201, {"id": park.pk, "name": park.name, "region": park.region_id})


@router.get("/parks", response=list[ParkOut])
def park_list(
    request: HttpRequest,
    region: str = Query("", max_length=20),
    limit: Limit = 100,
    offset: Offset = 0,
):
    """Parks in the caller's regions."""
    scope = authorize(request.user, "recovery.view")
    qs = selectors.park_list(scope=scope)
    if region:
        qs = qs.filter(region__path__startswith=_region(region).path)
    return [
        {"id": p.pk, "name": p.name, "region": p.region_id} for p in qs[offset : offset + limit]
    ]


class EnterpriseIn(InputSchema):
    name: str = Field(min_length=1, max_length=200)
    industry: str = Field(max_length=32)
    size_class: str = Field(max_length=8)
    workers_total: int = Field(ge=0, le=1_000_000)
    region: str = Field(max_length=20)
    park: int | None = None
    associations: list[str] = Field(default_factory=list, max_length=20)
    lat: Decimal | None = Field(default=None, max_digits=9, decimal_places=6)
    lon: Decimal | None = Field(default=None, max_digits=9, decimal_places=6)


class EnterpriseOut(Schema):
    id: int
    name: str
    industry: str
    size_class: str
    workers_total: int
    region: str
    park: int | None
    associations: list[str]
    lat: Decimal | None
    lon: Decimal | None


def enterprise_out(ent) -> dict:
    return {
        "id": ent.pk,
        "name": ent.name,
        "industry": ent.industry,
        "size_class": ent.size_class,
        "workers_total": ent.workers_total,
        "region": ent.region_id,
        "park": ent.park_id,
        "associations": sorted(ent.associations.values_list("slug", flat=True)),
        "lat": ent.lat,
        "lon": ent.lon,
    }


@router.post("/enterprises", response={201: EnterpriseOut})
def enterprise_create(request: HttpRequest, payload: EnterpriseIn):
    """Register an enterprise (its representative, its association's staff, or an official)."""
    region = _region(payload.region)
    park = None
    if payload.park is not None:
        try:
            park = selectors.park_get(
                park_id=payload.park, scope=authorize(request.user, "recovery.enterprises")
            )
        except NotFound:
            raise ValidationFailed.field("park", "No such park in your scope.") from None
    ent = services.enterprise_create(
        actor=request.user,
        name=payload.name,
        industry=payload.industry,
        size_class=payload.size_class,
        workers_total=payload.workers_total,
        region=region,
        park=park,
        associations=payload.associations,
        lat=payload.lat,
        lon=payload.lon,
    )
    return Status(201, enterprise_out(ent))


@router.get("/enterprises", response=list[EnterpriseOut])
def enterprise_list(
    request: HttpRequest,
    association: str = Query("", max_length=80),
    limit: Limit = 100,
    offset: Offset = 0,
):
    """The enterprises the caller may see (their own, their members, their region)."""
    scope = enterprise_scope(request.user, "recovery.view")
    assoc = _association(association).pk if association else None
    qs = selectors.enterprise_list(scope=scope, association_id=assoc).prefetch_related(
        "associations"
    )
    return [enterprise_out(e) for e in qs[offset : offset + limit]]


@router.get("/enterprises/{enterprise_id}", response=EnterpriseOut)
def enterprise_detail(request: HttpRequest, enterprise_id: Id):
    """One enterprise in scope; others answer 404."""
    scope = enterprise_scope(request.user, "recovery.view")
    return enterprise_out(selectors.enterprise_get(enterprise_id=enterprise_id, scope=scope))


class MembershipIn(InputSchema):
    association: str = Field(max_length=80)


@router.post("/enterprises/{enterprise_id}/associations", response={201: EnterpriseOut})
def enterprise_join(request: HttpRequest, enterprise_id: Id, payload: MembershipIn):
    """Add an enterprise of the caller's region to the caller's association."""
    scope = authorize(request.user, "recovery.enterprises")
    ent = selectors.enterprise_get_in_region(enterprise_id=enterprise_id, scope=scope)
    services.enterprise_membership_add(
        actor=request.user, enterprise=ent, association=_association(payload.association)
    )
    return Status(201, enterprise_out(ent))


class RepresentativeIn(InputSchema):
    username: str = Field(max_length=150)


@router.post("/enterprises/{enterprise_id}/representatives", response={201: dict})
def enterprise_representative(request: HttpRequest, enterprise_id: Id, payload: RepresentativeIn):
    """Let a user act for the enterprise (they also need an enterprise_rep role over it)."""
    scope = enterprise_scope(request.user, "recovery.enterprises")
    ent = selectors.enterprise_get(enterprise_id=enterprise_id, scope=scope)
    user = get_user_model().objects.filter(username=payload.username).first()
    if user is None:
        raise ValidationFailed.field("username", "No such user.")
    services.enterprise_representative_add(actor=request.user, enterprise=ent, user=user)
    return Status(201, {"enterprise": ent.pk, "username": user.username})


# --- resumption reports ---------------------------------------------------------------------------


class ReportIn(InputSchema):
    date: SafeDate
    open: bool
    workers_on_site: int = Field(ge=0, le=1_000_000)
    capacity_pct: int | None = Field(default=None, ge=0, le=100)
    blockers: list[str] = Field(default_factory=list, max_length=10)
    note: str = Field(default="", max_length=500)


class ReportOut(Schema):
    id: int
    enterprise: int
    date: date
    open: bool
    workers_on_site: int
    capacity_pct: int | None
    blockers: list[str]
    note: str


def report_out(r) -> dict:
    return {
        "id": r.pk,
        "enterprise": r.enterprise_id,
        "date": r.date,
        "open": r.open,
        "workers_on_site": r.workers_on_site,
        "capacity_pct": r.capacity_pct,
        "blockers": r.blockers,
        "note": r.note,
    }


@router.post("/enterprises/{enterprise_id}/resumption-reports", response={201: ReportOut})
def report_create(request: HttpRequest, enterprise_id: Id, payload: ReportIn):
    """File the enterprise's report for a day: a second for the day is 409; impossible figures
    (more workers on site than the enterprise has) 422 with the field."""
    report = services.resumption_report_create(
        actor=request.user,
        enterprise_id=enterprise_id,
        date=payload.date,
        open=payload.open,
        workers_on_site=payload.workers_on_site,
        capacity_pct=payload.capacity_pct,
        blockers=payload.blockers,
        note=payload.note,
    )
    return Status(201, report_out(report))


@router.get("/enterprises/{enterprise_id}/resumption-reports", response=list[ReportOut])
def report_list(
    request: HttpRequest,
    enterprise_id: Id,
    limit: int = Query(60, ge=1, le=1000),
    offset: Offset = 0,
):
    """An enterprise's reports, newest first (within scope)."""
    scope = enterprise_scope(request.user, "recovery.view")
    ent = selectors.enterprise_get(enterprise_id=enterprise_id, scope=scope)
    return [report_out(r) for r in selectors.report_list(enterprise=ent)[offset : offset + limit]]


# --- aggregates -----------------------------------------------------------------------------------


class ResumptionOut(Schema):
    region: str
    date: date
    industry: str
    parks_total: int
    parks_reopened: int
    parks_reopened_pct: Decimal
    enterprises_total: int
    enterprises_open: int
    workers_total: int
    workers_on_site: int
    production_resumption_pct: Decimal
    capacity_weighted_pct: Decimal
    all_workers_total: int
    all_workers_on_site: int
    all_production_resumption_pct: Decimal


def resumption_out(region: Region, on: date, industry: str, r: rules.Resumption) -> dict:
    return {
        "region": region.code,
        "date": on,
        "industry": industry,
        "parks_total": r.parks_total,
        "parks_reopened": r.parks_reopened,
        "parks_reopened_pct": r.parks_reopened_pct,
        "enterprises_total": r.enterprises_total,
        "enterprises_open": r.enterprises_open,
        "workers_total": r.workers_total,
        "workers_on_site": r.workers_on_site,
        "production_resumption_pct": r.production_resumption_pct,
        "capacity_weighted_pct": r.capacity_weighted_pct,
        "all_workers_total": r.all_workers_total,
        "all_workers_on_site": r.all_workers_on_site,
        "all_production_resumption_pct": r.all_production_resumption_pct,
    }


def _figures_args(request, region: str, on: date | None, industry: str):
    scope = authorize(request.user, "recovery.aggregates")
    where = _region(region)
    if industry and industry not in {i.value for i in rules.Industry}:
        raise ValidationFailed.field("industry", "Not a known industry.")
    return scope, where, on or clock.today()


@router.get("/recovery/resumption", response=ResumptionOut)
def resumption(
    request: HttpRequest,
    region: str = Query(..., max_length=20),
    date: SafeDate | None = None,
    industry: str = Query("", max_length=32),
):
    """The resumption figures of a region on a date (definitions in rules.Resumption)."""
    scope, where, on = _figures_args(request, region, date, industry)
    r = figures.resumption_on(scope=scope, region=where, on=on, industry=industry)
    return resumption_out(where, on, industry, r)


@router.get("/recovery/resumption/regions", response=list[ResumptionOut])
def resumption_regions(
    request: HttpRequest,
    region: str = Query(..., max_length=20),
    date: SafeDate | None = None,
    industry: str = Query("", max_length=32),
):
    """The figures of each child region (drilling down the tree)."""
    scope, where, on = _figures_args(request, region, date, industry)
    rows = figures.resumption_by_child(scope=scope, region=where, on=on, industry=industry)
    return [resumption_out(child, on, industry, r) for child, r in rows]


@router.get("/recovery/resumption/industries", response=list[ResumptionOut])
def resumption_industries(
    request: HttpRequest, region: str = Query(..., max_length=20), date: SafeDate | None = None
):
    """The figures of each industry in the region."""
    scope, where, on = _figures_args(request, region, date, "")
    rows = figures.resumption_by_industry(scope=scope, region=where, on=on)
    return [resumption_out(where, on, industry, r) for industry, r in rows]


@router.get("/recovery/resumption/trend", response=list[ResumptionOut])
def resumption_trend(
    request: HttpRequest,
    region: str = Query(..., max_length=20),
    start: SafeDate | None = None,
    end: SafeDate | None = None,
    industry: str = Query("", max_length=32),
):
    """The figures of each day from `start` to `end` (at most 366 days; default the last 14)."""
    scope, where, end = _figures_args(request, region, end, industry)
    start = start or date.fromordinal(end.toordinal() - 13)
    if start > end or (end - start).days > 365:
        raise ValidationFailed.field("start", "From 1 to 366 days, start before end.")
    rows = figures.resumption_series(
        scope=scope, region=where, start=start, end=end, industry=industry
    )
    return [resumption_out(where, day, industry, r) for day, r in rows]


class BlockerOut(Schema):
    blocker: str
    reports: int


@router.get("/recovery/resumption/blockers", response=list[BlockerOut])
def resumption_blockers(
    request: HttpRequest,
    region: str = Query(..., max_length=20),
    start: SafeDate | None = None,
    end: SafeDate | None = None,
):
    """The blockers most reported in the region over the days (default the last 7)."""
    scope, where, end = _figures_args(request, region, end, "")
    start = start or date.fromordinal(end.toordinal() - 6)
    rows = figures.blockers_top(scope=scope, region=where, start=start, end=end)
    return [{"blocker": b, "reports": n} for b, n in rows]


@router.get("/recovery/resumption.csv")
def resumption_csv(
    request: HttpRequest,
    region: str = Query(..., max_length=20),
    date: SafeDate | None = None,
    industry: str = Query("", max_length=32),
):
    """The resumption table of the region's children and its total, as CSV."""
    return _export(request, "csv", region, date, industry)


@router.get("/recovery/resumption.xlsx")
def resumption_xlsx(
    request: HttpRequest,
    region: str = Query(..., max_length=20),
    date: SafeDate | None = None,
    industry: str = Query("", max_length=32),
):
    """The resumption table of the region's children and its total, as XLSX."""
    return _export(request, "xlsx", region, date, industry)


def _export(request, fmt: str, region: str, date, industry: str):
    scope, where, on = _figures_args(request, region, date, industry)
    rows = resumption_rows(scope=scope, region=where, on=on, industry=industry)
    return table_response(
        fmt=fmt,
        filename=f"resumption-{where.code}-{on.isoformat()}",
        header=resumption_header(),
        rows=rows,
        title="resumption",
    )
