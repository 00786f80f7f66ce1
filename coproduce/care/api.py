"""The JSON API of care: /care (credentials, sessions, screenings, alerts, roster, counts,
cases, counseling slots) and /clinic (the Voluntary Clinic's slots, bookings, consultations).

Records (sessions, screenings, consultations, cases) answer only to their counselor or
clinician and that person's supervisors: anyone else gets 404, officials and admins included.
"""

from datetime import date, datetime, time, timedelta
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Router, Status

from coproduce.accounts.models import User
from coproduce.accounts.permissions import authorize, scope_for
from coproduce.care import selectors, services
from coproduce.care.models import Slot
from coproduce.core import clock
from coproduce.core.api import InputSchema
from coproduce.core.errors import NotFound, ValidationFailed
from coproduce.orgs.models import Organization
from coproduce.orgs.selectors import organization_get
from coproduce.people.models import Person
from coproduce.people.selectors import person_get, person_of_user
from coproduce.regions.selectors import region_get

router = Router(tags=["care"])


class CredentialIn(InputSchema):
    user: str = Field(max_length=150)
    kind: Literal["counseling_certificate", "medical_licence"]
    number: str = Field(max_length=64)
    issuer: str = Field(max_length=200)
    expires_on: date
    organization: str | None = Field(default=None, max_length=80)


class PractitionerIn(InputSchema):
    user: str = Field(max_length=150)
    organization: str = Field(max_length=80)
    kind: Literal["counselor", "clinician", "social_worker"]
    display_name: str = Field(max_length=100)
    languages: list[str] = Field(default_factory=lambda: ["zh"], max_length=10)
    specialties: list[str] = Field(default_factory=list, max_length=10)
    availability: str = Field(default="", max_length=200)
    supervisor: str | None = Field(default=None, max_length=150)
    phone: str = Field(default="", max_length=16)


class VerificationIn(InputSchema):
    state: Literal["verified", "rejected"]


class ScreeningIn(InputSchema):
    instrument: Literal["phq9", "gad7"]
    answers: list[int] = Field(max_length=9)
    resident: str | None = Field(default=None, max_length=16)
    session: int | None = None
    group: str = Field(default="other", max_length=16)


class SessionIn(InputSchema):
    group: str = Field(max_length=16)
    topic: str = Field(max_length=12)
    channel: str = Field(default="hotline", max_length=10)
    resident: str | None = Field(default=None, max_length=16)
    callback_phone: str = Field(default="", max_length=20)
    outcome: str = Field(default="", max_length=200)
    follow_up: str = Field(default="none", max_length=12)
    minutes: int = Field(default=0, ge=0, le=600)
    screening: ScreeningIn | None = None


class FollowUpIn(InputSchema):
    outcome: str = Field(max_length=200)


class ShiftIn(InputSchema):
    counselor: str = Field(max_length=150)
    starts_at: datetime
    ends_at: datetime


class SlotIn(InputSchema):
    starts_at: datetime
    ends_at: datetime
    specialty: str = Field(max_length=60)
    mode: Literal["in_person", "online"]
    place: str = Field(default="", max_length=200)


class BookingIn(InputSchema):
    resident: str = Field(max_length=16)


class AttendanceIn(InputSchema):
    status: Literal["attended", "no_show"]


class ConsultationIn(InputSchema):
    summary: str = Field(max_length=200)
    referral: Literal["none", "hospital", "counselor"] = "none"
    referral_to: str = Field(default="", max_length=200)


class FeedbackIn(InputSchema):
    rating: int = Field(ge=1, le=5)
    comment: str = Field(default="", max_length=200)


class CaseIn(InputSchema):
    group: str = Field(max_length=16)
    needs: list[str] = Field(max_length=10)
    person: str | None = Field(default=None, max_length=16)


class VisitIn(InputSchema):
    kind: str = Field(max_length=10)
    note: str = Field(default="", max_length=200)


class ReferralIn(InputSchema):
    to: str = Field(max_length=12)
    note: str = Field(default="", max_length=200)


def _user(username: str, field: str) -> User:
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise ValidationFailed.field(field, f"No user {username!r}.")
    return user


def _resident(request, public_id: str | None, permission: str) -> Person | None:
    if not public_id:
        return None
    try:
        return person_get(public_id=public_id, scope=scope_for(request.user, permission))
    except NotFound:
        raise ValidationFailed.field("resident", "No such resident in your scope.") from None


def _screening_out(s) -> dict:
    return {
        "id": s.pk,
        "instrument": s.instrument,
        "total": s.total,
        "severity": s.severity,
        "risk": s.risk,
        "escalated": s.escalated,
        "session": s.session_id,
        "taken_at": s.taken_at,
    }


def _alert_out(a) -> dict:
    return {
        "id": a.pk,
        "state": a.state,
        "screening": a.screening_id,
        "raised_at": a.raised_at,
        "ack_deadline": a.ack_deadline,
        "on_duty": a.on_duty.username if a.on_duty_id else None,
        "escalated_to": a.escalated_to.username if a.escalated_to_id else None,
        "acknowledged_by": a.acknowledged_by.username if a.acknowledged_by_id else None,
        "follow_up": a.follow_up,
    }


def _slot_out(s: Slot) -> dict:
    return {
        "id": s.pk,
        "service": s.service,
        "organization": s.organization.slug,
        "specialty": s.specialty,
        "mode": s.mode,
        "place": s.place,
        "starts_at": s.starts_at,
        "ends_at": s.ends_at,
    }


# --- practitioners and credentials -----------------------------------------------------------


@router.post("/care/practitioners", response={201: dict})
def practitioner_register(request: HttpRequest, payload: PractitionerIn):
    """Register a counselor, clinician or social worker of an organization, with languages,
    specialties, availability and supervisor (an admin, or a coordinator of the organization)."""
    organization = organization_get(
        slug=payload.organization, scope=scope_for(request.user, "care.credentials.record")
    )
    authorize(
        request.user,
        "care.credentials.record",
        region=organization.home_region,
        organization_id=organization.pk,
    )
    practitioner = services.practitioner_register(
        user=_user(payload.user, "user"),
        organization=organization,
        kind=payload.kind,
        display_name=payload.display_name,
        languages=payload.languages,
        specialties=payload.specialties,
        availability=payload.availability,
        supervisor=_user(payload.supervisor, "supervisor") if payload.supervisor else None,
        phone=payload.phone,
        actor=request.user,
    )
    return Status(201, {"id": practitioner.pk})


@router.get("/care/practitioners", response=list[dict])
def practitioner_list(request: HttpRequest, organization: str):
    """An organization's practitioners as residents choose them: name, kind, languages,
    specialties, availability (no contact details)."""
    org = Organization.objects.filter(slug=organization).first()
    if org is None:
        raise NotFound("No such organization.", code="organization_not_found")
    return [
        {
            "kind": p.kind,
            "name": p.display_name,
            "languages": p.languages,
            "specialties": p.specialties,
            "availability": p.availability,
        }
        for p in selectors.practitioner_list(organization_id=org.pk)
    ]


@router.post("/care/credentials", response={201: dict})
def credential_record(request: HttpRequest, payload: CredentialIn):
    """Record a counselor's certificate or a doctor's licence (an admin, or a coordinator of the
    person's organization); it counts once verified."""
    user = _user(payload.user, "user")
    practitioner = selectors.practitioner_of(user=user)
    if payload.organization:
        organization = organization_get(
            slug=payload.organization, scope=scope_for(request.user, "care.credentials.record")
        )
    elif practitioner is not None:
        organization = practitioner.organization
    else:
        raise ValidationFailed.field("organization", "Name the organization the person serves.")
    authorize(
        request.user,
        "care.credentials.record",
        region=organization.home_region,
        organization_id=organization.pk,
    )
    credential = services.credential_record(
        user=user,
        organization=organization,
        kind=payload.kind,
        number=payload.number,
        issuer=payload.issuer,
        expires_on=payload.expires_on,
        actor=request.user,
    )
    return Status(201, {"id": credential.pk, "state": credential.state})


@router.post("/care/credentials/{credential_id}/verification", response=dict)
def credential_verify(request: HttpRequest, credential_id: int, payload: VerificationIn):
    """Verify or reject a credential (an admin or a health official of its organization's region)."""
    scope = authorize(request.user, "care.credentials.verify")
    credential = selectors.credential_get(credential_id=credential_id, scope=scope)
    credential = services.credential_verify(
        credential=credential, state=payload.state, actor=request.user
    )
    return {"id": credential.pk, "state": credential.state}


# --- sessions, screenings, alerts -----------------------------------------------------------


@router.post("/care/sessions", response={201: dict})
def session_log(request: HttpRequest, payload: SessionIn):
    """Log a hotline call or session, with the screening taken in it (a counselor)."""
    authorize(request.user, "care.counsel")
    screening = (
        services.ScreeningInput(
            instrument=payload.screening.instrument, answers=payload.screening.answers
        )
        if payload.screening
        else None
    )
    session, record = services.session_log(
        actor=request.user,
        group=payload.group,
        topic=payload.topic,
        channel=payload.channel,
        resident=_resident(request, payload.resident, "care.counsel"),
        callback_phone=payload.callback_phone,
        outcome=payload.outcome,
        follow_up=payload.follow_up,
        minutes=payload.minutes,
        screening=screening,
    )
    return Status(201, {"id": session.pk, "screening": _screening_out(record) if record else None})


@router.get("/care/sessions/{session_id}", response=dict)
def session_detail(request: HttpRequest, session_id: int):
    """One session: its counselor and their supervisors only; anyone else 404."""
    s = selectors.session_get(session_id=session_id, viewer=request.user)
    return {
        "id": s.pk,
        "channel": s.channel,
        "group": s.group,
        "topic": s.topic,
        "outcome": s.outcome,
        "follow_up": s.follow_up,
        "started_at": s.started_at,
        "resident": s.resident.public_id if s.resident_id else None,
        "callback_phone": s.callback_phone,
        "screenings": [_screening_out(x) for x in s.screenings.all()],
    }


@router.post("/care/screenings", response={201: dict})
def screening_record(request: HttpRequest, payload: ScreeningIn):
    """Score a PHQ-9 or GAD-7 (a counselor with a verified certificate); high risk escalates."""
    authorize(request.user, "care.counsel")
    session = (
        selectors.session_get(session_id=payload.session, viewer=request.user)
        if payload.session
        else None
    )
    s = services.screening_record(
        actor=request.user,
        instrument=payload.instrument,
        answers=payload.answers,
        resident=_resident(request, payload.resident, "care.counsel"),
        session=session,
        group=payload.group,
    )
    return Status(201, _screening_out(s))


@router.get("/care/screenings/{screening_id}", response=dict)
def screening_detail(request: HttpRequest, screening_id: int):
    """One screening: its counselor and their supervisors only; anyone else 404."""
    s = selectors.screening_get(screening_id=screening_id, viewer=request.user)
    return {**_screening_out(s), "answers": s.answers, "group": s.group}


@router.get("/care/alerts", response=list[dict])
def alert_list(request: HttpRequest):
    """Open crisis alerts the caller handles (on duty, escalated to them, or their team's)."""
    return [_alert_out(a) for a in selectors.alert_list(viewer=request.user)[:100]]


@router.post("/care/alerts/{alert_id}/acknowledgement", response=dict)
def alert_acknowledge(request: HttpRequest, alert_id: int):
    """Take a crisis alert; the first acknowledgement is recorded, a second one is 409."""
    alert = selectors.alert_get(alert_id=alert_id, viewer=request.user)
    return _alert_out(services.alert_acknowledge(alert=alert, actor=request.user))


@router.post("/care/alerts/{alert_id}/follow-up", response=dict)
def alert_follow_up(request: HttpRequest, alert_id: int, payload: FollowUpIn):
    """Record how an acknowledged alert was followed up; this closes it."""
    alert = selectors.alert_get(alert_id=alert_id, viewer=request.user)
    return _alert_out(
        services.alert_follow_up(alert=alert, outcome=payload.outcome, actor=request.user)
    )


@router.post("/care/duty-shifts", response={201: dict})
def duty_shift_add(request: HttpRequest, payload: ShiftIn):
    """Put a counselor of the caller's organization on crisis duty (coordinator or counselor)."""
    counselor = _user(payload.counselor, "counselor")
    practitioner = selectors.practitioner_of(user=counselor)
    if practitioner is None:
        raise ValidationFailed.field("counselor", "Not a counselor.")
    organization = practitioner.organization
    authorize(
        request.user,
        "care.roster",
        region=organization.home_region,
        organization_id=organization.pk,
    )
    shift = services.duty_shift_add(
        organization=organization,
        counselor=counselor,
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        actor=request.user,
    )
    return Status(201, {"id": shift.pk})


@router.get("/care/counts", response=dict)
def counts(request: HttpRequest, region: str, start: date | None = None, end: date | None = None):
    """Sessions by region and group, screenings by severity, under 5 shown as "<5" (officials)."""
    where = region_get(code=region)
    scope = authorize(request.user, "care.counts", region=where)
    end = end or clock.today()
    start = start or end - timedelta(days=27)
    zone = clock.local_zone()
    return {
        "region": where.code,
        "start": start,
        "end": end,
        **selectors.counts(
            scope=scope,
            region=where,
            start=datetime.combine(start, time(0), tzinfo=zone),
            end=datetime.combine(end + timedelta(days=1), time(0), tzinfo=zone),
        ),
    }


# --- slots and bookings ------------------------------------------------------------------------


def _slot_offer(request, payload: SlotIn, service: str) -> Status:
    slot = services.slot_offer(
        actor=request.user,
        service=service,
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        specialty=payload.specialty,
        mode=payload.mode,
        place=payload.place,
    )
    return Status(201, {"id": slot.pk})


@router.post("/clinic/slots", response={201: dict})
def clinic_slot_offer(request: HttpRequest, payload: SlotIn):
    """A volunteer doctor with a verified licence offers a free consultation slot."""
    authorize(request.user, "care.clinic")
    return _slot_offer(request, payload, Slot.Service.CLINIC)


@router.post("/care/slots", response={201: dict})
def counseling_slot_offer(request: HttpRequest, payload: SlotIn):
    """A counselor with a verified certificate offers an appointment slot."""
    authorize(request.user, "care.counsel")
    return _slot_offer(request, payload, Slot.Service.COUNSELING)


@router.get("/clinic/slots", response=list[dict])
def clinic_slot_list(request: HttpRequest):
    """Open clinic slots from now on (any signed-in person may book)."""
    return [_slot_out(s) for s in selectors.slot_list_open(service=Slot.Service.CLINIC)]


@router.get("/care/slots", response=list[dict])
def counseling_slot_list(request: HttpRequest):
    """Open counseling slots from now on."""
    return [_slot_out(s) for s in selectors.slot_list_open(service=Slot.Service.COUNSELING)]


def _book(request, slot_id: int, payload: BookingIn) -> Status:
    slot = selectors.slot_get(slot_id=slot_id)
    own = person_of_user(user=request.user)
    if own is not None and own.public_id == payload.resident:
        resident, by_proxy = own, False
    else:
        # For someone else (without a phone): a volunteer or coordinator of their area.
        resident = person_get(
            public_id=payload.resident, scope=authorize(request.user, "care.proxy")
        )
        by_proxy = True
    booking = services.booking_create(
        slot=slot, resident=resident, actor=request.user, by_proxy=by_proxy
    )
    return Status(201, {"id": booking.pk, "slot": slot.pk, "by_proxy": by_proxy})


@router.post("/clinic/slots/{slot_id}/bookings", response={201: dict})
def clinic_booking_create(request: HttpRequest, slot_id: int, payload: BookingIn):
    """Book a clinic slot for yourself or, by proxy, for a resident of your area; taken: 409."""
    return _book(request, slot_id, payload)


@router.post("/care/slots/{slot_id}/bookings", response={201: dict})
def counseling_booking_create(request: HttpRequest, slot_id: int, payload: BookingIn):
    """Book a counseling slot, like a clinic slot."""
    return _book(request, slot_id, payload)


@router.post("/care/bookings/{booking_id}/cancellation", response=dict)
def booking_cancel(request: HttpRequest, booking_id: int):
    """The resident (or a proxy of their area) cancels a booking."""
    proxy = scope_for(request.user, "care.proxy")
    booking = selectors.booking_get_for_resident(
        booking_id=booking_id,
        person=person_of_user(user=request.user),
        proxy_scope=None if proxy.empty else proxy,
    )
    booking = services.booking_cancel(booking=booking, actor=request.user)
    return {"id": booking.pk, "status": booking.status}


@router.post("/care/bookings/{booking_id}/attendance", response=dict)
def booking_mark(request: HttpRequest, booking_id: int, payload: AttendanceIn):
    """The provider marks a booking attended or a no-show."""
    booking = selectors.booking_get_for_provider(booking_id=booking_id, provider=request.user)
    booking = services.booking_mark(booking=booking, status=payload.status, actor=request.user)
    return {"id": booking.pk, "status": booking.status}


@router.post("/clinic/bookings/{booking_id}/consultation", response={201: dict})
def consultation_record(request: HttpRequest, booking_id: int, payload: ConsultationIn):
    """The doctor records the consultation of a booking (and a referral)."""
    authorize(request.user, "care.clinic")
    booking = selectors.booking_get_for_provider(booking_id=booking_id, provider=request.user)
    c = services.consultation_record(
        booking=booking,
        summary=payload.summary,
        referral=payload.referral,
        referral_to=payload.referral_to,
        actor=request.user,
    )
    return Status(201, {"id": c.pk})


@router.get("/clinic/consultations/{consultation_id}", response=dict)
def consultation_detail(request: HttpRequest, consultation_id: int):
    """One consultation: its doctor and their supervisors only; anyone else 404."""
    c = selectors.consultation_get(consultation_id=consultation_id, viewer=request.user)
    return {
        "id": c.pk,
        "booking": c.booking_id,
        "summary": c.summary,
        "referral": c.referral,
        "referral_to": c.referral_to,
        "recorded_at": c.recorded_at,
        "feedback_rating": c.feedback_rating,
    }


@router.post("/clinic/bookings/{booking_id}/feedback", response=dict)
def consultation_feedback(request: HttpRequest, booking_id: int, payload: FeedbackIn):
    """The resident rates the consultation of their booking, once."""
    booking = selectors.booking_get_for_resident(
        booking_id=booking_id, person=person_of_user(user=request.user)
    )
    consultation = getattr(booking, "consultation", None)
    if consultation is None:
        raise NotFound("No consultation for this booking yet.", code="consultation_not_found")
    services.consultation_feedback(
        consultation=consultation,
        rating=payload.rating,
        comment=payload.comment,
        actor=request.user,
    )
    return {"booking": booking.pk, "rating": payload.rating}


# --- social work -----------------------------------------------------------------------------


@router.post("/care/cases", response={201: dict})
def case_open(request: HttpRequest, payload: CaseIn):
    """A social worker opens a case (a patient, a family, a health worker)."""
    authorize(request.user, "care.social_work")
    case = services.case_open(
        actor=request.user,
        group=payload.group,
        needs=payload.needs,
        person=_resident(request, payload.person, "care.social_work"),
    )
    return Status(201, {"id": case.pk})


@router.get("/care/cases/{case_id}", response=dict)
def case_detail(request: HttpRequest, case_id: int):
    """One case: its worker and their supervisors only; anyone else 404."""
    case = selectors.case_get(case_id=case_id, viewer=request.user)
    return {
        "id": case.pk,
        "group": case.group,
        "needs": case.needs,
        "status": case.status,
        "visits": [{"kind": v.kind, "at": v.visited_at} for v in case.visits.all()],
        "referrals": [{"to": r.to, "at": r.referred_at} for r in case.referrals.all()],
    }


@router.post("/care/cases/{case_id}/visits", response={201: dict})
def case_visit(request: HttpRequest, case_id: int, payload: VisitIn):
    """Record a visit or call to a case."""
    case = selectors.case_get(case_id=case_id, viewer=request.user)
    visit = services.case_visit(case=case, kind=payload.kind, note=payload.note, actor=request.user)
    return Status(201, {"id": visit.pk})


@router.post("/care/cases/{case_id}/referrals", response={201: dict})
def case_refer(request: HttpRequest, case_id: int, payload: ReferralIn):
    """Refer a case to deliveries, counseling or relief."""
    case = selectors.case_get(case_id=case_id, viewer=request.user)
    referral = services.case_refer(case=case, to=payload.to, note=payload.note, actor=request.user)
    return Status(201, {"id": referral.pk})
