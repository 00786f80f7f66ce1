"""Reads of care. Counseling and clinic records (sessions, screenings, consultations) are fetched
through one access rule: their counselor or clinician and that person's supervisors, nobody else
(officials and admins included); each allowed read is audited. Officials read counts only."""

from collections import Counter
from datetime import datetime

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from coproduce.accounts.permissions import Scope
from coproduce.care import rules
from coproduce.care.models import (
    Alert,
    Booking,
    Consultation,
    Credential,
    DutyShift,
    Practitioner,
    Screening,
    Session,
    Slot,
    SocialCase,
)
from coproduce.core import clock
from coproduce.core.audit import audit_record
from coproduce.core.errors import NotFound
from coproduce.core.suppression import suppress_small
from coproduce.regions.models import Region


def supervisors_of(user_id: int) -> list[int]:
    """The user's supervisors up the chain (practitioners' `supervisor`), nearest first."""
    chain: dict[int, int | None] = {}
    current: int | None = user_id
    for _depth in range(rules.MAX_SUPERVISION_DEPTH + 1):
        if current is None or current in chain:
            break
        nxt = (
            Practitioner.objects.filter(user_id=current)
            .values_list("supervisor_id", flat=True)
            .first()
        )
        chain[current] = nxt
        current = nxt
    return rules.supervisors_of(user_id, chain)


def supervisees_of(user_id: int) -> list[int]:
    """Whom the user supervises, directly or further down (at most the rule's depth)."""
    found: list[int] = []
    frontier = [user_id]
    for _depth in range(rules.MAX_SUPERVISION_DEPTH):
        frontier = [
            u
            for u in Practitioner.objects.filter(supervisor_id__in=frontier).values_list(
                "user_id", flat=True
            )
            if u not in found and u != user_id
        ]
        if not frontier:
            break
        found.extend(frontier)
    return found


def _visible_owners(viewer) -> list[int]:
    return [viewer.pk, *supervisees_of(viewer.pk)]


def _get_record(queryset: QuerySet, *, pk: int, viewer, owner_field: str, what: str, code: str):
    record = queryset.filter(pk=pk).first()
    owner = getattr(record, f"{owner_field}_id", None) if record else None
    if record is None or not rules.may_see_record(
        viewer_id=viewer.pk, owner_id=owner, supervisors=supervisors_of(owner)
    ):
        # Absent and forbidden look alike, for officials and admins too (PRODUCT.md 3.8).
        raise NotFound(_("No such %(what)s.") % {"what": what}, code=code)
    audit_record(actor=viewer, action=f"care.{record._meta.model_name}_view", target=record)
    return record


def session_get(*, session_id: int, viewer) -> Session:
    """One session, to its counselor or their supervisors only (audited), else NotFound."""
    qs = Session.objects.select_related("resident", "organization").prefetch_related("screenings")
    return _get_record(
        qs,
        pk=session_id,
        viewer=viewer,
        owner_field="counselor",
        what=_("session"),
        code="session_not_found",
    )


def screening_get(*, screening_id: int, viewer) -> Screening:
    """One screening, to its counselor or their supervisors only (audited), else NotFound."""
    qs = Screening.objects.select_related("session", "resident")
    return _get_record(
        qs,
        pk=screening_id,
        viewer=viewer,
        owner_field="counselor",
        what=_("screening"),
        code="screening_not_found",
    )


def consultation_get(*, consultation_id: int, viewer) -> Consultation:
    """One consultation, to its clinician or their supervisors only (audited), else NotFound."""
    qs = Consultation.objects.select_related("booking__slot", "booking__resident")
    return _get_record(
        qs,
        pk=consultation_id,
        viewer=viewer,
        owner_field="clinician",
        what=_("consultation"),
        code="consultation_not_found",
    )


def session_list(*, viewer, limit: int = 50) -> list[Session]:
    """The viewer's own sessions and their supervisees', newest first (the list is audited)."""
    rows = list(
        Session.objects.select_related("resident")
        .filter(counselor_id__in=_visible_owners(viewer))
        .order_by("-started_at", "-id")[:limit]
    )
    if rows:
        audit_record(
            actor=viewer,
            action="care.session_list",
            object_type="care.session",
            details={"ids": [s.pk for s in rows]},
        )
    return rows


def alert_list(*, viewer, open_only: bool = True) -> QuerySet[Alert]:
    """Alerts the viewer handles: on duty, escalated to them, or their supervisees'."""
    owners = _visible_owners(viewer)
    qs = Alert.objects.select_related("screening__session", "on_duty", "escalated_to").filter(
        Q(on_duty_id__in=owners)
        | Q(escalated_to_id__in=owners)
        | Q(screening__counselor_id=viewer.pk)
    )
    if open_only:
        qs = qs.exclude(state=Alert.State.CLOSED)
    return qs.order_by("-raised_at", "-id")


def alert_get(*, alert_id: int, viewer) -> Alert:
    """One alert the viewer handles (audited: it shows a caller's callback number), else NotFound."""
    alert = alert_list(viewer=viewer, open_only=False).filter(pk=alert_id).first()
    if alert is None:
        raise NotFound(_("No such alert."), code="alert_not_found")
    audit_record(actor=viewer, action="care.alert_view", target=alert)
    return alert


def on_duty_now(*, organization_id: int, at: datetime | None = None) -> int | None:
    """Who is on crisis duty for the organization now."""
    at = at or clock.now()
    shifts = DutyShift.objects.filter(
        organization_id=organization_id, starts_at__lte=at, ends_at__gt=at
    ).values_list("counselor_id", "starts_at", "ends_at")
    return rules.on_duty([rules.Shift(*row) for row in shifts], at)


def roster(*, organization_id: int, start: datetime, end: datetime) -> dict:
    """The duty shifts of [start, end) and the gaps no shift covers."""
    shifts = list(
        DutyShift.objects.select_related("counselor")
        .filter(organization_id=organization_id, starts_at__lt=end, ends_at__gt=start)
        .order_by("starts_at")
    )
    gaps = rules.roster_gaps(
        [rules.Shift(s.counselor_id, s.starts_at, s.ends_at) for s in shifts], start=start, end=end
    )
    return {"shifts": shifts, "gaps": gaps}


def practitioner_of(*, user) -> Practitioner | None:
    """The caller's practitioner profile, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Practitioner.objects.select_related("organization").filter(user=user).first()


def practitioner_list(*, organization_id: int) -> QuerySet[Practitioner]:
    """The practitioners of an organization (public profile: languages, specialties)."""
    return Practitioner.objects.select_related("user").filter(organization_id=organization_id)


def credential_list(*, scope: Scope) -> QuerySet[Credential]:
    """Credentials of the organizations in scope (coordinators, officials, admins)."""
    return Credential.objects.select_related("user", "organization", "verified_by").filter(
        scope.q(region_field="organization__home_region", org_field="organization")
    )


def credential_get(*, credential_id: int, scope: Scope) -> Credential:
    """One credential in scope, or NotFound."""
    found = credential_list(scope=scope).filter(pk=credential_id).first()
    if found is None:
        raise NotFound(_("No such credential in your scope."), code="credential_not_found")
    return found


def slot_list_open(*, service: str | None = None, limit: int = 100) -> QuerySet[Slot]:
    """Slots that start from now on, not cancelled and not booked, soonest first."""
    qs = (
        Slot.objects.select_related("organization")
        .filter(cancelled=False, starts_at__gte=clock.now())
        .exclude(bookings__status__in=("booked", "attended", "no_show"))
    )
    if service:
        qs = qs.filter(service=service)
    return qs.order_by("starts_at", "id")[:limit]


def slot_get(*, slot_id: int) -> Slot:
    """One slot that is offered (not cancelled), or NotFound (slots are public)."""
    slot = (
        Slot.objects.select_related("organization", "region")
        .filter(pk=slot_id, cancelled=False)
        .first()
    )
    if slot is None:
        raise NotFound(_("No such slot."), code="slot_not_found")
    return slot


def slots_of_provider(*, provider, since: datetime | None = None) -> QuerySet[Slot]:
    """A clinician's or counselor's own slots from `since`, with their active booking."""
    qs = Slot.objects.filter(provider=provider).prefetch_related("bookings__resident")
    if since is not None:
        qs = qs.filter(ends_at__gte=since)
    return qs.order_by("starts_at", "id")


def bookings_of_resident(*, person) -> QuerySet[Booking]:
    """A resident's own bookings, soonest first."""
    return (
        Booking.objects.select_related("slot__organization")
        .filter(resident=person)
        .order_by("-slot__starts_at", "-id")
    )


def booking_get_for_provider(*, booking_id: int, provider) -> Booking:
    """A booking of one of the provider's slots, or NotFound."""
    found = (
        Booking.objects.select_related("slot", "resident")
        .filter(pk=booking_id, slot__provider=provider)
        .first()
    )
    if found is None:
        raise NotFound(_("No such booking."), code="booking_not_found")
    return found


def booking_get_for_resident(*, booking_id: int, person, proxy_scope: Scope | None = None):
    """A resident's own booking (or one a proxy may act on in scope), or NotFound."""
    found = (
        Booking.objects.select_related("slot", "resident__home_region")
        .filter(pk=booking_id)
        .first()
    )
    if found is None or not (
        found.resident_id == getattr(person, "pk", None)
        or (proxy_scope is not None and proxy_scope.covers(found.resident.home_region.path))
    ):
        raise NotFound(_("No such booking."), code="booking_not_found")
    return found


def cases_of_worker(*, viewer) -> QuerySet[SocialCase]:
    """The social work cases of the viewer and their supervisees."""
    return (
        SocialCase.objects.select_related("person")
        .prefetch_related("visits", "referrals")
        .filter(worker_id__in=_visible_owners(viewer))
        .order_by("status", "-opened_at")
    )


def case_get(*, case_id: int, viewer) -> SocialCase:
    """One social work case, to its worker or their supervisors only (audited), else NotFound."""
    qs = SocialCase.objects.select_related("person").prefetch_related("visits", "referrals")
    return _get_record(
        qs,
        pk=case_id,
        viewer=viewer,
        owner_field="worker",
        what=_("case"),
        code="case_not_found",
    )


def counts(*, scope: Scope, region, start: datetime, end: datetime) -> dict:
    """Sessions by group and screenings by severity in the region's subtree, counts under 5 as
    "<5" (officials see counts only, never a record)."""
    in_region = Q(region__path__startswith=region.path) & scope.region_q("region")
    sessions = (
        Session.objects.filter(in_region, started_at__gte=start, started_at__lt=end)
        .values("group")
        .annotate(n=Count("id"))
    )
    screenings = (
        Screening.objects.filter(in_region, taken_at__gte=start, taken_at__lt=end)
        .values("instrument", "severity")
        .annotate(n=Count("id"))
    )
    by_group = Counter({row["group"]: row["n"] for row in sessions})
    by_severity = Counter({(row["instrument"], row["severity"]): row["n"] for row in screenings})
    children = [
        {
            "code": child.code,
            "name": child.name,
            "sessions": suppress_small(
                Session.objects.filter(
                    region__path__startswith=child.path, started_at__gte=start, started_at__lt=end
                ).count()
            ),
            "high_risk": suppress_small(
                Screening.objects.filter(
                    region__path__startswith=child.path,
                    risk="high",
                    taken_at__gte=start,
                    taken_at__lt=end,
                ).count()
            ),
        }
        for child in Region.objects.filter(parent=region).order_by("code")
        if scope.covers(child.path)
    ]
    return {
        "by_region": children,
        "sessions_total": suppress_small(sum(by_group.values())),
        "sessions_by_group": {g: suppress_small(by_group.get(g, 0)) for g in _groups()},
        "screenings_by_severity": {
            f"{i}:{s}": suppress_small(n) for (i, s), n in sorted(by_severity.items())
        },
        "alerts": suppress_small(
            Alert.objects.filter(
                screening__region__path__startswith=region.path,
                raised_at__gte=start,
                raised_at__lt=end,
            )
            .filter(scope.region_q("screening__region"))
            .count()
        ),
    }


def _groups() -> list[str]:
    return [value for value, _label in Session._meta.get_field("group").choices]
