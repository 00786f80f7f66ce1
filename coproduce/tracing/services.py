"""Writes of contact tracing: cases, contacts, rounds, quarantine sites and orders.

Every service takes keyword arguments with the acting user, runs in one transaction and audits
itself. Cases and orders drive the health code through health_codes' conditions, named by their
source ("tracing.case:12", "tracing.order:7") so that a repeated call imposes nothing twice.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F

from coproduce.core import clock
from coproduce.core.audit import audit_record, audit_record_many
from coproduce.core.errors import Conflict, ValidationFailed
from coproduce.fieldwork import services as fieldwork
from coproduce.fieldwork.models import Task
from coproduce.fieldwork.rules import TaskStatus
from coproduce.orgs.models import Organization
from coproduce.people import rules as people_rules
from coproduce.people.models import Person
from coproduce.people.services import person_record_unregistered
from coproduce.places.models import Place
from coproduce.regions.models import Region
from coproduce.tracing import codes, discovery, rules
from coproduce.tracing.models import (
    ACTIVE_CASE_STATUSES,
    Case,
    Contact,
    InterviewContact,
    OrderChange,
    QuarantineOrder,
    QuarantineSite,
    Round,
    TraceTask,
)
from coproduce.tracing.policy import tracing_policy

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
        errors.add("onset_date", "Give the symptom onset date or the test date.")
    if onset_date is not None and onset_date > today:
        errors.add("onset_date", "The onset date cannot be in the future.")
    if test_date is not None and test_date > today:
        errors.add("test_date", "The test date cannot be in the future.")
    if isolated_at is not None:
        if isolated_at.tzinfo is None:
            errors.add("isolated_at", "Give the time with its UTC offset.")
        elif isolated_at > now + timedelta(minutes=5):
            errors.add("isolated_at", "The isolation time cannot be in the future.")


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
        errors.add("reporting_unit", "At most 200 characters.")
    if len(cluster) > 40:
        errors.add("cluster", "At most 40 characters.")
    if person.status == Person.Status.MERGED:
        errors.add("resident", "This record was merged into another; report the surviving one.")
    errors.raise_if_any()
    if Case.objects.filter(person=person, status__in=ACTIVE_CASE_STATUSES).exists():
        raise Conflict("This person already has an open case.", code="case_open")
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
        raise Conflict("This person already has an open case.", code="case_open") from None
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
                errors.add("status", f"A case that is {current} cannot become {new}.")
    _check_case_dates(
        errors,
        onset_date=onset_date if onset_date is not None else case.onset_date,
        test_date=test_date if test_date is not None else case.test_date,
        isolated_at=isolated_at,
        now=now,
    )
    if reporting_unit is not None and len(reporting_unit) > 200:
        errors.add("reporting_unit", "At most 200 characters.")
    if cluster is not None and len(cluster) > 40:
        errors.add("cluster", "At most 40 characters.")
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
                "Someone else changed this case just now; reload it.", code="case_changed"
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


def _household_of(case: Case) -> list[int]:
    # Read afresh: the household may have been set after the case's person was loaded.
    household = Person.objects.filter(pk=case.person_id).values_list("household_id", flat=True)
    if not household[0]:
        return []
    return list(
        Person.objects.filter(household_id=household[0])
        .exclude(status=Person.Status.MERGED)
        .values_list("pk", flat=True)
    )


def _interviews_of(case: Case) -> list[rules.InterviewContact]:
    return [
        rules.InterviewContact(
            person=str(i.person_id),
            exposed_at=i.exposed_at,
            place=str(i.place_id) if i.place_id else None,
        )
        for i in case.interviews.all()
    ]


def _evidence_json(evidence, places: dict[str, Place], people: dict[str, Person]) -> dict:
    place = places.get(evidence.place) if evidence.place else None
    via = people.get(evidence.via) if evidence.via else None
    return {
        "kind": evidence.kind.value,
        "place": place.code if place else None,
        "place_name": place.name if place else None,
        "source_time": evidence.source_time.isoformat() if evidence.source_time else None,
        "contact_time": evidence.contact_time.isoformat() if evidence.contact_time else None,
        "via": via.public_id if via else None,
    }


def contacts_refresh(*, case: Case, actor) -> list[Contact]:
    """Discover the case's contacts now and store them; a contact found before is updated.

    Contacts are never deleted by a refresh: a person traced once stays on the list (their
    tasks and orders hang on it) even if a corrected date moves them out of the window.
    """
    now = clock.now()
    found = discovery.contacts_compute(
        case=case,
        household=_household_of(case),
        interviews=_interviews_of(case),
        now=now,
        policy=tracing_policy(),
    )
    place_ids = {e.place for c in found.contacts for e in c.evidence if e.place}
    via_ids = {e.via for c in found.contacts for e in c.evidence if e.via}
    places = {str(p.pk): p for p in Place.objects.filter(pk__in=place_ids)}
    people = {str(p.pk): p for p in Person.objects.filter(pk__in=via_ids)}
    with transaction.atomic():
        existing = {c.person_id: c for c in Contact.objects.filter(case=case)}
        new, changed = [], []
        for c in found.contacts:
            fields = {
                "degree": c.degree,
                "kinds": [k.value for k in c.kinds],
                "evidence": [_evidence_json(e, places, people) for e in c.evidence],
                "exposed_at": c.exposed_at,
                "exposure_date": c.exposure_date,
            }
            row = existing.get(int(c.person))
            if row is None:
                new.append(
                    Contact(
                        case=case, person_id=int(c.person), found_at=now, updated_at=now, **fields
                    )
                )
            elif any(getattr(row, k) != v for k, v in fields.items()):
                for k, v in fields.items():
                    setattr(row, k, v)
                row.updated_at = now
                changed.append(row)
        # ignore_conflicts: a concurrent refresh of the same case stored the row first.
        Contact.objects.bulk_create(new, ignore_conflicts=True)
        if changed:
            Contact.objects.bulk_update(
                changed,
                ["degree", "kinds", "evidence", "exposed_at", "exposure_date", "updated_at"],
            )
        audit_record(
            actor=actor,
            action="tracing.contacts_discover",
            target=case,
            details={
                "found": len(found.contacts),
                "new": len(new),
                "changed": len(changed),
                "events_read": found.events_read,
            },
        )
    return list(Contact.objects.filter(case=case).select_related("person__home_region"))


def _match_person(*, national_id: str, phone: str):
    if national_id:
        normalized = people_rules.national_id_normalize(national_id)
        from django.conf import settings

        digest = people_rules.national_id_hash(normalized, key=settings.ID_HASH_KEY.encode())
        if person := Person.objects.filter(national_id_hash=digest).first():
            return person.merged_into if person.status == Person.Status.MERGED else person
    if phone:
        digits = people_rules.phone_normalize(phone)
        matches = list(Person.objects.filter(phone=digits).exclude(status=Person.Status.MERGED)[:2])
        if len(matches) == 1:  # a phone shared by a household names nobody for sure
            return matches[0]
    return None


def interview_contact_add(
    *,
    case: Case,
    actor,
    exposed_at: datetime,
    name: str = "",
    national_id: str = "",
    phone: str = "",
    home_region: str = "",
    place: Place | None = None,
    note: str = "",
) -> InterviewContact:
    """Add a contact the case named: matched to a resident by ID or phone, else recorded."""
    errors = _Errors()
    if exposed_at.tzinfo is None:
        errors.add("exposed_at", "Give the time with its UTC offset.")
    elif exposed_at > clock.now() + timedelta(minutes=5):
        errors.add("exposed_at", "An exposure cannot be in the future.")
    if len(note) > 300:
        errors.add("note", "At most 300 characters.")
    if not (national_id or phone or name):
        errors.add("name", "Give the contact's ID number, phone or at least a name.")
    errors.raise_if_any()
    person = _match_person(national_id=national_id, phone=phone)
    if person is None:
        if not home_region:
            raise ValidationFailed.field(
                "home_region", "Nobody matches: give the area where the contact lives."
            )
        # Validates name, phone, ID and area itself (field errors, nothing written).
        person = person_record_unregistered(
            name=name or "?",
            home_region=home_region,
            phone=phone,
            national_id=national_id,
            note="named in a case interview",
            actor=actor,
        )
    if person.pk == case.person_id:
        raise ValidationFailed.field("national_id", "This is the case itself.")
    with transaction.atomic():
        item, created = InterviewContact.objects.get_or_create(
            case=case,
            person=person,
            exposed_at=exposed_at,
            defaults={
                "place": place,
                "note": note,
                "added_by": actor if getattr(actor, "is_authenticated", False) else None,
                "added_at": clock.now(),
            },
        )
        if created:
            audit_record(
                actor=actor,
                action="tracing.interview_contact_add",
                target=item,
                details={"case": case.pk, "person": person.public_id},
            )
    return item


# --- rounds and tasks ---------------------------------------------------------------------------


def _teams_by_area(areas: set[str]) -> dict[str, list[str]]:
    """Tracing teams (by organization id) whose service regions cover each area."""
    regions = {r.code: r.path for r in Region.objects.filter(code__in=areas)}
    teams: dict[str, list[str]] = {a: [] for a in areas}
    orgs = (
        Organization.objects.filter(category__in=TRACING_TEAM_CATEGORIES)
        .exclude(verification=Organization.Verification.SUSPENDED)
        .prefetch_related("service_regions")
    )
    for org in orgs:
        paths = [r.path for r in org.service_regions.all()]
        for area, path in regions.items():
            if any(path.startswith(p) for p in paths):
                teams[area].append(str(org.pk))
    return teams


def _team_load(team_ids) -> dict[str, int]:
    from django.db.models import Count

    rows = (
        Task.objects.filter(organization_id__in=[int(t) for t in team_ids])
        .exclude(status__in=[TaskStatus.DONE, TaskStatus.CANCELLED])
        .values("organization_id")
        .annotate(n=Count("id"))
    )
    return {str(r["organization_id"]): r["n"] for r in rows}


def _task_records(case: Case, now: datetime) -> list[rules.TaskRecord]:
    records = []
    for tt in TraceTask.objects.filter(round__case=case).select_related("task", "round", "contact"):
        task = tt.task
        outcome = rules.TaskOutcome(task.outcome) if task.status == TaskStatus.DONE else None
        deadline = task.deadline or now
        if task.status == TaskStatus.CANCELLED:
            deadline = min(deadline, now)  # a cancelled task holds nobody back
        records.append(
            rules.TaskRecord(
                person=str(tt.contact.person_id),
                round_number=tt.round.number,
                deadline=deadline,
                outcome=outcome,
            )
        )
    return records


def round_start(*, case: Case, actor) -> tuple[Round, int]:
    """Start the case's next round: contacts (refreshed) to tasks by area for the serving teams.

    Round 1 takes the degree-1 contacts; round 2 the degree-2 ones and the unreached; round 3
    sweeps what remains (rules.round_select). Open tasks of earlier rounds past their deadline
    are cancelled, since the new round's task replaces them.
    """
    if not case.active and case.status != Case.Status.RECOVERED:
        raise Conflict("This case was ruled out or closed: no new round.", code="case_closed")
    contacts_refresh(case=case, actor=actor)
    now = clock.now()
    policy = tracing_policy()
    contacts = {
        c.person_id: c
        for c in Contact.objects.filter(case=case).select_related("person__home_region")
    }
    with transaction.atomic():
        number = (case.rounds.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        try:
            with transaction.atomic():
                round_ = Round.objects.create(
                    case=case,
                    number=number,
                    started_at=now,
                    started_by=actor if getattr(actor, "is_authenticated", False) else None,
                )
        except IntegrityError:
            raise Conflict(
                "Another round of this case was started just now.", code="round_started"
            ) from None
        picks = rules.round_select(
            round_number=number,
            contacts=[
                rules.RoundContact(person=str(pid), degree=c.degree, area=c.person.home_region_id)
                for pid, c in contacts.items()
            ],
            tasks=_task_records(case, now),
            now=now,
        )
        areas = {p.area for p in picks if p.area}
        teams = _teams_by_area(areas)
        groups = rules.tasks_group(
            picks=picks,
            teams_by_area=teams,
            team_load=_team_load({t for ts in teams.values() for t in ts}),
            round_started_at=now,
            policy=policy,
        )
        by_person = {p.person: p for p in picks}
        stale = Task.objects.filter(
            trace_task__round__case=case,
            deadline__lt=now,
            status__in=[TaskStatus.OPEN, TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS],
        )
        stale.update(
            status=TaskStatus.CANCELLED, updated_at=now, note="Overdue: replaced by the next round."
        )
        orgs = {
            str(o.pk): o
            for o in Organization.objects.filter(pk__in=[int(g.team) for g in groups if g.team])
        }
        regions = {r.code: r for r in Region.objects.filter(code__in=areas)}
        created = 0
        for group in groups:
            for person_id in group.persons:
                pick = by_person[person_id]
                contact = contacts[int(person_id)]
                task = fieldwork.task_open(
                    kind=TASK_KIND,
                    # Privacy: the task names the contact, never the case (PRODUCT.md 3.4).
                    title=f"{contact.person.name} · round {number}",
                    region=regions.get(group.area) or contact.person.home_region,
                    person=contact.person,
                    organization=orgs.get(group.team) if group.team else None,
                    deadline=group.deadline,
                    source=f"tracing.round:{round_.pk}:person:{person_id}",
                    details={
                        "round": number,
                        "degree": pick.degree,
                        "exposure_date": contact.exposure_date.isoformat(),
                        "previous_outcome": pick.previous_outcome.value
                        if pick.previous_outcome
                        else None,
                        "attempts": pick.attempts,
                    },
                    actor=actor,
                )
                # The round is new (created above in this transaction): no link exists yet.
                TraceTask.objects.create(round=round_, contact=contact, task=task)
                created += 1
        round_.tasks_created = created
        round_.save(update_fields=["tasks_created"])
        audit_record(
            actor=actor,
            action="tracing.round_start",
            target=round_,
            details={"case": case.pk, "number": number, "tasks": created},
        )
    return round_, created


# --- quarantine ---------------------------------------------------------------------------------


def site_create(*, name: str, region: Region, capacity: int, actor, place=None) -> QuarantineSite:
    """Register a centralized quarantine site with its number of places."""
    errors = _Errors()
    if not (name or "").strip() or len(name) > 200:
        errors.add("name", "A name of 1 to 200 characters is required.")
    if not isinstance(capacity, int) or capacity < 1 or capacity > 100_000:
        errors.add("capacity", "A capacity between 1 and 100000.")
    errors.raise_if_any()
    with transaction.atomic():
        site = QuarantineSite.objects.create(
            name=name.strip(), region=region, capacity=capacity, place=place
        )
        audit_record(actor=actor, action="tracing.site_create", target=site)
    return site


def _take_place(site: QuarantineSite) -> None:
    # Conditional update: holds on SQLite and PostgreSQL alike; the last bed goes to one order.
    taken = QuarantineSite.objects.filter(
        pk=site.pk, active=True, occupied__lt=F("capacity")
    ).update(occupied=F("occupied") + 1)
    if not taken:
        raise Conflict(
            f"{site.name} is full.",
            code="site_full",
            fields={"site": ["This quarantine site is full."]},
        )


def _free_place(order: QuarantineOrder) -> None:
    if order.site_id:
        QuarantineSite.objects.filter(pk=order.site_id, occupied__gt=0).update(
            occupied=F("occupied") - 1
        )


def _change(order, actor, action: str, why: str, **details) -> None:
    OrderChange.objects.create(
        order=order,
        at=clock.now(),
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        why=why[:500],
        details={k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in details.items()},
    )


def order_create(
    *,
    person: Person,
    kind: str,
    start_date: date,
    actor,
    site: QuarantineSite | None = None,
    reason: str = "",
    case: Case | None = None,
    why: str = "",
) -> tuple[QuarantineOrder, bool]:
    """Order quarantine: centralized at a site with a free place, or at home; drives the code.

    Returns (order, created). A person under the same kind of order keeps it (the same order
    comes back, created=False); a home order is superseded by a centralized one; a person under
    a centralized order is never downgraded to home quarantine (409).
    """
    errors = _Errors()
    if kind not in QuarantineOrder.Kind.values:
        errors.add("kind", f"{kind!r} is not one of {', '.join(QuarantineOrder.Kind.values)}.")
    if kind == QuarantineOrder.Kind.CENTRALIZED and site is None:
        errors.add("site", "A centralized order names a quarantine site.")
    if kind == QuarantineOrder.Kind.HOME and site is not None:
        errors.add("site", "A home order has no site.")
    reason = reason or (
        QuarantineOrder.Reason.CLOSE_CONTACT if case else QuarantineOrder.Reason.OFFICIAL_ORDER
    )
    if reason not in QuarantineOrder.Reason.values:
        errors.add(
            "reason", f"{reason!r} is not one of {', '.join(QuarantineOrder.Reason.values)}."
        )
    today = clock.today()
    if start_date > today + timedelta(days=7) or start_date < today - timedelta(days=14):
        errors.add("start_date", "An order starts within 14 days before and 7 days after today.")
    if len(why) > 500:
        errors.add("why", "At most 500 characters.")
    if person.status == Person.Status.MERGED:
        errors.add("resident", "This record was merged into another; order the surviving one.")
    errors.raise_if_any()
    existing = QuarantineOrder.objects.filter(person=person, status="active").first()
    if existing is not None and not rules.order_supersedes(existing=existing.kind, new=kind):
        if existing.kind == kind:
            return existing, False
        raise Conflict(
            "This person is already under a stricter order; it is not replaced by a milder one.",
            code="stricter_order_in_force",
        )
    try:
        with transaction.atomic():
            if existing is not None:
                superseded = QuarantineOrder.objects.filter(pk=existing.pk, status="active").update(
                    status=QuarantineOrder.Status.SUPERSEDED,
                    closed_at=clock.now(),
                    ends_on=max(start_date, existing.start_date),
                )
                if not superseded:
                    raise Conflict(
                        "The person's order changed just now; retry.", code="order_changed"
                    )
                _free_place(existing)
                codes.order_condition_end(
                    order=existing,
                    ends_on=max(start_date, existing.start_date),
                    actor=actor,
                    why="superseded by a stricter order",
                )
                _change(existing, actor, "superseded", "superseded by a stricter order")
            if site is not None:
                _take_place(site)
            order = QuarantineOrder.objects.create(
                person=person,
                region_id=person.home_region_id,
                kind=kind,
                reason=reason,
                site=site,
                case=case,
                start_date=start_date,
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
                created_at=clock.now(),
            )
            codes.order_condition_impose(order=order, actor=actor)
            _change(
                order,
                actor,
                "created",
                why or reason,
                kind=kind,
                site=site.name if site else None,
                start_date=start_date,
            )
            audit_record(
                actor=actor,
                action="tracing.order_create",
                target=order,
                details={"kind": kind, "reason": reason, "person": person.public_id},
            )
    except IntegrityError:
        # Two orders for one person at once: the partial unique constraint kept one.
        raise Conflict(
            "The person's order changed just now; retry.", code="order_changed"
        ) from None
    return order, True


def order_adjust(
    *,
    order: QuarantineOrder,
    actor,
    why: str,
    not_before: date | None = None,
    ends_on: date | None = None,
) -> QuarantineOrder:
    """Lengthen (not before a date) or shorten (ends on a date) an order; who, when, why kept."""
    errors = _Errors()
    if not (why or "").strip():
        errors.add("why", "Say why the order changes.")
    elif len(why) > 500:
        errors.add("why", "At most 500 characters.")
    if not_before is None and ends_on is None:
        errors.add("not_before", "Give a new earliest end (lengthen) or an end date (shorten).")
    if not_before is not None and not_before <= order.start_date:
        errors.add("not_before", "The earliest end falls after the order's start.")
    if ends_on is not None and ends_on <= order.start_date:
        errors.add("ends_on", "The end falls after the order's start.")
    if order.status != QuarantineOrder.Status.ACTIVE:
        errors.add("order", "Only an active order can change.")
    errors.raise_if_any()
    before = {"not_before": order.not_before, "ends_on": order.ends_on}
    with transaction.atomic():
        fields = {}
        if not_before is not None:
            fields["not_before"] = not_before
        if ends_on is not None:
            fields["ends_on"] = ends_on
        updated = QuarantineOrder.objects.filter(pk=order.pk, status="active").update(**fields)
        if not updated:
            raise Conflict("This order changed just now; reload it.", code="order_changed")
        order.refresh_from_db()
        codes.order_condition_adjust(order=order, actor=actor, why=why, **fields)
        action = "lengthened" if not_before is not None else "shortened"
        _change(
            order,
            actor,
            action,
            why,
            before={k: str(v) for k, v in before.items()},
            after={k: str(v) for k, v in fields.items()},
        )
        audit_record(
            actor=actor,
            action="tracing.order_adjust",
            target=order,
            details={k: str(v) for k, v in fields.items()},
        )
    return order


def order_end(
    *, order: QuarantineOrder, actor, why: str, released: bool = False
) -> QuarantineOrder:
    """End an order now (lifted by an official, or released after its report streak)."""
    if not (why or "").strip():
        raise ValidationFailed.field("why", "Say why the order ends.")
    today = clock.today()
    status = QuarantineOrder.Status.RELEASED if released else QuarantineOrder.Status.ENDED
    with transaction.atomic():
        updated = QuarantineOrder.objects.filter(pk=order.pk, status="active").update(
            status=status, closed_at=clock.now(), ends_on=F("ends_on")
        )
        if not updated:
            raise Conflict("This order is not active.", code="order_not_active")
        order.refresh_from_db()
        _free_place(order)
        if not released:
            QuarantineOrder.objects.filter(pk=order.pk).update(ends_on=max(today, order.start_date))
            order.refresh_from_db()
            codes.order_condition_end(order=order, ends_on=order.ends_on, actor=actor, why=why)
        _change(order, actor, status, why)
        audit_record(actor=actor, action=f"tracing.order_{status}", target=order)
    return order


def orders_release_completed(*, actor, region=None) -> int:
    """Release active orders whose condition no longer holds the code (the report streak ended).

    The health code decides (14 or 7 normal daily reports, PRODUCT.md 3.2); this sweep frees
    the site's place and closes the order. Run daily by the `tracing_sweep` command.
    """
    released = 0
    orders = QuarantineOrder.objects.filter(status="active").select_related("person")
    if region is not None:
        orders = orders.filter(region__path__startswith=region.path)
    for order in orders:
        if codes.order_completed(order=order):
            order_end(
                order=order, actor=actor, why="released after the report streak", released=True
            )
            released += 1
    return released


def orders_for_contacts(*, case: Case, actor) -> int:
    """Order the case's contacts into quarantine by degree (1 centralized, 2 home: the rule).

    Degree-1 contacts go to the site covering their area with the most free places; people
    already under an order of that kind or stricter keep theirs. Returns how many were ordered.
    """
    policy = tracing_policy()
    today = clock.today()
    ordered = 0
    sites = list(QuarantineSite.objects.filter(active=True).select_related("region"))
    for contact in Contact.objects.filter(case=case).select_related("person__home_region"):
        kind = rules.quarantine_order_for(degree=contact.degree, policy=policy)
        site = None
        if kind == rules.QuarantineKind.CENTRALIZED:
            path = contact.person.home_region.path
            fitting = [s for s in sites if path.startswith(s.region.path)]
            for s in fitting:
                s.refresh_from_db(fields=["occupied"])
            fitting = [s for s in fitting if s.free > 0]
            if not fitting:
                continue  # no free place: the page lists the contact as not yet ordered
            site = max(fitting, key=lambda s: (s.free, -s.pk))
        reason = (
            QuarantineOrder.Reason.CLOSE_CONTACT
            if contact.degree == 1
            else QuarantineOrder.Reason.SECONDARY_CONTACT
        )
        try:
            _, created = order_create(
                person=contact.person,
                kind=kind.value,
                site=site,
                start_date=today,
                reason=reason,
                case=case,
                actor=actor,
                why=f"degree-{contact.degree} contact",
            )
        except Conflict:
            continue  # a stricter order is in force, or the site filled up meanwhile
        ordered += created
    return ordered


def task_people_viewed(*, tasks, actor) -> None:
    """Record that a member of staff saw the people named in these tasks (audited reads)."""
    audit_record_many(
        actor=actor,
        action="tracing.contact_view",
        targets=[t.person for t in tasks if t.person_id is not None],
    )


def chain_viewed(*, graph: dict, actor, cluster: str) -> None:
    """Record that a member of staff saw a cluster's chain (its cases and contacts)."""
    audit_record(
        actor=actor,
        action="tracing.chain_view",
        object_type="tracing.cluster",
        object_id=cluster,
        details={"nodes": [n["public_id"] for n in graph["nodes"]]},
    )


def orders_viewed(*, orders, actor) -> None:
    """Record that a member of staff saw these orders (each names a person)."""
    audit_record_many(actor=actor, action="tracing.order_view", targets=list(orders))


def tracing_task_done(*, task: Task, actor) -> None:
    """A tracing task was finished: credit the volunteer's service, if the app is there."""
    codes.service_record_for_task(task=task, actor=actor)
