"""The 24-hour staffing plan: shifts, assignments, served shifts as service records."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from coproduce.accounts.models import User
from coproduce.checkpoints.models import Checkpoint, Shift, ShiftAssignment
from coproduce.core import clock
from coproduce.core.audit import audit_record
from coproduce.core.errors import Conflict, DomainError, PermissionDenied, ValidationFailed
from coproduce.orgs.models import Membership
from coproduce.volunteers.models import Activity, VolunteerProfile
from coproduce.volunteers.services import service_record_create

MAX_SHIFT = timedelta(hours=24)
PLAN_LENGTHS = (4, 6, 8, 12, 24)  # hours per shift in a generated 24-hour plan


def shift_create(
    *, checkpoint: Checkpoint, starts_at: datetime, ends_at: datetime, capacity: int, actor
) -> Shift:
    """Add one shift to a checkpoint's staffing plan."""
    fields: dict[str, list[str]] = {}
    if ends_at <= starts_at:
        fields["ends_at"] = [_("A shift ends after it starts.")]
    elif ends_at - starts_at > MAX_SHIFT:
        fields["ends_at"] = [_("A shift lasts at most 24 hours.")]
    if not 1 <= capacity <= 50:
        fields["capacity"] = [_("Between 1 and 50 volunteers.")]
    if fields:
        raise ValidationFailed(next(iter(fields.values()))[0], fields=fields)
    with transaction.atomic():
        shift = Shift.objects.create(
            checkpoint=checkpoint,
            starts_at=starts_at,
            ends_at=ends_at,
            capacity=capacity,
            created_by=actor,
        )
        audit_record(actor=actor, action="checkpoints.shift_create", target=shift)
    return shift


def shift_plan_day(
    *, checkpoint: Checkpoint, day: date, hours: int, capacity: int, actor
) -> list[Shift]:
    """Lay a 24-hour plan for one local day in shifts of `hours`; existing starts are kept."""
    if hours not in PLAN_LENGTHS:
        raise ValidationFailed.field(
            "hours",
            _("Shifts of %(lengths)s hours cover a day evenly.")
            % {"lengths": ", ".join(map(str, PLAN_LENGTHS))},
        )
    if not 1 <= capacity <= 50:
        raise ValidationFailed.field("capacity", _("Between 1 and 50 volunteers."))
    zone = clock.local_zone()
    start = datetime.combine(day, time(0), tzinfo=zone)
    made = []
    with transaction.atomic():
        taken = set(
            Shift.objects.filter(
                checkpoint=checkpoint, starts_at__gte=start, starts_at__lt=start + timedelta(days=1)
            ).values_list("starts_at", flat=True)
        )
        for n in range(24 // hours):
            begins = datetime.combine(day, time(0), tzinfo=zone) + timedelta(hours=n * hours)
            if begins in taken:
                continue
            made.append(
                Shift.objects.create(
                    checkpoint=checkpoint,
                    starts_at=begins,
                    ends_at=begins + timedelta(hours=hours),
                    capacity=capacity,
                    created_by=actor,
                )
            )
        audit_record(
            actor=actor,
            action="checkpoints.shift_plan",
            target=checkpoint,
            details={"day": day.isoformat(), "hours": hours, "made": len(made)},
        )
    return made


def shift_assign(*, shift: Shift, user, actor) -> ShiftAssignment:
    """Put a volunteer of the operating organization on a shift: within capacity, never twice."""
    checkpoint = shift.checkpoint
    operator_id = checkpoint.place.operator_id
    if (
        operator_id is None
        or not Membership.objects.filter(organization_id=operator_id, user=user).exists()
    ):
        raise PermissionDenied(
            _("Only members of the organization operating this checkpoint staff its shifts."),
            code="not_a_member",
        )
    with transaction.atomic():
        # One volunteer's bookings are decided one at a time (PostgreSQL row lock; SQLite's
        # write lock serializes every writer anyway), so two overlapping shifts cannot both win.
        User.objects.select_for_update().filter(pk=user.pk).first()
        overlapping = ShiftAssignment.objects.filter(
            user=user,
            status=ShiftAssignment.Status.ASSIGNED,
            shift__starts_at__lt=shift.ends_at,
            shift__ends_at__gt=shift.starts_at,
        )
        if overlapping.exists():
            raise Conflict(
                _("This volunteer is on another shift at that time."),
                code="double_booked",
                fields={"user": [_("On another shift at that time.")]},
            )
        # Capacity by a conditional update: a full shift takes no one more, even in a race.
        if not Shift.objects.filter(pk=shift.pk, filled__lt=F("capacity")).update(
            filled=F("filled") + 1
        ):
            raise Conflict(_("This shift is full."), code="shift_full")
        try:
            with transaction.atomic():
                assignment = ShiftAssignment.objects.create(
                    shift=shift, user=user, assigned_by=actor
                )
        except IntegrityError:
            raise Conflict(
                _("This volunteer is on this shift already."), code="already_assigned"
            ) from None
        audit_record(
            actor=actor,
            action="checkpoints.shift_assign",
            target=assignment,
            details={"shift": shift.pk, "user": user.pk},
        )
    return assignment


def shift_unassign(*, assignment: ShiftAssignment, actor) -> None:
    """Take a volunteer off a shift that has not been completed."""
    with transaction.atomic():
        deleted = ShiftAssignment.objects.filter(
            pk=assignment.pk, status=ShiftAssignment.Status.ASSIGNED
        ).delete()[0]
        if not deleted:
            raise Conflict(
                _("This assignment was completed or removed already."), code="not_assigned"
            )
        Shift.objects.filter(pk=assignment.shift_id, filled__gt=0).update(filled=F("filled") - 1)
        audit_record(
            actor=actor,
            action="checkpoints.shift_unassign",
            object_type="checkpoints.shiftassignment",
            object_id=str(assignment.pk),
            details={"shift": assignment.shift_id, "user": assignment.user_id},
        )


def shift_complete(*, assignment: ShiftAssignment, actor, present: bool = True) -> ShiftAssignment:
    """Record that a volunteer served a shift that has ended (or was absent); once."""
    shift = assignment.shift
    if shift.ends_at > clock.now():
        raise ValidationFailed.field("status", _("A shift is completed after it ends."))
    status = ShiftAssignment.Status.COMPLETED if present else ShiftAssignment.Status.ABSENT
    with transaction.atomic():
        if not ShiftAssignment.objects.filter(
            pk=assignment.pk, status=ShiftAssignment.Status.ASSIGNED
        ).update(status=status):
            raise Conflict(_("This shift was recorded already."), code="shift_recorded")
        assignment.status = status
        record_id = _service_record(assignment=assignment, actor=actor) if present else None
        audit_record(
            actor=actor,
            action="checkpoints.shift_complete",
            target=assignment,
            details={"status": status, "service_record": record_id},
        )
    return assignment


def _service_record(*, assignment: ShiftAssignment, actor) -> int | None:
    """A served shift becomes a service record of the volunteer (PRODUCT.md 3.5), confirmed by the
    coordinator who recorded it (a second party), once per assignment. A member without a
    volunteer profile, or whose record would overlap another, keeps the shift without hours."""
    profile = VolunteerProfile.objects.filter(user_id=assignment.user_id).first()
    if profile is None:
        return None
    shift = assignment.shift
    second_party = actor if getattr(actor, "pk", None) not in (None, assignment.user_id) else None
    try:
        record = service_record_create(
            volunteer=profile,
            start=shift.starts_at,
            end=shift.ends_at,
            activity=Activity.CHECKPOINT,
            source=f"checkpoints.shift:{assignment.pk}",
            actor=actor,
            place=shift.checkpoint.place,
            confirmed_by=second_party,
            note=f"Checkpoint shift at {shift.checkpoint.place.name}"[:300],
        )
    except DomainError:
        return None
    return record.pk
