"""The hotline: sessions logged minimally, screenings scored as published, crisis alerts to the
counselor on duty with an acknowledgement deadline, escalation to the supervisor, follow-up."""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from coproduce.accounts.models import User
from coproduce.care import rules
from coproduce.care.models import Alert, DutyShift, Practitioner, Screening, Session
from coproduce.care.selectors import supervisors_of
from coproduce.care.services.practitioners import practitioner_active
from coproduce.core import clock
from coproduce.core.audit import audit_record
from coproduce.core.errors import Conflict, NotFound, ValidationFailed
from coproduce.core.notify import notify
from coproduce.people.rules import phone_normalize, phone_problem


@dataclass(frozen=True)
class ScreeningInput:
    """A screening as answered: the instrument and one answer 0-3 per item."""

    instrument: str
    answers: list[int]


def _score(screening: ScreeningInput) -> rules.ScreeningResult:
    try:
        return rules.screening_score(screening.instrument, screening.answers)
    except ValueError as exc:
        field = "instrument" if "is not a valid" in str(exc) else "answers"
        raise ValidationFailed.field(field, str(exc)) from None


def session_log(
    *,
    actor: User,
    group: str,
    topic: str,
    channel: str = Session.Channel.HOTLINE,
    resident=None,
    callback_phone: str = "",
    outcome: str = "",
    follow_up: str = Session.FollowUp.NONE,
    minutes: int = 0,
    screening: ScreeningInput | None = None,
) -> tuple[Session, Screening | None]:
    """Log a call or session (and the screening taken in it) by a credentialed counselor."""
    counselor = practitioner_active(user=actor, kind=Practitioner.Kind.COUNSELOR)
    fields: dict[str, list[str]] = {}
    for name, value, choices in (
        ("group", group, Session._meta.get_field("group").choices),
        ("topic", topic, Session.Topic.choices),
        ("channel", channel, Session.Channel.choices),
        ("follow_up", follow_up, Session.FollowUp.choices),
    ):
        if value not in {c for c, _label in choices}:
            fields[name] = [_("Choose one of the options.")]
    phone = phone_normalize(callback_phone) if callback_phone else ""
    if phone_problem(phone) or len(phone) > 16:
        fields["callback_phone"] = [_("Give a phone number.")]
    if len(outcome) > 200:
        fields["outcome"] = [_("The outcome is short: at most 200 characters.")]
    if not 0 <= minutes <= 600:
        fields["minutes"] = [_("Minutes lie between 0 and 600.")]
    result = _score(screening) if screening is not None else None
    if fields:
        raise ValidationFailed(next(iter(fields.values()))[0], fields=fields)
    now = clock.now()
    with transaction.atomic():
        session = Session.objects.create(
            organization=counselor.organization,
            counselor=actor,
            region=resident.home_region if resident else counselor.organization.home_region,
            channel=channel,
            resident=resident,
            # Privacy: a number only for an anonymous caller, and only for a while.
            callback_phone="" if resident else phone,
            callback_until=rules.callback_keep_until(
                logged_at=now, days=settings.CARE_CALLBACK_DAYS
            )
            if phone and not resident
            else None,
            group=group,
            topic=topic,
            outcome=outcome.strip(),
            follow_up=follow_up,
            started_at=now,
            minutes=minutes,
        )
        audit_record(actor=actor, action="care.session_log", target=session)
        record = None
        if result is not None:
            record = _screening_create(
                counselor=counselor,
                actor=actor,
                session=session,
                result=result,
                answers=screening.answers,
                resident=resident,
                group=group,
                now=now,
            )
    return session, record


def screening_record(
    *,
    actor: User,
    instrument: str,
    answers: list[int],
    resident=None,
    session: Session | None = None,
    group: str = "other",
) -> Screening:
    """Record a PHQ-9 or GAD-7 by a credentialed counselor; a high risk raises a crisis alert."""
    counselor = practitioner_active(user=actor, kind=Practitioner.Kind.COUNSELOR)
    result = _score(ScreeningInput(instrument=instrument, answers=answers))
    if session is not None and session.counselor_id != actor.pk:
        raise NotFound(_("No such session."), code="session_not_found")
    with transaction.atomic():
        return _screening_create(
            counselor=counselor,
            actor=actor,
            session=session,
            result=result,
            answers=answers,
            resident=resident or (session.resident if session else None),
            group=session.group if session else group,
            now=clock.now(),
        )


def _screening_create(*, counselor, actor, session, result, answers, resident, group, now):
    screening = Screening.objects.create(
        session=session,
        organization=counselor.organization,
        counselor=actor,
        region=session.region
        if session
        else (resident.home_region if resident else counselor.organization.home_region),
        resident=resident,
        group=group,
        instrument=result.instrument.value,
        answers=list(answers),
        total=result.total,
        severity=result.severity.value,
        risk=result.risk.value,
        escalated=result.escalates,
        taken_at=now,
    )
    # The answers are the record's content: the trail names the screening, never its answers.
    audit_record(
        actor=actor, action="care.screening_record", target=screening, details={"risk": result.risk}
    )
    if result.escalates:
        _alert_raise(screening=screening, counselor=counselor, actor=actor, now=now)
    return screening


def _on_duty(organization_id: int, now) -> int | None:
    shifts = DutyShift.objects.filter(
        organization_id=organization_id, starts_at__lte=now, ends_at__gt=now
    ).values_list("counselor_id", "starts_at", "ends_at")
    return rules.on_duty([rules.Shift(*row) for row in shifts], now)


def _supervisor(user_id: int | None) -> int | None:
    if user_id is None:
        return None
    return (
        Practitioner.objects.filter(user_id=user_id).values_list("supervisor_id", flat=True).first()
    )


def _address(user_id: int) -> str:
    """Where a practitioner is notified: their phone if known, else their user name."""
    practitioner = Practitioner.objects.filter(user_id=user_id).select_related("user").first()
    if practitioner is not None and practitioner.phone:
        return practitioner.phone
    return User.objects.filter(pk=user_id).values_list("username", flat=True).first() or ""


def _send(user_id: int | None, text: str, kind: str, alert_id: int) -> None:
    if user_id is None:
        return
    to = _address(user_id)
    # After the commit: no alert is sent for a screening that was rolled back.
    transaction.on_commit(lambda: notify(to=to, text=text, kind=kind, data={"alert": alert_id}))


def _alert_raise(*, screening: Screening, counselor: Practitioner, actor: User, now) -> Alert:
    """A high-risk screening alerts the counselor on crisis duty at once."""
    on_duty = _on_duty(counselor.organization_id, now)
    alert = Alert.objects.create(
        screening=screening,
        organization=counselor.organization,
        on_duty_id=on_duty,
        raised_at=now,
        ack_deadline=rules.ack_deadline(now, settings.CARE_ACK_MINUTES),
    )
    audit_record(actor=actor, action="care.alert_raise", target=alert, details={"on_duty": on_duty})
    if on_duty is None:
        # Nobody on duty (a gap in the roster): straight to the counselor's supervisor.
        _escalate(alert=alert, now=now, actor=actor, fallback=counselor.user_id)
    else:
        _send(
            on_duty,
            _("Crisis alert %(id)s: a high-risk screening. Acknowledge within %(n)s minutes.")
            % {"id": alert.pk, "n": settings.CARE_ACK_MINUTES},
            "care.alert",
            alert.pk,
        )
    return alert


def _escalate(*, alert: Alert, now, actor, fallback: int | None = None) -> bool:
    supervisor = (
        _supervisor(alert.on_duty_id)
        or _supervisor(fallback)
        or _supervisor(alert.screening.counselor_id)
    )
    # Conditional: a counselor acknowledging at the same moment wins or loses cleanly.
    changed = Alert.objects.filter(
        pk=alert.pk, state=Alert.State.OPEN, acknowledged_at__isnull=True
    ).update(state=Alert.State.ESCALATED, escalated_to_id=supervisor, escalated_at=now)
    if not changed:
        return False
    audit_record(
        actor=actor,
        action="care.alert_escalate",
        object_type="care.alert",
        object_id=str(alert.pk),
        details={"to": supervisor},
    )
    _send(
        supervisor,
        _("Crisis alert %(id)s was not acknowledged in time: please take it now.")
        % {"id": alert.pk},
        "care.alert_escalated",
        alert.pk,
    )
    return True


def alerts_escalate(*, actor: User | None = None) -> dict:
    """Escalate to the supervisor every alert whose acknowledgement deadline has passed."""
    now = clock.now()
    escalated = 0
    due = Alert.objects.select_related("screening").filter(
        state=Alert.State.OPEN, acknowledged_at__isnull=True, ack_deadline__lt=now
    )
    for alert in due:
        if not rules.alert_overdue(deadline=alert.ack_deadline, now=now, acknowledged=False):
            continue
        with transaction.atomic():
            escalated += _escalate(alert=alert, now=now, actor=actor)
    return {"escalated": escalated}


def _may_handle(alert: Alert, user: User) -> bool:
    """The counselor on duty, the supervisor it went to, and their supervisors handle an alert."""
    handlers = {alert.on_duty_id, alert.escalated_to_id} - {None}
    for handler in list(handlers):
        handlers.update(supervisors_of(handler))
    return user.pk in handlers


def alert_acknowledge(*, alert: Alert, actor: User) -> Alert:
    """The counselor on duty (or the supervisor) takes the alert; the first one is recorded."""
    if not _may_handle(alert, actor):
        raise NotFound(_("No such alert."), code="alert_not_found")
    now = clock.now()
    with transaction.atomic():
        # One winner whatever the race: the row changes only while nobody has acknowledged it.
        changed = Alert.objects.filter(pk=alert.pk, acknowledged_at__isnull=True).update(
            acknowledged_by=actor, acknowledged_at=now, state=Alert.State.ACKNOWLEDGED
        )
        if not changed:
            raise Conflict(_("This alert has been acknowledged already."), code="alert_taken")
        audit_record(actor=actor, action="care.alert_acknowledge", target=alert)
    alert.refresh_from_db()
    return alert


def alert_follow_up(*, alert: Alert, outcome: str, actor: User) -> Alert:
    """Record how an acknowledged alert was followed up; it closes the alert."""
    if not _may_handle(alert, actor) and alert.acknowledged_by_id != actor.pk:
        raise NotFound(_("No such alert."), code="alert_not_found")
    outcome = outcome.strip()
    if not outcome or len(outcome) > 200:
        raise ValidationFailed.field(
            "follow_up", _("Say briefly how it was followed up (at most 200 characters).")
        )
    with transaction.atomic():
        changed = Alert.objects.filter(pk=alert.pk, state=Alert.State.ACKNOWLEDGED).update(
            state=Alert.State.CLOSED,
            follow_up=outcome,
            followed_up_by=actor,
            followed_up_at=clock.now(),
        )
        if not changed:
            raise Conflict(
                _("Acknowledge the alert first; a closed alert stays closed."), code="alert_state"
            )
        if alert.screening.session_id:
            # The callback number has served its purpose.
            Session.objects.filter(pk=alert.screening.session_id).update(
                callback_phone="", callback_until=None
            )
        audit_record(actor=actor, action="care.alert_follow_up", target=alert)
    alert.refresh_from_db()
    return alert


def callbacks_purge(*, actor: User | None = None) -> dict:
    """Clear anonymous callers' numbers kept past COPRODUCE_CARE_CALLBACK_DAYS."""
    with transaction.atomic():
        cleared = Session.objects.filter(
            callback_until__lt=clock.now(), callback_phone__gt=""
        ).update(callback_phone="", callback_until=None)
        if cleared:
            audit_record(
                actor=actor,
                action="care.callbacks_purge",
                object_type="care.session",
                details={"cleared": cleared},
            )
    return {"cleared": cleared}
