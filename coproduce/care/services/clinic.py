"""Slots offered by credentialed counselors and volunteer doctors, bookings without double booking
(a database constraint), reminders, cancellation, no-shows, consultations and feedback."""

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from coproduce.accounts.models import User
from coproduce.care import rules
from coproduce.care.models import Booking, Consultation, Practitioner, Slot
from coproduce.care.services.practitioners import practitioner_active
from coproduce.core import clock
from coproduce.core.audit import audit_record
from coproduce.core.errors import Conflict, PermissionDenied, ValidationFailed
from coproduce.core.notify import notify

KIND_OF_SERVICE = {
    Slot.Service.CLINIC: Practitioner.Kind.CLINICIAN,
    Slot.Service.COUNSELING: Practitioner.Kind.COUNSELOR,
}


def slot_offer(
    *,
    actor: User,
    service: str,
    starts_at: datetime,
    ends_at: datetime,
    specialty: str,
    mode: str,
    place: str = "",
) -> Slot:
    """A credentialed clinician (clinic) or counselor (counseling) offers a free slot."""
    if service not in KIND_OF_SERVICE:
        raise ValidationFailed.field("service", _("Choose clinic or counseling."))
    provider = practitioner_active(user=actor, kind=KIND_OF_SERVICE[service])
    fields: dict[str, list[str]] = {}
    if mode not in Slot.Mode.values:
        fields["mode"] = [_("Choose in person or online.")]
    if not specialty.strip():
        fields["specialty"] = [_("Give the specialty.")]
    try:
        rules.slot_check(starts_at=starts_at, ends_at=ends_at, now=clock.now())
    except ValueError as exc:
        fields["ends_at" if "ends" in str(exc) or "hours" in str(exc) else "starts_at"] = [
            _("A slot ends after it starts, lasts at most 4 hours and is not in the past.")
        ]
    if fields:
        raise ValidationFailed(next(iter(fields.values()))[0], fields=fields)
    with transaction.atomic():
        slot = Slot.objects.create(
            provider=actor,
            organization=provider.organization,
            region=provider.organization.home_region,
            service=service,
            specialty=specialty.strip()[:60],
            mode=mode,
            place=place.strip()[:200],
            starts_at=starts_at,
            ends_at=ends_at,
        )
        audit_record(actor=actor, action="care.slot_offer", target=slot)
    return slot


def slot_cancel(*, slot: Slot, actor: User) -> Slot:
    """The provider withdraws a slot; a resident who had booked it is told."""
    if slot.provider_id != actor.pk:
        raise PermissionDenied(_("Only the one who offered a slot withdraws it."))
    with transaction.atomic():
        Slot.objects.filter(pk=slot.pk).update(cancelled=True)
        booked = list(Booking.objects.select_related("resident").filter(slot=slot, status="booked"))
        Booking.objects.filter(slot=slot, status="booked").update(status=Booking.Status.CANCELLED)
        audit_record(actor=actor, action="care.slot_cancel", target=slot)
        for booking in booked:
            _tell(
                booking.resident.phone,
                _("Your appointment on %(at)s was cancelled.") % {"at": _local(slot.starts_at)},
                "care.slot_cancelled",
            )
    slot.cancelled = True
    return slot


def _local(moment: datetime) -> str:
    return moment.astimezone(clock.local_zone()).strftime("%Y-%m-%d %H:%M")


def _tell(phone: str, text: str, kind: str) -> None:
    if phone:
        transaction.on_commit(lambda: notify(to=phone, text=text, kind=kind))


def booking_create(*, slot: Slot, resident, actor: User, by_proxy: bool = False) -> Booking:
    """Book a slot for a resident; a slot already booked is a conflict (the database decides)."""
    if slot.cancelled or slot.starts_at < clock.now():
        raise Conflict(_("This slot is no longer offered."), code="slot_closed")
    if slot.provider_id == actor.pk:
        raise ValidationFailed.field("slot", _("You cannot book your own slot."))
    try:
        with transaction.atomic():
            booking = Booking.objects.create(
                slot=slot, resident=resident, booked_by=actor, by_proxy=by_proxy
            )
            audit_record(
                actor=actor,
                action="care.booking_create",
                target=booking,
                details={"slot": slot.pk, "by_proxy": by_proxy},
            )
    except IntegrityError:
        # The unique active booking per slot: the other request won the race.
        raise Conflict(_("This slot has just been booked."), code="slot_taken") from None
    _tell(
        resident.phone,
        _("Booked: %(at)s, %(specialty)s.")
        % {"at": _local(slot.starts_at), "specialty": slot.specialty},
        "care.booking",
    )
    return booking


def booking_cancel(*, booking: Booking, actor: User) -> Booking:
    """The resident (or their proxy) cancels; the slot is free again."""
    with transaction.atomic():
        changed = Booking.objects.filter(pk=booking.pk, status=Booking.Status.BOOKED).update(
            status=Booking.Status.CANCELLED
        )
        if not changed:
            raise Conflict(_("Only a booked appointment can be cancelled."), code="booking_state")
        audit_record(actor=actor, action="care.booking_cancel", target=booking)
    booking.status = Booking.Status.CANCELLED
    return booking


def booking_mark(*, booking: Booking, status: str, actor: User) -> Booking:
    """The provider marks a booking attended or a no-show once its time has come."""
    if status not in (Booking.Status.ATTENDED, Booking.Status.NO_SHOW):
        raise ValidationFailed.field("status", _("Choose attended or did not come."))
    if booking.slot.provider_id != actor.pk:
        raise PermissionDenied(_("Only the provider marks attendance."))
    if booking.slot.starts_at > clock.now():
        raise Conflict(_("The appointment has not started yet."), code="too_early")
    with transaction.atomic():
        changed = Booking.objects.filter(pk=booking.pk, status=Booking.Status.BOOKED).update(
            status=status
        )
        if not changed:
            raise Conflict(_("Only a booked appointment can be marked."), code="booking_state")
        audit_record(
            actor=actor, action="care.booking_mark", target=booking, details={"status": status}
        )
    booking.status = status
    return booking


def bookings_remind(*, hours: int = 24, actor: User | None = None) -> dict:
    """Remind residents of their appointments in the next `hours`, once each."""
    now = clock.now()
    due = list(
        Booking.objects.select_related("slot", "resident").filter(
            status=Booking.Status.BOOKED,
            reminded_at__isnull=True,
            slot__starts_at__gte=now,
            slot__starts_at__lt=now + timedelta(hours=hours),
        )
    )
    with transaction.atomic():
        sent = Booking.objects.filter(pk__in=[b.pk for b in due], reminded_at__isnull=True).update(
            reminded_at=now
        )
        for booking in due:
            _tell(
                booking.resident.phone,
                _("Reminder: your appointment at %(at)s (%(specialty)s).")
                % {"at": _local(booking.slot.starts_at), "specialty": booking.slot.specialty},
                "care.reminder",
            )
        if sent:
            audit_record(
                actor=actor,
                action="care.bookings_remind",
                object_type="care.booking",
                details={"reminded": sent},
            )
    return {"reminded": sent}


def consultation_record(
    *, booking: Booking, summary: str, actor: User, referral: str = "none", referral_to: str = ""
) -> Consultation:
    """The volunteer doctor records a minimal consultation (and a referral); the booking is attended."""
    practitioner_active(user=actor, kind=Practitioner.Kind.CLINICIAN)
    if booking.slot.provider_id != actor.pk:
        raise PermissionDenied(_("Only the doctor of the slot records its consultation."))
    fields: dict[str, list[str]] = {}
    if not summary.strip() or len(summary) > 200:
        fields["summary"] = [_("A short summary, at most 200 characters.")]
    if referral not in Consultation.Referral.values:
        fields["referral"] = [_("Choose none, hospital or counselor.")]
    if referral != "none" and not referral_to.strip():
        fields["referral_to"] = [_("Say where the resident is referred.")]
    if booking.status not in (Booking.Status.BOOKED, Booking.Status.ATTENDED):
        fields["booking"] = [_("This booking was cancelled or missed.")]
    if fields:
        raise ValidationFailed(next(iter(fields.values()))[0], fields=fields)
    try:
        with transaction.atomic():
            Booking.objects.filter(pk=booking.pk).update(status=Booking.Status.ATTENDED)
            consultation = Consultation.objects.create(
                booking=booking,
                clinician=actor,
                organization=booking.slot.organization,
                region=booking.resident.home_region,
                summary=summary.strip(),
                referral=referral,
                referral_to=referral_to.strip()[:200],
                recorded_at=clock.now(),
            )
            audit_record(actor=actor, action="care.consultation_record", target=consultation)
    except IntegrityError:
        raise Conflict(
            _("This consultation is recorded already."), code="consultation_exists"
        ) from None
    return consultation


def consultation_feedback(
    *, consultation: Consultation, rating: int, comment: str = "", actor: User
) -> Consultation:
    """The resident rates the consultation 1-5, once."""
    if not 1 <= rating <= 5:
        raise ValidationFailed.field("rating", _("Rate from 1 to 5."))
    with transaction.atomic():
        changed = Consultation.objects.filter(
            pk=consultation.pk, feedback_rating__isnull=True
        ).update(feedback_rating=rating, feedback_comment=comment.strip()[:200])
        if not changed:
            raise Conflict(_("You have given feedback already."), code="feedback_given")
        audit_record(actor=actor, action="care.consultation_feedback", target=consultation)
    consultation.refresh_from_db()
    return consultation
