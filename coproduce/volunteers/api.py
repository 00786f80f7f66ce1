"""Volunteers, teams, calls, sign-ups and service records: /volunteers, /teams, /calls,
/service-records. A volunteer acts on their own profile; staff act within their scope."""

from datetime import datetime

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from coproduce.accounts.permissions import authorize, scope_for
from coproduce.core import clock
from coproduce.core.api import Id, InputSchema, Limit, Offset, SafeDateTime
from coproduce.core.errors import NotFound, ValidationFailed
from coproduce.orgs.models import Organization
from coproduce.places.models import Place
from coproduce.regions.selectors import region_get
from coproduce.volunteers import selectors, services
from coproduce.volunteers.models import Call, ServiceRecord, Signup, Team, VolunteerProfile

router = Router(tags=["volunteers"])


class VolunteerIn(InputSchema):
    name: str = Field(max_length=100)
    home_region: str = Field(max_length=20)
    phone: str = Field(default="", max_length=20)
    skills: list[str] = Field(default_factory=list, max_length=20)
    availability: str = Field(default="", max_length=200)
    is_official: bool | None = None
    organization: str | None = Field(default=None, max_length=80)  # a coordinator registering
    username: str = Field(default="", max_length=150)


class VolunteerPatch(InputSchema):
    skills: list[str] | None = Field(default=None, max_length=20)
    availability: str | None = Field(default=None, max_length=200)
    phone: str | None = Field(default=None, max_length=20)
    is_official: bool | None = None


class VolunteerOut(Schema):
    id: str
    name: str
    home_region: str
    skills: list[str]
    availability: str
    is_official: bool
    organizations: list[str]


class TeamIn(InputSchema):
    organization: str = Field(max_length=80)
    name: str = Field(max_length=100)
    region: str = Field(max_length=20)


class TeamOut(Schema):
    id: int
    organization: str
    name: str
    region: str
    members: int


class MemberIn(InputSchema):
    volunteer: str = Field(max_length=16)


class CallIn(InputSchema):
    organization: str = Field(max_length=80)
    title: str = Field(max_length=200)
    activity: str = Field(default="other", max_length=16)
    region: str = Field(max_length=20)
    place: str | None = Field(default=None, max_length=40)
    start: SafeDateTime
    end: SafeDateTime
    capacity: int = Field(ge=1, le=10_000)
    required_skills: list[str] = Field(default_factory=list, max_length=20)
    team: Id | None = None
    description: str = Field(default="", max_length=4000)


class CallOut(Schema):
    id: int
    organization: str
    title: str
    activity: str
    region: str
    place: str | None
    start: datetime
    end: datetime
    capacity: int
    taken: int
    required_skills: list[str]
    status: str


class SignupOut(Schema):
    id: int
    call: int
    volunteer: str
    status: str
    start: datetime
    end: datetime


class RecordIn(InputSchema):
    volunteer: str = Field(max_length=16)
    start: SafeDateTime
    end: SafeDateTime
    activity: str = Field(max_length=16)
    place: str | None = Field(default=None, max_length=40)
    organization: str | None = Field(default=None, max_length=80)
    note: str = Field(default="", max_length=300)


class VolunteerScanIn(InputSchema):
    payload: str = Field(max_length=40)


class ReasonIn(InputSchema):
    reason: str = Field(max_length=300)


class RecordOut(Schema):
    id: int
    volunteer: str
    activity: str
    place: str | None
    region: str
    organization: str | None
    start: datetime
    end: datetime | None
    minutes: int
    status: str
    method: str
    source: str
    reason: str


class VolunteerReportRowOut(Schema):
    key: str
    label: str
    volunteers: int
    records: int
    minutes: int


def volunteer_out(v: VolunteerProfile) -> dict:
    return {
        "id": v.public_id,
        "name": v.name,
        "home_region": v.home_region_id,
        "skills": v.skills,
        "availability": v.availability,
        "is_official": v.is_official,
        "organizations": [o.slug for o in v.organizations.all()],
    }


def team_out(t: Team) -> dict:
    return {
        "id": t.pk,
        "organization": t.organization.slug,
        "name": t.name,
        "region": t.region_id,
        "members": t.members.count(),
    }


def call_out(c: Call) -> dict:
    return {
        "id": c.pk,
        "organization": c.organization.slug,
        "title": c.title,
        "activity": c.activity,
        "region": c.region_id,
        "place": c.place.code if c.place_id else None,
        "start": c.start,
        "end": c.end,
        "capacity": c.capacity,
        "taken": c.taken,
        "required_skills": c.required_skills,
        "status": c.status,
    }


def signup_out(s: Signup) -> dict:
    return {
        "id": s.pk,
        "call": s.call_id,
        "volunteer": s.volunteer.public_id,
        "status": s.status,
        "start": s.start,
        "end": s.end,
    }


def record_out(r: ServiceRecord) -> dict:
    return {
        "id": r.pk,
        "volunteer": r.volunteer.public_id,
        "activity": r.activity,
        "place": r.place.code if r.place_id else None,
        "region": r.region_id,
        "organization": r.organization.slug if r.organization_id else None,
        "start": r.start,
        "end": r.end,
        "minutes": r.minutes,
        "status": r.status,
        "method": r.method,
        "source": r.source,
        "reason": r.reason,
    }


def _org(slug: str, field: str = "organization") -> Organization:
    org = Organization.objects.select_related("home_region").filter(slug=slug).first()
    if org is None:
        raise ValidationFailed.field(field, f"No organization {slug!r}.")
    return org


def _region(code: str, field: str):
    try:
        return region_get(code=code)
    except NotFound:
        raise ValidationFailed.field(field, f"No region has the code {code!r}.") from None


def _place(code: str | None) -> Place | None:
    if not code:
        return None
    place = Place.objects.select_related("region", "operator").filter(code=code).first()
    if place is None:
        raise ValidationFailed.field("place", f"No place has the code {code!r}.")
    return place


@router.post("/volunteers", response={201: VolunteerOut})
def volunteer_register(request: HttpRequest, payload: VolunteerIn):
    """Register yourself as a volunteer, or (a coordinator) register one for your organization."""
    home = _region(payload.home_region, "home_region")
    org = None
    if payload.organization:
        org = _org(payload.organization)
        authorize(request.user, "volunteers.register", region=home, organization_id=org.pk)
        authorize(
            request.user, "volunteers.register", region=org.home_region, organization_id=org.pk
        )
    profile = services.volunteer_register(
        actor=request.user,
        user=None if org else request.user,
        organization=org,
        home_region=home,
        **payload.model_dump(exclude={"home_region", "organization"}),
    )
    return Status(201, volunteer_out(profile))


@router.get("/volunteers", response=list[VolunteerOut])
def volunteer_list(
    request: HttpRequest,
    q: str = Query("", max_length=100),
    limit: Limit = 100,
    offset: Offset = 0,
):
    """Volunteers in the caller's scope."""
    scope = authorize(request.user, "volunteers.view")
    return [
        volunteer_out(v)
        for v in selectors.volunteer_list(scope=scope, search=q)[offset : offset + limit]
    ]


@router.get("/volunteers/me", response=VolunteerOut)
def volunteer_me(request: HttpRequest):
    """Your own volunteer profile."""
    return volunteer_out(selectors.volunteer_require(user=request.user))


@router.patch("/volunteers/me", response=VolunteerOut)
def volunteer_me_update(request: HttpRequest, payload: VolunteerPatch):
    """Change your skills, availability or phone."""
    me = selectors.volunteer_require(user=request.user)
    changes = payload.model_dump(exclude_unset=True, exclude={"is_official"})
    return volunteer_out(services.volunteer_update(volunteer=me, actor=request.user, **changes))


@router.post("/teams", response={201: TeamOut})
def team_create(request: HttpRequest, payload: TeamIn):
    """Make a team within an organization."""
    org = _org(payload.organization)
    region = _region(payload.region, "region")
    authorize(request.user, "volunteers.manage", region=region, organization_id=org.pk)
    team = services.team_create(
        organization=org, name=payload.name, region=region, actor=request.user
    )
    return Status(201, team_out(team))


@router.get("/teams", response=list[TeamOut])
def team_list(request: HttpRequest):
    """Teams in the caller's scope."""
    scope = authorize(request.user, "volunteers.view")
    return [team_out(t) for t in selectors.team_list(scope=scope)]


@router.post("/teams/{team_id}/members", response=TeamOut)
def team_member_add(request: HttpRequest, team_id: Id, payload: MemberIn):
    """Add a volunteer (by public id) to a team."""
    scope = authorize(request.user, "volunteers.manage")
    team = selectors.team_get(team_id=team_id, scope=scope)
    volunteer = VolunteerProfile.objects.filter(public_id=payload.volunteer, active=True).first()
    if volunteer is None:
        raise ValidationFailed.field("volunteer", f"No volunteer {payload.volunteer!r}.")
    return team_out(services.team_member_add(team=team, volunteer=volunteer, actor=request.user))


@router.post("/calls", response={201: CallOut})
def call_create(request: HttpRequest, payload: CallIn):
    """Post a call for volunteers: what, where, when, how many, which skills."""
    org = _org(payload.organization)
    region = _region(payload.region, "region")
    authorize(request.user, "volunteers.manage", region=region, organization_id=org.pk)
    team = Team.objects.filter(pk=payload.team, organization=org).first() if payload.team else None
    if payload.team and team is None:
        raise ValidationFailed.field("team", "No such team in this organization.")
    call = services.call_create(
        organization=org,
        region=region,
        place=_place(payload.place),
        team=team,
        actor=request.user,
        **payload.model_dump(exclude={"organization", "region", "place", "team"}),
    )
    return Status(201, call_out(call))


@router.get("/calls", response=list[CallOut])
def call_list(request: HttpRequest, mine: bool = False):
    """Staff: calls in scope. A volunteer (or `mine=true`): open calls in range for them."""
    now = clock.now()
    scope = scope_for(request.user, "volunteers.view")
    if mine or scope.empty:
        volunteer = selectors.volunteer_require(user=request.user)
        return [call_out(c) for c in selectors.calls_in_range(volunteer=volunteer, now=now)]
    return [call_out(c) for c in selectors.call_list(scope=scope, upcoming_from=now)[:500]]


@router.post("/calls/{call_id}/signups", response={201: SignupOut})
def signup_create(request: HttpRequest, call_id: Id):
    """Sign yourself up for a call in range."""
    volunteer = selectors.volunteer_require(user=request.user)
    call = selectors.call_for_volunteer(call_id=call_id, volunteer=volunteer)
    signup = services.signup_create(call=call, volunteer=volunteer, actor=request.user)
    return Status(201, signup_out(signup))


@router.delete("/calls/{call_id}/signups/mine", response=SignupOut)
def signup_cancel(request: HttpRequest, call_id: Id):
    """Give up your place on a call before it starts."""
    volunteer = selectors.volunteer_require(user=request.user)
    signup = selectors.signups_of(volunteer=volunteer).filter(call_id=call_id).first()
    if signup is None:
        raise NotFound("You are not signed up for this call.", code="signup_not_found")
    return signup_out(services.signup_cancel(signup=signup, actor=request.user))


@router.get("/calls/{call_id}/signups", response=list[SignupOut])
def call_signups(request: HttpRequest, call_id: Id):
    """Who signed up for a call in the caller's scope."""
    scope = authorize(request.user, "volunteers.view")
    call = selectors.call_get(call_id=call_id, scope=scope)
    return [signup_out(s) for s in selectors.signups_of_call(call=call)]


@router.post("/service-records/check-in", response={201: RecordOut})
def check_in(request: HttpRequest, payload: VolunteerScanIn):
    """Check in by scanning the place code of a checkpoint or site."""
    volunteer = selectors.volunteer_require(user=request.user)
    record = services.check_in(volunteer=volunteer, payload=payload.payload, actor=request.user)
    return Status(201, record_out(record))


@router.post("/service-records/check-out", response=RecordOut)
def check_out(request: HttpRequest, payload: VolunteerScanIn):
    """Check out at the same place; the record then waits for a second party's confirmation."""
    volunteer = selectors.volunteer_require(user=request.user)
    return record_out(
        services.check_out(volunteer=volunteer, payload=payload.payload, actor=request.user)
    )


@router.post("/service-records", response={201: RecordOut})
def record_create(request: HttpRequest, payload: RecordIn):
    """A coordinator enters a service record; a second party confirms it before it counts."""
    place = _place(payload.place)
    org = _org(payload.organization) if payload.organization else None
    scope = authorize(request.user, "volunteers.records")
    volunteer = selectors.volunteer_list(scope=scope).filter(public_id=payload.volunteer).first()
    if volunteer is None:
        volunteer = VolunteerProfile.objects.filter(public_id=payload.volunteer).first()
        if volunteer is None:
            raise ValidationFailed.field("volunteer", f"No volunteer {payload.volunteer!r}.")
    region = place.region if place else volunteer.home_region
    if org is None and place is None:
        # Entered for the volunteer's organization that the coordinator runs.
        org = next(
            (o for o in volunteer.organizations.all() if scope.covers(region.path, o.pk)), None
        )
    org_id = org.pk if org else (place.operator_id if place else None)
    authorize(request.user, "volunteers.records", region=region, organization_id=org_id)
    record = services.service_record_create(
        volunteer=volunteer,
        start=payload.start,
        end=payload.end,
        activity=payload.activity,
        source="",
        actor=request.user,
        place=place,
        organization=org,
        note=payload.note,
    )
    return Status(201, record_out(record))


@router.get("/service-records", response=list[RecordOut])
def record_list(
    request: HttpRequest,
    status: str | None = Query(None, max_length=12),
    mine: bool = False,
    limit: Limit = 100,
    offset: Offset = 0,
):
    """Staff: records in scope (`status=pending` to confirm). `mine=true`: your own records."""
    if mine:
        volunteer = selectors.volunteer_require(user=request.user)
        records = selectors.records_of(volunteer=volunteer)
    else:
        scope = authorize(request.user, "volunteers.records")
        records = selectors.record_list(scope=scope, status=status)
    return [record_out(r) for r in records[offset : offset + limit]]


@router.post("/service-records/{record_id}/confirm", response=RecordOut)
def record_confirm(request: HttpRequest, record_id: Id):
    """Confirm a record as a second party: its hours are earned in the Voluntary Bank."""
    scope = authorize(request.user, "volunteers.records")
    record = selectors.record_get(record_id=record_id, scope=scope)
    return record_out(services.service_record_confirm(record=record, actor=request.user))


@router.post("/service-records/{record_id}/reject", response=RecordOut)
def record_reject(request: HttpRequest, record_id: Id, payload: ReasonIn):
    """Refuse a pending record (or close a forgotten check-in), saying why."""
    scope = authorize(request.user, "volunteers.records")
    record = selectors.record_get(record_id=record_id, scope=scope)
    return record_out(
        services.service_record_reject(record=record, actor=request.user, reason=payload.reason)
    )


@router.post("/service-records/{record_id}/void", response=RecordOut)
def record_void(request: HttpRequest, record_id: Id, payload: ReasonIn):
    """An official voids a confirmed record found wrong; its hours are reversed."""
    scope = authorize(request.user, "volunteers.void")
    record = selectors.record_get(record_id=record_id, scope=scope)
    return record_out(
        services.service_record_void(record=record, actor=request.user, reason=payload.reason)
    )


@router.get("/volunteers/report", response=list[VolunteerReportRowOut])
def volunteer_report(
    request: HttpRequest,
    by: str = Query("region", pattern="^(region|organization|activity|stage)$"),
    region: str | None = Query(None, max_length=20),
    start: SafeDateTime | None = None,
    end: SafeDateTime | None = None,
):
    """Volunteers mobilized and confirmed hours by region, organization, activity or stage."""
    scope = authorize(request.user, "volunteers.report")
    where = _region(region, "region") if region else None
    if where is not None:
        authorize(request.user, "volunteers.report", region=where)
    rows = selectors.volunteer_report(scope=scope, by=by, region=where, start=start, end=end)
    return [r.__dict__ for r in rows]
