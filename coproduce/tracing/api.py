"""Contact tracing: /cases, /cases/{id}/contacts, /cases/{id}/rounds, /quarantine-orders."""

from __future__ import annotations

from datetime import date, datetime

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from coproduce.accounts.permissions import authorize, scope_for
from coproduce.core import clock
from coproduce.core.api import Id, InputSchema, Limit, Offset, SafeDate, SafeDateTime
from coproduce.core.errors import NotFound, ValidationFailed
from coproduce.people.selectors import person_get
from coproduce.places.models import Place
from coproduce.regions.selectors import region_get
from coproduce.tracing import selectors, services
from coproduce.tracing.models import Case, QuarantineOrder

router = Router(tags=["tracing"])


class CaseIn(InputSchema):
    resident: str = Field(max_length=16)
    status: str = Field(max_length=20)
    onset_date: SafeDate | None = None
    test_date: SafeDate | None = None
    isolated_at: SafeDateTime | None = None
    reporting_unit: str = Field(default="", max_length=300)
    cluster: str = Field(default="", max_length=60)


class CasePatch(InputSchema):
    status: str | None = Field(default=None, max_length=20)
    onset_date: SafeDate | None = None
    test_date: SafeDate | None = None
    isolated_at: SafeDateTime | None = None
    reporting_unit: str | None = Field(default=None, max_length=300)
    cluster: str | None = Field(default=None, max_length=60)


class CaseOut(Schema):
    id: int
    resident: str
    name: str
    region: str
    status: str
    onset_date: date | None
    test_date: date | None
    reported_at: datetime
    reporting_unit: str
    isolated_at: datetime | None
    closed_on: date | None
    cluster: str


class ContactOut(Schema):
    person: str
    name: str
    home_region: str
    degree: int
    kinds: list[str]
    exposure_date: date
    evidence: list[dict]


class ContactsOut(Schema):
    contacts: list[ContactOut]
    out_of_scope: int


class InterviewIn(InputSchema):
    exposed_at: SafeDateTime
    name: str = Field(default="", max_length=200)
    national_id: str = Field(default="", max_length=32)
    phone: str = Field(default="", max_length=32)
    home_region: str = Field(default="", max_length=20)
    place: str = Field(default="", max_length=20)
    note: str = Field(default="", max_length=400)


class InterviewOut(Schema):
    id: int
    person: str
    exposed_at: datetime


class RoundOut(Schema):
    round: int
    tasks_created: int


class SiteIn(InputSchema):
    name: str = Field(max_length=300)
    region: str = Field(max_length=20)
    capacity: int = Field(ge=1, le=100_000)


class SiteOut(Schema):
    id: int
    name: str
    region: str
    capacity: int
    occupied: int


class QuarantineOrderIn(InputSchema):
    resident: str = Field(max_length=16)
    kind: str = Field(max_length=20)
    start_date: SafeDate
    site: Id | None = None
    reason: str = Field(default="", max_length=30)
    case: Id | None = None
    why: str = Field(default="", max_length=600)


class QuarantineOrderPatch(InputSchema):
    why: str = Field(max_length=600)
    not_before: SafeDate | None = None
    ends_on: SafeDate | None = None


class QuarantineOrderEnd(InputSchema):
    why: str = Field(max_length=600)


class QuarantineOrderOut(Schema):
    id: int
    resident: str
    kind: str
    reason: str
    site: int | None
    start_date: date
    not_before: date | None
    ends_on: date | None
    status: str


def case_out(case: Case) -> dict:
    return {
        "id": case.pk,
        "resident": case.person.public_id,
        "name": case.person.name,
        "region": case.region_id,
        "status": case.status,
        "onset_date": case.onset_date,
        "test_date": case.test_date,
        "reported_at": case.reported_at,
        "reporting_unit": case.reporting_unit,
        "isolated_at": case.isolated_at,
        "closed_on": case.closed_on,
        "cluster": case.cluster,
    }


def order_out(order: QuarantineOrder) -> dict:
    return {
        "id": order.pk,
        "resident": order.person.public_id,
        "kind": order.kind,
        "reason": order.reason,
        "site": order.site_id,
        "start_date": order.start_date,
        "not_before": order.not_before,
        "ends_on": order.ends_on,
        "status": order.status,
    }


def _person(request, public_id: str, permission: str):
    scope = authorize(request.user, permission)
    try:
        return person_get(public_id=public_id, scope=scope)
    except NotFound:
        raise ValidationFailed.field("resident", "No such resident in your scope.") from None


@router.post("/cases", response={201: CaseOut})
def case_report(request: HttpRequest, payload: CaseIn):
    """Report a case: the resident's code turns red (health official of the resident's area)."""
    person = _person(request, payload.resident, "tracing.cases.manage")
    case = services.case_report(
        person=person, actor=request.user, **payload.model_dump(exclude={"resident"})
    )
    return Status(201, case_out(case))


@router.get("/cases", response=list[CaseOut])
def case_list(
    request: HttpRequest,
    status: str = "",
    region: str | None = None,
    cluster: str = "",
    reported_from: SafeDate | None = None,
    reported_to: SafeDate | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
):
    """The line list of cases in scope, newest report first (every case listed is audited)."""
    scope = authorize(request.user, "tracing.cases.view")
    cases = list(
        selectors.case_list(
            scope=scope,
            status=status[:20],
            cluster=cluster[:40],
            region=region_get(code=region) if region else None,
            reported_from=reported_from,
            reported_to=reported_to,
        )[offset : offset + limit]
    )
    services.cases_listed(cases=cases, actor=request.user)
    return [case_out(c) for c in cases]


@router.get("/cases/{case_id}", response=CaseOut)
def case_detail(request: HttpRequest, case_id: Id):
    """One case (the view is audited)."""
    scope = authorize(request.user, "tracing.cases.view")
    case = services.case_open(
        case=selectors.case_get(case_id=case_id, scope=scope), actor=request.user
    )
    return case_out(case)


@router.patch("/cases/{case_id}", response=CaseOut)
def case_update(request: HttpRequest, case_id: Id, payload: CasePatch):
    """Change a case's status or dates; recovered closes it and starts post-discharge observation."""
    scope = authorize(request.user, "tracing.cases.manage")
    case = selectors.case_get(case_id=case_id, scope=scope)
    case = services.case_update(
        case=case, actor=request.user, **payload.model_dump(exclude_unset=True)
    )
    return case_out(case)


def contact_out(contact) -> dict:
    return {
        "person": contact.person.public_id,
        "name": contact.person.name,
        "home_region": contact.person.home_region_id,
        "degree": contact.degree,
        "kinds": contact.kinds,
        "exposure_date": contact.exposure_date,
        "evidence": contact.evidence,
    }


@router.get("/cases/{case_id}/contacts", response=ContactsOut)
def contact_list(request: HttpRequest, case_id: Id):
    """The case's contacts, discovered now; only those in the caller's scope (each view audited)."""
    scope = authorize(request.user, "tracing.contacts.view")
    case = selectors.case_get(case_id=case_id, scope=scope)
    services.contacts_refresh(case=case, actor=request.user)
    contacts, hidden = selectors.contact_list(case=case, scope=scope)
    services.contacts_viewed(contacts=contacts, actor=request.user)
    return {"contacts": [contact_out(c) for c in contacts], "out_of_scope": hidden}


@router.post("/cases/{case_id}/interview-contacts", response={201: InterviewOut})
def interview_contact_add(request: HttpRequest, case_id: Id, payload: InterviewIn):
    """Add a contact named in an interview (matched by ID or phone, else recorded unregistered)."""
    scope = authorize(request.user, "tracing.contacts.add")
    case = selectors.case_get(case_id=case_id, scope=scope)
    place = None
    if payload.place:
        place = Place.objects.filter(code=payload.place).first()
        if place is None:
            raise ValidationFailed.field("place", "No place has this code.")
    item = services.interview_contact_add(
        case=case,
        actor=request.user,
        place=place,
        **payload.model_dump(exclude={"place"}),
    )
    return Status(
        201, {"id": item.pk, "person": item.person.public_id, "exposed_at": item.exposed_at}
    )


@router.post("/cases/{case_id}/rounds", response={201: RoundOut})
def round_start(request: HttpRequest, case_id: Id):
    """Start the next round: contacts become tasks by area for the teams serving it."""
    scope = authorize(request.user, "tracing.rounds.start")
    case = selectors.case_get(case_id=case_id, scope=scope)
    round_, created = services.round_start(case=case, actor=request.user)
    return Status(201, {"round": round_.number, "tasks_created": created})


@router.get("/cases/{case_id}/progress")
def case_progress(request: HttpRequest, case_id: Id):
    """Contacts by degree; per round tasks, done, reached, quarantined, not found, overdue."""
    scope = authorize(request.user, "tracing.progress.view")
    case = selectors.case_get(case_id=case_id, scope=scope)
    progress = selectors.case_progress(case=case, now=clock.now())
    return {
        "contacts": {str(k): v for k, v in progress.contacts.items()},
        "under_order": progress.under_order,
        "rounds": [vars(r) for r in progress.rounds],
    }


@router.get("/clusters/{cluster}/graph")
def chain_graph(request: HttpRequest, cluster: str):
    """The transmission chain of a cluster: cases and contacts in scope as nodes and edges."""
    scope = authorize(request.user, "tracing.progress.view")
    graph = selectors.chain_graph(scope=scope, cluster=cluster[:40])
    return graph


@router.post("/quarantine-sites", response={201: SiteOut})
def site_create(request: HttpRequest, payload: SiteIn):
    """Register a centralized quarantine site with its capacity."""
    region = region_get(code=payload.region)
    authorize(request.user, "tracing.orders.manage", region=region)
    site = services.site_create(
        name=payload.name, region=region, capacity=payload.capacity, actor=request.user
    )
    return Status(201, _site_out(site))


def _site_out(site) -> dict:
    return {
        "id": site.pk,
        "name": site.name,
        "region": site.region_id,
        "capacity": site.capacity,
        "occupied": site.occupied,
    }


@router.get("/quarantine-sites", response=list[SiteOut])
def site_list(request: HttpRequest):
    """Quarantine sites in scope with their occupancy."""
    scope = authorize(request.user, "tracing.orders.view")
    return [_site_out(s) for s in selectors.site_list(scope=scope)]


@router.post("/quarantine-orders", response={201: QuarantineOrderOut, 200: QuarantineOrderOut})
def order_create(request: HttpRequest, payload: QuarantineOrderIn):
    """Order quarantine; the same kind again answers 200 with the order in force; a milder 409."""
    person = _person(request, payload.resident, "tracing.orders.manage")
    scope = scope_for(request.user, "tracing.orders.manage")
    site = case = None
    if payload.site is not None:
        try:
            site = selectors.site_get(site_id=payload.site, scope=scope)
        except NotFound:
            raise ValidationFailed.field("site", "No such quarantine site in your scope.") from None
    if payload.case is not None:
        case = selectors.case_get(
            case_id=payload.case, scope=scope_for(request.user, "tracing.cases.view")
        )
    order, created = services.order_create(
        person=person,
        kind=payload.kind,
        start_date=payload.start_date,
        site=site,
        case=case,
        reason=payload.reason,
        why=payload.why,
        actor=request.user,
    )
    return Status(201 if created else 200, order_out(order))


@router.get("/quarantine-orders", response=list[QuarantineOrderOut])
def order_list(
    request: HttpRequest,
    status: str = "",
    limit: Limit = 100,
    offset: Offset = 0,
):
    """Quarantine orders of people in scope, newest first."""
    scope = authorize(request.user, "tracing.orders.view")
    orders = list(selectors.order_list(scope=scope, status=status[:12])[offset : offset + limit])
    return [order_out(o) for o in orders]


@router.patch("/quarantine-orders/{order_id}", response=QuarantineOrderOut)
def order_adjust(request: HttpRequest, order_id: Id, payload: QuarantineOrderPatch):
    """Lengthen (not_before) or shorten (ends_on) an order; who, when and why are kept."""
    scope = authorize(request.user, "tracing.orders.manage")
    order = selectors.order_get(order_id=order_id, scope=scope)
    order = services.order_adjust(
        order=order,
        actor=request.user,
        why=payload.why,
        not_before=payload.not_before,
        ends_on=payload.ends_on,
    )
    return order_out(order)


@router.post("/quarantine-orders/{order_id}/end", response=QuarantineOrderOut)
def order_end(request: HttpRequest, order_id: Id, payload: QuarantineOrderEnd):
    """Lift an order now, saying why."""
    scope = authorize(request.user, "tracing.orders.manage")
    order = selectors.order_get(order_id=order_id, scope=scope)
    return order_out(services.order_end(order=order, actor=request.user, why=payload.why))
