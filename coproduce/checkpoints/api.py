"""Checkpoints, scans (single and batch), offline bundles, shifts, statistics and visits."""

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from pydantic import TypeAdapter
from pydantic import ValidationError as PydanticError

from coproduce.accounts.models import User
from coproduce.accounts.permissions import authorize, scope_for
from coproduce.checkpoints import selectors, services
from coproduce.checkpoints.models import Checkpoint, Shift, ShiftAssignment
from coproduce.core import clock
from coproduce.core.api import (
    RATE_LIMITED,
    Id,
    InputSchema,
    SafeDate,
    SafeDateTime,
    _validation_fields,
)
from coproduce.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from coproduce.core.ratelimit import rate_limit
from coproduce.orgs.models import Organization
from coproduce.people.selectors import person_of_user
from coproduce.places.rules import place_payload
from coproduce.places.selectors import place_by_payload
from coproduce.regions.selectors import region_get

router = Router(tags=["checkpoints"])

KEY = r"^[A-Za-z0-9._:\-]{1,64}$"


class CheckpointIn(InputSchema):
    name: str = Field(max_length=200)
    kind: str = Field(max_length=24)
    region: str = Field(max_length=20)
    operator_org: str | int | None = None
    lat: Decimal | None = Field(default=None, max_digits=9, decimal_places=6)
    lon: Decimal | None = Field(default=None, max_digits=9, decimal_places=6)
    yellow_may_enter_own_gate: bool = False
    minimum_staff: int = Field(default=1, ge=0, le=50)


class CheckpointOut(Schema):
    id: int
    name: str
    kind: str
    region: str
    operator_org: str | None
    lat: Decimal | None
    lon: Decimal | None
    place_code: str
    place_payload: str
    yellow_may_enter_own_gate: bool
    minimum_staff: int


class CheckpointScanIn(InputSchema):
    payload: str = Field(max_length=8192)
    temperature_c: Decimal | None = Field(default=None, max_digits=5, decimal_places=2)
    direction: str = Field(max_length=3)
    device_id: str = Field(pattern=KEY)
    scanned_at: SafeDateTime
    idempotency_key: str = Field(pattern=KEY)
    offline_decision: str | None = Field(default=None, max_length=8)


class ScanReasonOut(Schema):
    code: str
    text: str


class ScanOut(Schema):
    decision: str
    color: str | None
    reasons: list[ScanReasonOut]
    scan_id: int
    scanned_at: datetime
    received_at: datetime
    offline_decision: str | None = None
    replayed: bool = False


class BatchIn(InputSchema):
    # Items are checked one by one, so that a bad item fails alone (see scan_batch).
    scans: list[Any] = Field(max_length=services.MAX_BATCH)


class ShiftIn(InputSchema):
    starts_at: SafeDateTime
    ends_at: SafeDateTime
    capacity: int = Field(default=1, ge=1, le=50)


class PlanIn(InputSchema):
    date: SafeDate
    hours: int = 8
    capacity: int = Field(default=1, ge=1, le=50)


class ShiftAssignIn(InputSchema):
    user: str = Field(max_length=150)


class AssignmentPatch(InputSchema):
    status: str = Field(max_length=10)


class VisitIn(InputSchema):
    place_payload: str = Field(max_length=64)
    resident: str | None = Field(default=None, max_length=16)
    visited_at: SafeDateTime | None = None


_SCAN_ITEM = TypeAdapter(CheckpointScanIn)


def checkpoint_out(c: Checkpoint) -> dict:
    return {
        "id": c.pk,
        "name": c.place.name,
        "kind": c.kind,
        "region": c.place.region_id,
        "operator_org": c.place.operator.slug if c.place.operator_id else None,
        "lat": c.place.lat,
        "lon": c.place.lon,
        "place_code": c.place.code,
        "place_payload": place_payload(c.place.code),
        "yellow_may_enter_own_gate": c.yellow_may_enter_own_gate,
        "minimum_staff": c.minimum_staff,
    }


def answer_out(a: services.ScanAnswer) -> dict:
    return {
        "decision": a.decision,
        "color": a.color,
        "reasons": a.reasons,
        "scan_id": a.scan_id,
        "scanned_at": a.scanned_at,
        "received_at": a.received_at,
        "offline_decision": a.offline_decision,
        "replayed": a.replayed,
    }


def _scan_input(data: CheckpointScanIn) -> services.ScanInput:
    fields = data.model_dump()
    # A paper card's printed id, typed when its QR cannot be read, is checked here.
    fields["payload"] = services.card_payload_from_typed(fields["payload"])
    return services.ScanInput(**fields)


def _checkpoint_for(request: HttpRequest, checkpoint_id: int, permission: str) -> Checkpoint:
    """The checkpoint if the caller holds `permission` there (its region and organization)."""
    scope = scope_for(request.user, permission)
    if scope.empty:
        raise PermissionDenied(f"Your roles do not allow {permission}.")
    checkpoint = selectors.checkpoint_active(checkpoint_id=checkpoint_id)
    if checkpoint is None:
        raise NotFound("No such checkpoint.", code="checkpoint_not_found")
    if not scope.covers(checkpoint.place.region.path, checkpoint.place.operator_id):
        raise PermissionDenied(
            "This checkpoint belongs to another organization or region.", code="out_of_scope"
        )
    return checkpoint


def _organization(value: str | int | None) -> Organization | None:
    if value is None or value == "":
        return None
    qs = Organization.objects.all()
    org = (
        qs.filter(pk=value).first()
        if isinstance(value, int) or str(value).isdigit()
        else qs.filter(slug=value).first()
    )
    if org is None:
        raise ValidationFailed.field("operator_org", "No organization has this slug or id.")
    return org


@router.post("/checkpoints", response={201: CheckpointOut})
def checkpoint_create(request: HttpRequest, payload: CheckpointIn):
    """Open a checkpoint with a printable place code (coordinators for their organization)."""
    try:
        region = region_get(code=payload.region)
    except NotFound:
        raise ValidationFailed.field("region", "No region has this code.") from None
    operator = _organization(payload.operator_org)
    authorize(
        request.user,
        "checkpoints.manage",
        region=region,
        organization_id=operator.pk if operator else None,
    )
    checkpoint = services.checkpoint_create(
        name=payload.name,
        kind=payload.kind,
        region=region,
        operator=operator,
        lat=payload.lat,
        lon=payload.lon,
        yellow_may_enter_own_gate=payload.yellow_may_enter_own_gate,
        minimum_staff=payload.minimum_staff,
        actor=request.user,
    )
    return Status(201, checkpoint_out(checkpoint))


@router.get("/checkpoints", response=list[CheckpointOut])
def checkpoint_list(request: HttpRequest, region: str = "", kind: str = ""):
    """Checkpoints in the caller's scope."""
    scope = authorize(request.user, "checkpoints.view")
    where = region_get(code=region) if region else None
    return [
        checkpoint_out(c)
        for c in selectors.checkpoint_list(scope=scope, region=where, kind=kind)[:500]
    ]


@router.get("/checkpoints/{checkpoint_id}", response=CheckpointOut)
def checkpoint_detail(request: HttpRequest, checkpoint_id: Id):
    """One checkpoint."""
    return checkpoint_out(_checkpoint_for(request, checkpoint_id, "checkpoints.view"))


@router.post("/checkpoints/{checkpoint_id}/scans", response=ScanOut, openapi_extra=RATE_LIMITED)
def scan_create(request: HttpRequest, checkpoint_id: Id, payload: CheckpointScanIn):
    """Decide pass, deny or refer for one scan; the same idempotency key answers as before."""
    rate_limit(
        key=f"scan:{request.user.pk}", per_minute=settings.SCAN_RATE_PER_MINUTE, what="scans"
    )
    checkpoint = _checkpoint_for(request, checkpoint_id, "checkpoints.scan")
    answer = services.scan_record(
        checkpoint=checkpoint, item=_scan_input(payload), actor=request.user
    )
    return answer_out(answer)


@router.post("/checkpoints/{checkpoint_id}/scans/batch", openapi_extra=RATE_LIMITED)
def scan_batch(request: HttpRequest, checkpoint_id: Id, payload: BatchIn):
    """Up to 1,000 scans (an offline device's queue), answered in order; bad items fail alone."""
    rate_limit(
        key=f"scan-batch:{request.user.pk}",
        per_minute=settings.SCAN_BATCHES_PER_MINUTE,
        what="scan uploads",
    )
    checkpoint = _checkpoint_for(request, checkpoint_id, "checkpoints.scan")
    items: list[services.ScanInput | DomainError] = []
    for raw in payload.scans:
        try:
            items.append(_scan_input(_SCAN_ITEM.validate_python(raw)))
        except PydanticError as exc:
            fields = _validation_fields(exc.errors())
            first = next(iter(fields.items()))
            items.append(ValidationFailed(f"{first[0]}: {first[1][0]}", fields=fields))
        except DomainError as exc:  # a typed card id that names nobody
            items.append(exc)
    results = services.scan_record_batch(checkpoint=checkpoint, items=items, actor=request.user)
    out = []
    for index, result in enumerate(results):
        if isinstance(result, DomainError):
            error = {"code": result.code, "message": result.message, "fields": result.fields}
            out.append({"index": index, "status": result.status, "error": error})
        else:
            out.append({"index": index, "status": 200, **answer_out(result)})
    return {"results": out}


@router.get("/checkpoints/{checkpoint_id}/offline-bundle")
def offline_bundle(request: HttpRequest, checkpoint_id: Id, since: SafeDateTime | None = None):
    """Trust list and non-green subjects for deciding offline; `since` gives only the changes."""
    checkpoint = _checkpoint_for(request, checkpoint_id, "checkpoints.scan")
    if since is not None and since.tzinfo is None:
        raise ValidationFailed.field("since", "Give the time with its UTC offset.")
    return selectors.offline_bundle(checkpoint=checkpoint, since=since)


# --- shifts -----------------------------------------------------------------------------------


def shift_out(s: Shift) -> dict:
    return {
        "id": s.pk,
        "starts_at": s.starts_at,
        "ends_at": s.ends_at,
        "capacity": s.capacity,
        "filled": s.filled,
        "assignments": [
            {"id": a.pk, "user": a.user.username, "status": a.status} for a in s.assignments.all()
        ],
    }


@router.get("/checkpoints/{checkpoint_id}/shifts")
def shift_list(request: HttpRequest, checkpoint_id: Id, day: SafeDate | None = None):
    """One local day's shifts and the hours where fewer than the minimum are on duty."""
    checkpoint = _checkpoint_for(request, checkpoint_id, "checkpoints.view")
    coverage = selectors.coverage_for_day(checkpoint=checkpoint, day=day or clock.today())
    return {
        "date": coverage.day,
        "minimum_staff": checkpoint.minimum_staff,
        "shifts": [shift_out(s) for s in coverage.shifts],
        "gaps": [
            {"start": g.start, "end": g.end, "staffed": g.staffed, "required": g.required}
            for g in coverage.gaps
        ],
        "uncovered_hours": coverage.uncovered_hours,
    }


@router.post("/checkpoints/{checkpoint_id}/shifts", response={201: dict})
def shift_create(request: HttpRequest, checkpoint_id: Id, payload: ShiftIn):
    """Add a shift to the staffing plan."""
    checkpoint = _checkpoint_for(request, checkpoint_id, "checkpoints.manage")
    shift = services.shift_create(checkpoint=checkpoint, actor=request.user, **payload.model_dump())
    return Status(201, shift_out(shift))


@router.post("/checkpoints/{checkpoint_id}/shifts/plan", response={201: dict})
def shift_plan(request: HttpRequest, checkpoint_id: Id, payload: PlanIn):
    """Lay a 24-hour plan for a day in even shifts."""
    checkpoint = _checkpoint_for(request, checkpoint_id, "checkpoints.manage")
    made = services.shift_plan_day(
        checkpoint=checkpoint,
        day=payload.date,
        hours=payload.hours,
        capacity=payload.capacity,
        actor=request.user,
    )
    return Status(201, {"created": [shift_out(s) for s in made]})


def _shift_for(request: HttpRequest, shift_id: int) -> Shift:
    shift = Shift.objects.select_related("checkpoint").filter(pk=shift_id).first()
    if shift is None:
        raise NotFound("No such shift.", code="shift_not_found")
    _checkpoint_for(request, shift.checkpoint_id, "checkpoints.manage")
    return shift


@router.post("/shifts/{shift_id}/assignments", response={201: dict})
def shift_assign(request: HttpRequest, shift_id: Id, payload: ShiftAssignIn):
    """Put a volunteer of the operating organization on a shift."""
    shift = _shift_for(request, shift_id)
    user = User.objects.filter(username=payload.user, is_active=True).first()
    if user is None:
        raise ValidationFailed.field("user", "No such user.")
    assignment = services.shift_assign(shift=shift, user=user, actor=request.user)
    return Status(
        201,
        {
            "id": assignment.pk,
            "shift": shift.pk,
            "user": user.username,
            "status": assignment.status,
        },
    )


@router.patch("/shift-assignments/{assignment_id}")
def assignment_update(request: HttpRequest, assignment_id: Id, payload: AssignmentPatch):
    """Record a served shift (completed) or an absence, after the shift."""
    assignment = (
        ShiftAssignment.objects.select_related("shift", "user").filter(pk=assignment_id).first()
    )
    if assignment is None:
        raise NotFound("No such assignment.", code="assignment_not_found")
    _shift_for(request, assignment.shift_id)
    if payload.status not in {"completed", "absent"}:
        raise ValidationFailed.field("status", "Give completed or absent.")
    assignment = services.shift_complete(
        assignment=assignment, actor=request.user, present=payload.status == "completed"
    )
    return {"id": assignment.pk, "status": assignment.status}


@router.delete("/shift-assignments/{assignment_id}", response={204: None})
def assignment_delete(request: HttpRequest, assignment_id: Id):
    """Take a volunteer off a shift."""
    assignment = ShiftAssignment.objects.filter(pk=assignment_id).first()
    if assignment is None:
        raise NotFound("No such assignment.", code="assignment_not_found")
    _shift_for(request, assignment.shift_id)
    services.shift_unassign(assignment=assignment, actor=request.user)
    return Status(204, None)


# --- statistics -------------------------------------------------------------------------------


@router.get("/checkpoints/{checkpoint_id}/stats")
def checkpoint_stats(request: HttpRequest, checkpoint_id: Id, day: SafeDate | None = None):
    """Scans, denials, referrals and fevers per hour of a local day at one checkpoint."""
    checkpoint = _checkpoint_for(request, checkpoint_id, "checkpoints.stats")
    day = day or clock.today()
    return {
        "checkpoint": checkpoint.pk,
        "date": day,
        "hours": selectors.scan_counts_by_hour(checkpoint=checkpoint, day=day),
    }


@router.get("/checkpoint-stats")
def region_stats(
    request: HttpRequest,
    region: str,
    start: SafeDate | None = None,
    end: SafeDate | None = None,
):
    """Scan counts per region below `region` over local days [start, end] (default: today)."""
    scope = authorize(request.user, "checkpoints.stats")
    where = region_get(code=region)
    if not scope.everywhere and not any(
        where.path.startswith(g.region_path) or g.region_path.startswith(where.path)
        for g in scope.grants
    ):
        raise PermissionDenied("This region is outside your scope.")
    first = start or clock.today()
    last = end or first
    if last < first or (last - first).days > 92:
        raise ValidationFailed.field("end", "Give an end on or after the start, within 92 days.")
    window_start, _ = selectors.day_window(first)
    _, window_end = selectors.day_window(last)
    return {
        "region": where.code,
        "start": first,
        "end": last,
        "regions": selectors.scan_counts_by_region(
            scope=scope, region=where, start=window_start, end=window_end
        ),
    }


# --- visits -----------------------------------------------------------------------------------


@router.post("/visits", response={201: dict, 200: dict})
def visit_create(request: HttpRequest, payload: VisitIn):
    """A resident records being at a place by scanning its place code from the phone."""
    person = person_of_user(user=request.user)
    if person is None:
        raise PermissionDenied("Only a registered resident records their own visits.")
    if payload.resident and payload.resident != person.public_id:
        raise PermissionDenied("You record your own visits only.", code="not_your_record")
    try:
        place = place_by_payload(payload=payload.place_payload)
    except NotFound:
        raise ValidationFailed.field(
            "place_payload", "This is not the code of a place we know."
        ) from None
    visited_at = payload.visited_at or clock.now().replace(microsecond=0)
    visit, created = services.visit_record(
        person=person, place=place, visited_at=visited_at, actor=request.user
    )
    body = {
        "id": visit.pk,
        "place": {"code": place.code, "name": place.name, "kind": place.kind},
        "resident": person.public_id,
        "visited_at": visit.visited_at,
        "received_at": visit.received_at,
    }
    return Status(201 if created else 200, body)
