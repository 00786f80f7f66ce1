"""Cases: report, update, open, and the audit of who saw which cases and contacts."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from coproduce.core import clock
from coproduce.core.audit import audit_record, audit_record_many
from coproduce.core.errors import Conflict, ValidationFailed
from coproduce.people.models import Person
from coproduce.tracing import codes
from coproduce.tracing.models import (
    ACTIVE_CASE_STATUSES,
    Case,
)

TASK_KIND = "trace_contact"
# Teams that trace: town and village officers (government units) and CBO volunteers.
TRACING_TEAM_CATEGORIES = ("government_unit", "volunteer_team", "community_service")
CLOSED_STATUSES = {Case.Status.RECOVERED, Case.Status.DECEASED, Case.Status.RULED_OUT}
# Which status may follow which: suspicion is confirmed or ruled out; a case ends once.
CASE_TRANSITIONS = {
    Case.Status.SUSPECTED: {
        Case.Status.CONFIRMED,
        Case.Status.ASYMPTOMATIC,
        Case.Status.RULED_OUT,
        Case.Status.RECOVERED,
        Case.Status.DECEASED,
    },
    Case.Status.ASYMPTOMATIC: {Case.Status.CONFIRMED, Case.Status.RECOVERED, Case.Status.DECEASED},
    Case.Status.CONFIRMED: {Case.Status.RECOVERED, Case.Status.DECEASED},
    Case.Status.RECOVERED: set(),
    Case.Status.DECEASED: set(),
    Case.Status.RULED_OUT: set(),
}


class _Errors:
    """Field errors collected so that a form shows all of them at once."""

    def __init__(self) -> None:
        self.fields: dict[str, list[str]] = {}

    def add(self, name: str, message: str) -> None:
        self.fields.setdefault(name, []).append(message)

    def raise_if_any(self) -> None:
        if self.fields:
            name, messages = next(iter(self.fields.items()))
            raise ValidationFailed(f"{name}: {messages[0]}", fields=self.fields)


# --- cases --------------------------------------------------------------------------------------


def _check_case_dates(errors, *, onset_date, test_date, isolated_at, now: datetime) -> None:
    today = clock.local_date(now)
    if onset_date is None and test_date is None:
        errors.add("onset_date", _("Give the symptom onset date or the test date."))
    if onset_date is not None and onset_date > today:
        errors.add("onset_date", _("The onset date cannot be in the future."))
    if test_date is not None and test_date > today:
        errors.add("test_date", _("The test date cannot be in the future."))
    if isolated_at is not None:
        if isolated_at.tzinfo is None:
            errors.add("isolated_at", _("Give the time with its UTC offset."))
        elif isolated_at > now + timedelta(minutes=5):
            errors.add("isolated_at", _("The isolation time cannot be in the future."))


def case_report(
    *,
    person: Person,
    status: str,
    actor,
    onset_date: date | None = None,
    test_date: date | None = None,
    isolated_at: datetime | None = None,
    reporting_unit: str = "",
    cluster: str = "",
) -> Case:
    """Report a case: the person's code turns red; a second open case of a person is a 409."""
    now = clock.now()
    errors = _Errors()
    if status not in ACTIVE_CASE_STATUSES:
        errors.add("status", f"A new case is one of {', '.join(ACTIVE_CASE_STATUSES)}.")
    _check_case_dates(
        errors, onset_date=onset_date, test_date=test_date, isolated_at=isolated_at, now=now
    )
    if len(reporting_unit) > 200:
        errors.add("reporting_unit", _("At most 200 characters."))
    if len(cluster) > 40:
        errors.add("cluster", _("At most 40 characters."))
    if person.status == Person.Status.MERGED:
        errors.add("resident", _("This record was merged into another; report the surviving one."))
    errors.raise_if_any()
    if Case.objects.filter(person=person, status__in=ACTIVE_CASE_STATUSES).exists():
        raise Conflict(_("This person already has an open case."), code="case_open")
    try:
        with transaction.atomic():
            case = Case.objects.create(
                person=person,
                region_id=person.home_region_id,
                status=status,
                onset_date=onset_date,
                test_date=test_date,
                isolated_at=isolated_at,
                reported_at=now,
                reporting_unit=reporting_unit.strip(),
                cluster=cluster.strip(),
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
                created_at=now,
                updated_at=now,
            )
            codes.case_condition_set(case=case, actor=actor)
            audit_record(
                actor=actor, action="tracing.case_report", target=case, details={"status": status}
            )
    except IntegrityError:
        # A concurrent report of the same person won: the partial unique constraint held.
        raise Conflict(_("This person already has an open case."), code="case_open") from None
    return case


def case_update(
    *,
    case: Case,
    actor,
    status: str | None = None,
    onset_date: date | None = None,
    test_date: date | None = None,
    isolated_at: datetime | None = None,
    reporting_unit: str | None = None,
    cluster: str | None = None,
) -> Case:
    """Change a case's status or dates; closing it (recovered) starts post-discharge observation."""
    now = clock.now()
    errors = _Errors()
    current = Case.Status(case.status)
    new = current
    if status is not None:
        if status not in Case.Status.values:
            errors.add("status", f"{status!r} is not one of {', '.join(Case.Status.values)}.")
        else:
            new = Case.Status(status)
            if new != current and new not in CASE_TRANSITIONS[current]:
                errors.add(
                    "status",
                    _("A case that is %(current)s cannot become %(new)s.")
                    % {"current": current.label, "new": new.label},
                )
    _check_case_dates(
        errors,
        onset_date=onset_date if onset_date is not None else case.onset_date,
        test_date=test_date if test_date is not None else case.test_date,
        isolated_at=isolated_at,
        now=now,
    )
    if reporting_unit is not None and len(reporting_unit) > 200:
        errors.add("reporting_unit", _("At most 200 characters."))
    if cluster is not None and len(cluster) > 40:
        errors.add("cluster", _("At most 40 characters."))
    errors.raise_if_any()
    changed = {}
    for name, value in (
        ("onset_date", onset_date),
        ("test_date", test_date),
        ("isolated_at", isolated_at),
        ("reporting_unit", reporting_unit),
        ("cluster", cluster),
    ):
        if value is not None and value != getattr(case, name):
            changed[name] = value
    if new != current:
        changed["status"] = new.value
        if new in CLOSED_STATUSES:
            changed["closed_on"] = clock.local_date(now)
    if not changed:
        return case
    with transaction.atomic():
        # Conditional update: two officials closing the same case at once change it once.
        updated = Case.objects.filter(pk=case.pk, status=current).update(**changed, updated_at=now)
        if not updated:
            raise Conflict(
                _("Someone else changed this case just now; reload it."), code="case_changed"
            )
        case.refresh_from_db()
        if "status" in changed:
            codes.case_condition_set(case=case, actor=actor, previous=current)
        audit_record(
            actor=actor,
            action="tracing.case_update",
            target=case,
            details={k: str(v) for k, v in changed.items()},
        )
    return case


def case_open(*, case: Case, actor) -> Case:
    """Record that a member of staff opened a case (every view of a case is audited)."""
    audit_record(actor=actor, action="tracing.case_view", target=case)
    return case


def cases_listed(*, cases, actor, action: str = "tracing.case_list_view") -> None:
    """Record that a member of staff saw these cases in a list or an export."""
    audit_record_many(actor=actor, action=action, targets=list(cases))


def contacts_viewed(*, contacts, actor) -> None:
    """Record that a member of staff saw these contacts (every view of a contact is audited)."""
    audit_record_many(actor=actor, action="tracing.contact_view", targets=list(contacts))


# --- contacts -----------------------------------------------------------------------------------
