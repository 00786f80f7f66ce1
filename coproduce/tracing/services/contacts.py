"""Contacts of a case: discovery stored with its evidence, and contacts named in interviews."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from coproduce.core import clock
from coproduce.core.audit import audit_record
from coproduce.core.errors import ValidationFailed
from coproduce.people import rules as people_rules
from coproduce.people.models import Person
from coproduce.people.services import person_record_unregistered
from coproduce.places.models import Place
from coproduce.tracing import discovery, rules
from coproduce.tracing.models import (
    Case,
    Contact,
    InterviewContact,
)
from coproduce.tracing.policy import tracing_policy
from coproduce.tracing.services.cases import _Errors


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


def _record_of(contact: Contact) -> rules.ContactRecord:
    return rules.ContactRecord(
        degree=contact.degree,
        kinds=tuple(contact.kinds),
        evidence=tuple(contact.evidence),
        exposed_at=contact.exposed_at,
        exposure_date=contact.exposure_date,
    )


def contacts_refresh(*, case: Case, actor) -> list[Contact]:
    """Discover the case's contacts now and store them; a contact found before is updated.

    Contacts are never deleted by a refresh: a person traced once stays on the list (their
    tasks and orders hang on it) even if a corrected date moves them out of the window. Nor
    is their evidence from before the presence log's retention: the purge took the rows that
    proved it, and the stored text stands (rules.contact_keep_purged_evidence).
    """
    now = clock.now()
    policy = tracing_policy()
    found = discovery.contacts_compute(
        case=case,
        household=_household_of(case),
        interviews=_interviews_of(case),
        now=now,
        policy=policy,
    )
    place_ids = {e.place for c in found.contacts for e in c.evidence if e.place}
    via_ids = {e.via for c in found.contacts for e in c.evidence if e.via}
    places = {str(p.pk): p for p in Place.objects.filter(pk__in=place_ids)}
    people = {str(p.pk): p for p in Person.objects.filter(pk__in=via_ids)}
    with transaction.atomic():
        existing = {c.person_id: c for c in Contact.objects.filter(case=case)}
        new, changed = [], []
        for c in found.contacts:
            record = rules.ContactRecord(
                degree=c.degree,
                kinds=tuple(k.value for k in c.kinds),
                evidence=tuple(_evidence_json(e, places, people) for e in c.evidence),
                exposed_at=c.exposed_at,
                exposure_date=c.exposure_date,
            )
            row = existing.get(int(c.person))
            if row is not None:
                # The log is purged after the retention: what it can no longer show is kept.
                record = rules.contact_keep_purged_evidence(
                    stored=_record_of(row), fresh=record, now=now, policy=policy
                )
            fields = {
                "degree": record.degree,
                "kinds": list(record.kinds),
                "evidence": list(record.evidence),
                "exposed_at": record.exposed_at,
                "exposure_date": record.exposure_date,
            }
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
    person: Person | None = None,
) -> InterviewContact:
    """Add a contact the case named: a resident picked by staff, matched by ID or phone, else
    recorded as unregistered."""
    errors = _Errors()
    if exposed_at.tzinfo is None:
        errors.add("exposed_at", _("Give the time with its UTC offset."))
    elif exposed_at > clock.now() + timedelta(minutes=5):
        errors.add("exposed_at", _("An exposure cannot be in the future."))
    if len(note) > 300:
        errors.add("note", _("At most 300 characters."))
    if not (person or national_id or phone or name):
        errors.add("name", _("Give the contact's ID number, phone or at least a name."))
    errors.raise_if_any()
    if person is None:
        person = _match_person(national_id=national_id, phone=phone)
    if person is None:
        if not home_region:
            raise ValidationFailed.field(
                "home_region", _("Nobody matches: give the area where the contact lives.")
            )
        # Validates name, phone, ID and area itself (field errors, nothing written).
        person = person_record_unregistered(
            name=name or "?",
            home_region=home_region,
            phone=phone,
            national_id=national_id,
            note=_("named in a case interview"),
            actor=actor,
        )
    if person.pk == case.person_id:
        raise ValidationFailed.field("national_id", _("This is the case itself."))
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
