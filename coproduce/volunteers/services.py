"""Writes for volunteers: registration, teams, calls and sign-ups, service records.

Every write is one transaction with its audit event. Races are held by the database: a call's
`taken` changes only by a conditional update (taken < capacity), one active sign-up per call and
volunteer and one open check-in per volunteer are unique constraints, and a volunteer's own writes
(sign-ups, records) queue on a row lock of their profile so that two at once cannot double-book
(PostgreSQL; SQLite's IMMEDIATE transactions already queue every writer).
"""

import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils.translation import gettext as _

from coproduce.accounts.models import RoleAssignment
from coproduce.accounts.rules import Role
from coproduce.accounts.services import RoleSpec, role_grant, user_create
from coproduce.core import clock
from coproduce.core.audit import audit_record
from coproduce.core.errors import Conflict, PermissionDenied, ValidationFailed
from coproduce.orgs.models import Membership, Organization
from coproduce.orgs.services import member_add
from coproduce.places.selectors import place_by_payload
from coproduce.volunteers import rules, texts
from coproduce.volunteers.models import (
    Activity,
    Call,
    ServiceRecord,
    Signup,
    Team,
    VolunteerProfile,
)
from coproduce.volunteers.signals import service_record_confirmed, service_record_voided

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
MAX_SKILLS, MAX_SKILL_LENGTH = 20, 40
MAX_CAPACITY = 10_000
# Records that occupy the volunteer's time: a rejected or voided record frees it again.
BUSY = (
    ServiceRecord.Status.CHECKED_IN,
    ServiceRecord.Status.PENDING,
    ServiceRecord.Status.CONFIRMED,
)


def _public_id() -> str:
    return "V" + "".join(secrets.choice(_ALPHABET) for _ in range(9))


def _raise_fields(fields: dict[str, list[str]], code: str = "") -> None:
    if fields:
        raise ValidationFailed(next(iter(fields.values()))[0], fields=fields, code=code)


def _clean_skills(skills: Iterable[str], fields: dict) -> list[str]:
    cleaned = sorted({str(s).strip().lower() for s in skills if str(s).strip()})
    if len(cleaned) > MAX_SKILLS or any(len(s) > MAX_SKILL_LENGTH for s in cleaned):
        fields["skills"] = [
            _("At most %(n)s skills of %(length)s characters.")
            % {"n": MAX_SKILLS, "length": MAX_SKILL_LENGTH}
        ]
    return cleaned


def _is_official(user) -> bool:
    """Officials are those holding an official's role or working for a government unit."""
    if user is None:
        return False
    return (
        RoleAssignment.objects.filter(user=user, role=Role.HEALTH_OFFICIAL).exists()
        or Membership.objects.filter(
            user=user, organization__category=Organization.Category.GOVERNMENT_UNIT
        ).exists()
    )


def volunteer_register(
    *,
    actor,
    name: str,
    home_region,
    phone: str = "",
    skills: Iterable[str] = (),
    availability: str = "",
    is_official: bool | None = None,
    organization: Organization | None = None,
    user=None,
    username: str = "",
) -> VolunteerProfile:
    """Register a volunteer: the person themself (user=actor) or a coordinator for an organization.

    A coordinator's registration makes the account (no password yet), grants it the volunteer
    role in the organization and adds it as a member. Self-registration grants no role: the
    profile lets the person see calls in range and sign up; a coordinator admits them later.
    """
    fields: dict[str, list[str]] = {}
    name = (name or "").strip()
    if not name or len(name) > 100:
        fields["name"] = [_("A name of 1 to 100 characters is required.")]
    if len(phone or "") > 20:
        fields["phone"] = [_("A phone number has at most 20 characters.")]
    if len(availability or "") > 200:
        fields["availability"] = [_("At most 200 characters.")]
    cleaned = _clean_skills(skills, fields)
    if user is None and organization is None:
        fields["organization"] = [_("A coordinator registers volunteers for an organization.")]
    _raise_fields(fields)
    now = clock.now()
    with transaction.atomic():
        if user is None:
            user = user_create(
                username=username.strip() or f"vol-{phone or secrets.token_hex(4)}",
                password=None,
                roles=[RoleSpec(Role.VOLUNTEER, organization.home_region_id, organization.pk)],
                actor=actor,
                first_name=name[:150],
            )
        if VolunteerProfile.objects.filter(user=user).exists():
            raise Conflict(
                _("This person is registered as a volunteer."), code="already_registered"
            )
        try:
            with transaction.atomic():
                profile = VolunteerProfile.objects.create(
                    public_id=_public_id(),
                    user=user,
                    name=name,
                    phone=phone or "",
                    home_region=home_region,
                    skills=cleaned,
                    availability=availability or "",
                    is_official=_is_official(user) if is_official is None else is_official,
                    registered_by=actor if getattr(actor, "is_authenticated", False) else None,
                    created_at=now,
                )
        except IntegrityError:
            raise Conflict(
                _("This person is registered as a volunteer."), code="already_registered"
            ) from None
        if organization is not None:
            _join(profile, organization, actor)
        audit_record(
            actor=actor,
            action="volunteers.register",
            target=profile,
            details={"by_self": user == actor, "official": profile.is_official},
        )
    return profile


def _join(profile: VolunteerProfile, organization: Organization, actor) -> None:
    profile.organizations.add(organization)
    if not Membership.objects.filter(organization=organization, user=profile.user).exists():
        member_add(organization=organization, user=profile.user, kind="volunteer", actor=actor)


def volunteer_admit(
    *, volunteer: VolunteerProfile, organization: Organization, actor
) -> VolunteerProfile:
    """A coordinator admits a volunteer into the organization: membership and the volunteer role."""
    with transaction.atomic():
        _join(volunteer, organization, actor)
        role_grant(
            user=volunteer.user,
            spec=RoleSpec(Role.VOLUNTEER, organization.home_region_id, organization.pk),
            actor=actor,
        )
        audit_record(
            actor=actor,
            action="volunteers.admit",
            target=volunteer,
            details={"organization": organization.slug},
        )
    return volunteer


def volunteer_update(
    *,
    volunteer: VolunteerProfile,
    actor,
    skills: Iterable[str] | None = None,
    availability: str | None = None,
    phone: str | None = None,
    is_official: bool | None = None,
) -> VolunteerProfile:
    """Change a volunteer's skills, availability, phone or official mark."""
    fields: dict[str, list[str]] = {}
    changes: dict[str, object] = {}
    if skills is not None:
        changes["skills"] = _clean_skills(skills, fields)
    if availability is not None:
        if len(availability) > 200:
            fields["availability"] = [_("At most 200 characters.")]
        changes["availability"] = availability
    if phone is not None:
        if len(phone) > 20:
            fields["phone"] = [_("A phone number has at most 20 characters.")]
        changes["phone"] = phone
    if is_official is not None:
        changes["is_official"] = is_official
    _raise_fields(fields)
    with transaction.atomic():
        VolunteerProfile.objects.filter(pk=volunteer.pk).update(**changes)
        audit_record(
            actor=actor, action="volunteers.update", target=volunteer, details=sorted(changes)
        )
    volunteer.refresh_from_db()
    return volunteer


# --- teams ---------------------------------------------------------------------------------


def team_create(*, organization: Organization, name: str, region, actor, leader=None) -> Team:
    """A team within an organization; the same name twice in one organization is a conflict."""
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise ValidationFailed.field("name", _("A name of 1 to 100 characters is required."))
    try:
        with transaction.atomic():
            team = Team.objects.create(
                organization=organization,
                name=name,
                region=region,
                leader=leader,
                created_at=clock.now(),
            )
            if leader is not None:
                team.members.add(leader)
            audit_record(actor=actor, action="volunteers.team_create", target=team)
    except IntegrityError:
        raise Conflict(f"The team {name!r} exists.", code="team_exists") from None
    return team


def team_member_add(*, team: Team, volunteer: VolunteerProfile, actor) -> Team:
    """Add a volunteer to a team (and so to its organization); adding twice changes nothing."""
    with transaction.atomic():
        team.members.add(volunteer)
        _join(volunteer, team.organization, actor)
        audit_record(
            actor=actor,
            action="volunteers.team_member_add",
            target=team,
            details={"volunteer": volunteer.public_id},
        )
    return team


# --- calls and sign-ups --------------------------------------------------------------------


def call_create(
    *,
    organization: Organization,
    title: str,
    region,
    start: datetime,
    end: datetime,
    capacity: int,
    actor,
    activity: str = Activity.OTHER,
    required_skills: Iterable[str] = (),
    place=None,
    team: Team | None = None,
    description: str = "",
) -> Call:
    """Post a call for volunteers: what, where, when, how many and which skills."""
    fields: dict[str, list[str]] = {}
    title = (title or "").strip()
    if not title or len(title) > 200:
        fields["title"] = [_("A title of 1 to 200 characters is required.")]
    if activity not in Activity.values:
        fields["activity"] = [f"{activity!r} is not one of {', '.join(Activity.values)}."]
    if not isinstance(capacity, int) or not 1 <= capacity <= MAX_CAPACITY:
        fields["capacity"] = [_("Between 1 and %(n)s volunteers.") % {"n": MAX_CAPACITY}]
    if start.tzinfo is None or end.tzinfo is None:
        fields["start"] = [_("Times carry a UTC offset.")]
    elif end <= start:
        fields["end"] = [_("A call ends after it starts.")]
    elif end - start > timedelta(hours=24):
        fields["end"] = [_("A call lasts at most 24 hours: post one call per shift.")]
    elif start <= clock.now():
        fields["start"] = [_("A call starts in the future.")]
    if team is not None and team.organization_id != organization.pk:
        fields["team"] = [_("The team belongs to another organization.")]
    if len(description or "") > 4000:
        fields["description"] = [_("At most 4000 characters.")]
    skills = _clean_skills(required_skills, fields)
    _raise_fields(fields)
    with transaction.atomic():
        call = Call.objects.create(
            organization=organization,
            team=team,
            title=title,
            description=description or "",
            activity=activity,
            region=region,
            place=place,
            start=start,
            end=end,
            capacity=capacity,
            required_skills=skills,
            created_by=actor,
            created_at=clock.now(),
        )
        audit_record(actor=actor, action="volunteers.call_create", target=call)
    return call


def call_cancel(*, call: Call, actor) -> Call:
    """Cancel a call; its sign-ups stay on record but no longer book anyone."""
    with transaction.atomic():
        Call.objects.filter(pk=call.pk).update(status=Call.Status.CANCELLED)
        Signup.objects.filter(call=call, status=Signup.Status.ACTIVE).update(
            status=Signup.Status.CANCELLED, cancelled_at=clock.now()
        )
        audit_record(actor=actor, action="volunteers.call_cancel", target=call)
    call.refresh_from_db()
    return call


_SIGNUP_CONFLICTS = {
    rules.SignupProblemCode.CALL_CLOSED,
    rules.SignupProblemCode.CALL_FULL,
    rules.SignupProblemCode.ALREADY_SIGNED_UP,
    rules.SignupProblemCode.DOUBLE_BOOKED,
}


def signup_create(*, call: Call, volunteer: VolunteerProfile, actor) -> Signup:
    """Sign a volunteer up: only an open call with room, once, never two places at once."""
    now = clock.now()
    with transaction.atomic():
        # The volunteer's writes queue here, so two sign-ups at once cannot both pass the
        # double-booking check below.
        VolunteerProfile.objects.select_for_update().filter(pk=volunteer.pk).first()
        call = Call.objects.get(pk=call.pk)
        if call.status != Call.Status.OPEN:
            raise Conflict(_("This call was cancelled."), code="call_closed")
        already = Signup.objects.filter(
            call=call, volunteer=volunteer, status=Signup.Status.ACTIVE
        ).exists()
        others = Signup.objects.filter(
            volunteer=volunteer,
            status=Signup.Status.ACTIVE,
            start__lt=call.end,
            end__gt=call.start,
        ).exclude(call=call)
        problems = rules.signup_check(
            shift=rules.Shift(
                start=call.start,
                end=call.end,
                capacity=call.capacity,
                required_skills=frozenset(call.required_skills),
            ),
            now=now,
            taken=call.taken,
            already_signed_up=already,
            volunteer_shifts=[(s.start, s.end) for s in others],
            volunteer_skills=frozenset(volunteer.skills),
        )
        missing = sorted(set(call.required_skills) - set(volunteer.skills))
        conflicts = [p for p in problems if p.code in _SIGNUP_CONFLICTS]
        if conflicts:
            raise Conflict(
                texts.signup_problem_words(
                    conflicts[0], capacity=call.capacity, missing_skills=missing
                ),
                code=conflicts[0].code.value,
            )
        if problems:
            raise ValidationFailed.field(
                "skills",
                texts.signup_problem_words(
                    problems[0], capacity=call.capacity, missing_skills=missing
                ),
            )
        # The capacity holds under concurrent sign-ups: the row count says who got the place.
        taken = Call.objects.filter(
            pk=call.pk, status=Call.Status.OPEN, taken__lt=F("capacity")
        ).update(taken=F("taken") + 1)
        if taken == 0:
            raise Conflict(
                _("All %(n)s places are taken.") % {"n": call.capacity}, code="call_full"
            )
        try:
            with transaction.atomic():
                signup = Signup.objects.create(
                    call=call, volunteer=volunteer, start=call.start, end=call.end, created_at=now
                )
        except IntegrityError:
            raise Conflict(
                _("Already signed up for this call."), code="already_signed_up"
            ) from None
        audit_record(
            actor=actor,
            action="volunteers.signup",
            target=signup,
            details={"call": call.pk, "volunteer": volunteer.public_id},
        )
    return signup


def signup_cancel(*, signup: Signup, actor) -> Signup:
    """Give up a place before the shift starts; the place returns to the call."""
    with transaction.atomic():
        if signup.start <= clock.now():
            raise Conflict(_("The shift has started: ask the coordinator."), code="call_closed")
        changed = Signup.objects.filter(pk=signup.pk, status=Signup.Status.ACTIVE).update(
            status=Signup.Status.CANCELLED, cancelled_at=clock.now()
        )
        if changed:
            Call.objects.filter(pk=signup.call_id, taken__gt=0).update(taken=F("taken") - 1)
            audit_record(actor=actor, action="volunteers.signup_cancel", target=signup)
    signup.refresh_from_db()
    return signup


# --- service records -----------------------------------------------------------------------


def _busy_intervals(volunteer: VolunteerProfile, start, end, now, exclude=None):
    qs = ServiceRecord.objects.filter(volunteer=volunteer, status__in=BUSY, start__lt=end)
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    # An open check-in occupies the time from its start until now.
    return [(r.start, r.end or max(now, r.start + timedelta(minutes=1))) for r in qs]


def _check_record(volunteer, start, end, now, exclude=None) -> None:
    problems = rules.service_record_check(
        start=start,
        end=end,
        now=now,
        existing=_busy_intervals(volunteer, start, end, now, exclude),
    )
    if problems:
        fields: dict[str, list[str]] = {}
        for p in problems:
            fields.setdefault(p.field, []).append(texts.service_problem_words(p))
        raise ValidationFailed(
            texts.service_problem_words(problems[0]), fields=fields, code=problems[0].code.value
        )


def service_record_create(
    *,
    volunteer: VolunteerProfile,
    start: datetime,
    end: datetime,
    activity: str,
    source: str,
    actor,
    place=None,
    confirmed_by=None,
    organization: Organization | None = None,
    region=None,
    call: Call | None = None,
    note: str = "",
) -> ServiceRecord:
    """Record a service done: by the apps that know it (a checkpoint shift, a tracing task, a
    delivery: `source` names it, and the same source again returns the first record) or entered
    by a coordinator (source ""). With `confirmed_by` (a second party) it counts at once.
    """
    if source and len(source) > 80:
        raise ValidationFailed.field("source", _("A source has at most 80 characters."))
    if source and (existing := ServiceRecord.objects.filter(source=source).first()):
        if existing.volunteer_id != volunteer.pk:
            raise Conflict(f"{source} was recorded for another volunteer.", code="source_taken")
        return existing
    if activity not in Activity.values:
        raise ValidationFailed.field(
            "activity", f"{activity!r} is not one of {', '.join(Activity.values)}."
        )
    if len(note or "") > 300:
        raise ValidationFailed.field("note", _("At most 300 characters."))
    if confirmed_by is not None and confirmed_by.pk == volunteer.user_id:
        raise ValidationFailed.field(
            "confirmed_by", _("A second party confirms, not the volunteer.")
        )
    now = clock.now()
    try:
        with transaction.atomic():
            VolunteerProfile.objects.select_for_update().filter(pk=volunteer.pk).first()
            _check_record(volunteer, start, end, now)
            record = ServiceRecord.objects.create(
                volunteer=volunteer,
                organization=organization or (place.operator if place else None),
                region=region or (place.region if place else volunteer.home_region),
                place=place,
                call=call,
                activity=activity,
                start=start,
                end=end,
                minutes=rules.service_minutes(start=start, end=end),
                status=ServiceRecord.Status.PENDING,
                method=ServiceRecord.Method.SYSTEM if source else ServiceRecord.Method.COORDINATOR,
                source=source or "",
                note=note or "",
                entered_by=actor if getattr(actor, "is_authenticated", False) else None,
                created_at=now,
            )
            audit_record(
                actor=actor,
                action="volunteers.record_create",
                target=record,
                details={"source": source, "minutes": record.minutes},
            )
            if confirmed_by is not None:
                record = _confirm(record, confirmed_by)
    except IntegrityError:
        # The same source from two workers at once: the constraint kept one; answer with it.
        existing = ServiceRecord.objects.filter(source=source).first() if source else None
        if existing is None:
            raise
        return existing
    return record


def _call_at(volunteer, place, at) -> Call | None:
    """The call the volunteer signed up for at this place and time, if any."""
    signup = (
        Signup.objects.select_related("call")
        .filter(
            volunteer=volunteer,
            status=Signup.Status.ACTIVE,
            call__place=place,
            start__lte=at + timedelta(hours=1),  # an hour early counts: handovers overlap
            end__gt=at,
        )
        .first()
    )
    return signup.call if signup else None


def check_in(*, volunteer: VolunteerProfile, payload: str, actor) -> ServiceRecord:
    """Check in by scanning the place code of a checkpoint or site; the time is the server's."""
    place = place_by_payload(payload=payload)
    now = clock.now()
    try:
        with transaction.atomic():
            VolunteerProfile.objects.select_for_update().filter(pk=volunteer.pk).first()
            if ServiceRecord.objects.filter(
                volunteer=volunteer, status=ServiceRecord.Status.CHECKED_IN
            ).exists():
                raise Conflict(_("You are checked in already: check out first."), code="checked_in")
            overlap = ServiceRecord.objects.filter(
                volunteer=volunteer, status__in=BUSY, end__gt=now
            ).first()
            if overlap is not None:
                raise ValidationFailed.field("start", _("Another record covers this time."))
            call = _call_at(volunteer, place, now)
            activity = call.activity if call else _activity_of_place(place.kind)
            record = ServiceRecord.objects.create(
                volunteer=volunteer,
                organization=call.organization if call else place.operator,
                region=place.region,
                place=place,
                call=call,
                activity=activity,
                start=now,
                status=ServiceRecord.Status.CHECKED_IN,
                method=ServiceRecord.Method.SCAN,
                entered_by=actor,
                created_at=now,
            )
            audit_record(actor=actor, action="volunteers.check_in", target=record)
    except IntegrityError:
        raise Conflict(
            _("You are checked in already: check out first."), code="checked_in"
        ) from None
    return record


def _activity_of_place(kind: str) -> str:
    gates = {
        "expressway_entrance",
        "railway_station",
        "village_entrance",
        "residential_gate",
        "enterprise_gate",
    }
    if kind in gates:
        return Activity.CHECKPOINT
    if kind == "warehouse":
        return Activity.DELIVERY
    return Activity.COMMUNITY


def check_out(*, volunteer: VolunteerProfile, payload: str, actor) -> ServiceRecord:
    """Check out at the same place: the record closes and waits for a second party to confirm."""
    place = place_by_payload(payload=payload)
    now = clock.now()
    with transaction.atomic():
        VolunteerProfile.objects.select_for_update().filter(pk=volunteer.pk).first()
        record = ServiceRecord.objects.filter(
            volunteer=volunteer, status=ServiceRecord.Status.CHECKED_IN
        ).first()
        if record is None:
            raise Conflict(_("You are not checked in."), code="not_checked_in")
        if record.place_id != place.pk:
            raise ValidationFailed.field(
                "payload",
                _("You checked in at %(place)s: check out there.") % {"place": record.place.name},
            )
        _check_record(volunteer, record.start, now, now, exclude=record.pk)
        changed = ServiceRecord.objects.filter(
            pk=record.pk, status=ServiceRecord.Status.CHECKED_IN
        ).update(
            end=now,
            minutes=rules.service_minutes(start=record.start, end=now),
            status=ServiceRecord.Status.PENDING,
        )
        if not changed:
            raise Conflict(_("This record changed just now; reload it."), code="record_changed")
        audit_record(actor=actor, action="volunteers.check_out", target=record)
    record.refresh_from_db()
    return record


def _confirm(record: ServiceRecord, actor) -> ServiceRecord:
    """Inside a transaction: pending -> confirmed once, then the hours are earned (signal)."""
    if actor is None or actor.pk == record.volunteer.user_id:
        raise PermissionDenied(_("A second party confirms a record, not the volunteer."))
    start_day = clock.local_date(record.start)
    zone = clock.local_zone()
    day_start = datetime.combine(start_day, datetime.min.time(), zone)
    earned_same_day = (
        ServiceRecord.objects.filter(
            volunteer_id=record.volunteer_id,
            status=ServiceRecord.Status.CONFIRMED,
            start__gte=day_start,
            start__lt=day_start + timedelta(days=1),
        ).aggregate(total=Sum("minutes"))["total"]
        or 0
    )
    minutes = rules.hours_earned(
        start=record.start, end=record.end, earned_same_day=earned_same_day
    )
    changed = ServiceRecord.objects.filter(
        pk=record.pk, status=ServiceRecord.Status.PENDING
    ).update(
        status=ServiceRecord.Status.CONFIRMED,
        confirmed_by=actor,
        decided_at=clock.now(),
        minutes=minutes,
    )
    record.refresh_from_db()
    if not changed:
        if record.status == ServiceRecord.Status.CONFIRMED:
            return record  # confirmed twice (a retry, a double tap): counted once
        raise Conflict(
            _("This record is %(status)s, not pending.") % {"status": record.get_status_display()},
            code="not_pending",
        )
    audit_record(
        actor=actor, action="volunteers.record_confirm", target=record, details={"minutes": minutes}
    )
    service_record_confirmed.send(sender=ServiceRecord, record=record, actor=actor)
    return record


def service_record_confirm(*, record: ServiceRecord, actor) -> ServiceRecord:
    """A second party (never the volunteer) confirms a record: from then on it counts."""
    with transaction.atomic():
        return _confirm(record, actor)


def service_record_reject(*, record: ServiceRecord, actor, reason: str) -> ServiceRecord:
    """Refuse a pending record, or close a forgotten check-in, with the reason."""
    reason = (reason or "").strip()
    if not reason or len(reason) > 300:
        raise ValidationFailed.field("reason", _("Say why, in 1 to 300 characters."))
    now = clock.now()
    with transaction.atomic():
        changes = {"status": ServiceRecord.Status.REJECTED, "reason": reason, "decided_at": now}
        if record.status == ServiceRecord.Status.CHECKED_IN:
            changes["end"] = max(now, record.start + timedelta(minutes=1))
        changed = ServiceRecord.objects.filter(
            pk=record.pk,
            status__in=[ServiceRecord.Status.PENDING, ServiceRecord.Status.CHECKED_IN],
        ).update(**changes)
        if not changed:
            raise Conflict(_("Only a pending record can be refused."), code="not_pending")
        audit_record(
            actor=actor, action="volunteers.record_reject", target=record, details={"why": reason}
        )
    record.refresh_from_db()
    return record


def service_record_void(*, record: ServiceRecord, actor, reason: str) -> ServiceRecord:
    """Undo a confirmed record found wrong: its hours are reversed by a new ledger entry."""
    reason = (reason or "").strip()
    if not reason or len(reason) > 300:
        raise ValidationFailed.field("reason", _("Say why, in 1 to 300 characters."))
    with transaction.atomic():
        changed = ServiceRecord.objects.filter(
            pk=record.pk, status=ServiceRecord.Status.CONFIRMED
        ).update(status=ServiceRecord.Status.VOIDED, reason=reason, decided_at=clock.now())
        if not changed:
            raise Conflict(_("Only a confirmed record can be voided."), code="not_confirmed")
        record.refresh_from_db()
        audit_record(
            actor=actor, action="volunteers.record_void", target=record, details={"why": reason}
        )
        service_record_voided.send(sender=ServiceRecord, record=record, actor=actor, reason=reason)
    return record
