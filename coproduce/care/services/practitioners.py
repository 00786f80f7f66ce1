"""Practitioners, their credentials (recorded, then verified) and the crisis duty roster."""

from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from coproduce.accounts.models import User
from coproduce.care import rules
from coproduce.care.models import Credential, DutyShift, Practitioner
from coproduce.core import clock
from coproduce.core.audit import audit_record
from coproduce.core.errors import Conflict, PermissionDenied, ValidationFailed

# The credential each kind of practitioner needs to work (social workers follow cases without one).
NEEDS = {
    Practitioner.Kind.COUNSELOR: Credential.Kind.COUNSELING_CERTIFICATE,
    Practitioner.Kind.CLINICIAN: Credential.Kind.MEDICAL_LICENCE,
}


def practitioner_register(
    *,
    user: User,
    organization,
    kind: str,
    display_name: str,
    actor: User,
    languages: list[str] | None = None,
    specialties: list[str] | None = None,
    availability: str = "",
    supervisor: User | None = None,
    phone: str = "",
) -> Practitioner:
    """Register (or update) a person as a counselor, clinician or social worker of an organization."""
    if kind not in Practitioner.Kind.values:
        raise ValidationFailed.field("kind", _("Choose counselor, clinician or social worker."))
    if supervisor is not None and supervisor.pk == user.pk:
        raise ValidationFailed.field("supervisor", _("Nobody supervises themselves."))
    with transaction.atomic():
        practitioner, _created = Practitioner.objects.update_or_create(
            user=user,
            defaults={
                "organization": organization,
                "kind": kind,
                "display_name": display_name.strip()[:100] or user.get_username(),
                "languages": languages or ["zh"],
                "specialties": specialties or [],
                "availability": availability[:200],
                "supervisor": supervisor,
                "phone": phone[:16],
            },
        )
        audit_record(actor=actor, action="care.practitioner_register", target=practitioner)
    return practitioner


def credential_record(
    *,
    user: User,
    organization,
    kind: str,
    number: str,
    issuer: str,
    expires_on: date,
    actor: User,
) -> Credential:
    """Record a counseling certificate or medical licence, pending verification."""
    fields: dict[str, list[str]] = {}
    if kind not in Credential.Kind.values:
        fields["kind"] = [_("Choose counseling_certificate or medical_licence.")]
    if not number.strip():
        fields["number"] = [_("Give the certificate or licence number.")]
    if not issuer.strip():
        fields["issuer"] = [_("Give who issued it.")]
    if expires_on < clock.today():
        fields["expires_on"] = [_("This credential has expired already.")]
    if fields:
        raise ValidationFailed(next(iter(fields.values()))[0], fields=fields)
    try:
        with transaction.atomic():
            credential = Credential.objects.create(
                user=user,
                organization=organization,
                kind=kind,
                number=number.strip()[:64],
                issuer=issuer.strip()[:200],
                expires_on=expires_on,
                recorded_by=actor,
            )
            audit_record(actor=actor, action="care.credential_record", target=credential)
    except IntegrityError:
        raise Conflict(
            _("This number from this issuer is recorded already."), code="credential_exists"
        ) from None
    return credential


def credential_verify(*, credential: Credential, state: str, actor: User) -> Credential:
    """Verify or reject a credential (an admin or a health official, never its holder)."""
    if state not in (Credential.State.VERIFIED, Credential.State.REJECTED):
        raise ValidationFailed.field("state", _("Choose verified or rejected."))
    if actor is not None and credential.user_id == actor.pk:
        raise PermissionDenied(_("Nobody verifies their own credential."))
    with transaction.atomic():
        credential.state = state
        credential.verified_by = actor
        credential.verified_at = clock.now()
        credential.save(update_fields=["state", "verified_by", "verified_at"])
        audit_record(
            actor=actor,
            action="care.credential_verify",
            target=credential,
            details={"state": state},
        )
    return credential


def practitioner_active(*, user: User, kind: str) -> Practitioner:
    """The caller as a practitioner of `kind` with a verified, unexpired credential, or 403."""
    practitioner = Practitioner.objects.select_related("organization").filter(user=user).first()
    if practitioner is None or practitioner.kind != kind:
        raise PermissionDenied(
            _("You are not registered as a %(kind)s.") % {"kind": Practitioner.Kind(kind).label}
        )
    today = clock.today()
    credentials = Credential.objects.filter(user=user, kind=NEEDS[kind]).values_list(
        "state", "expires_on"
    )
    if not any(
        rules.credential_valid(verified=state == "verified", expires_on=expires, today=today)
        for state, expires in credentials
    ):
        raise PermissionDenied(
            _("You need a verified, unexpired %(credential)s for this.")
            % {"credential": Credential.Kind(NEEDS[kind]).label},
            code="credential_required",
        )
    return practitioner


def duty_shift_add(
    *, organization, counselor: User, starts_at: datetime, ends_at: datetime, actor: User
) -> DutyShift:
    """Put a counselor of the organization on crisis duty for a time."""
    if ends_at <= starts_at:
        raise ValidationFailed.field("ends_at", _("A shift ends after it starts."))
    if not Practitioner.objects.filter(
        user=counselor, organization=organization, kind=Practitioner.Kind.COUNSELOR
    ).exists():
        raise ValidationFailed.field(
            "counselor", _("Only a counselor of this organization takes crisis duty.")
        )
    with transaction.atomic():
        shift = DutyShift.objects.create(
            organization=organization, counselor=counselor, starts_at=starts_at, ends_at=ends_at
        )
        audit_record(actor=actor, action="care.duty_shift_add", target=shift)
    return shift
