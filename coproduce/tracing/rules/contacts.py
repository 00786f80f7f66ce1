"""The contact definition: infectious window, household, co-presence, interview, degree 2.

PRODUCT.md 3.4. Persons and places are opaque string ids. Every datetime must be
timezone-aware; calendar days are local days in ``policy.time_zone``.
"""

from __future__ import annotations

import enum
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from coproduce.tracing.rules.policy import TracingPolicy, none_last, require_aware


class ContactKind(enum.StrEnum):
    """How a contact was found (PRODUCT.md 3.4 (a), (b), (c); API.md names)."""

    HOUSEHOLD = "household"
    CO_PRESENCE = "co_presence"
    INTERVIEW = "interview"


_KIND_ORDER = {kind: i for i, kind in enumerate(ContactKind)}


# --- infectious window --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class InfectiousWindow:
    """The period [start, end] during which the case could infect others (both ends included)."""

    start: datetime
    end: datetime
    # True when the case is not isolated yet and ``end`` is the caller's ``now``.
    open_ended: bool

    def contains(self, at: datetime) -> bool:
        """Whether a moment lies in the window, ends included."""
        return self.start <= at <= self.end

    @property
    def empty(self) -> bool:
        """True when the case was isolated before the window began (no exposure possible)."""
        return self.end < self.start


def infectious_window(
    *,
    onset_date: date | None,
    test_date: date | None,
    isolated_at: datetime | None,
    asymptomatic: bool,
    now: datetime,
    policy: TracingPolicy,
) -> InfectiousWindow:
    """Rule: from N days (2) before onset, or the test if asymptomatic, until isolation.

    The window opens at local midnight of the first day. When both an onset and a test date are
    known for a symptomatic case, the earlier one anchors it: a positive test taken before the
    symptoms proves the person infected by then (our choice; PRODUCT.md names only the onset). A
    case flagged asymptomatic without a test date falls back to an onset date if one is given.
    Until the case is isolated the window is open-ended and ends at ``now``.
    """
    require_aware(now, "now")
    if isolated_at is not None:
        require_aware(isolated_at, "isolated_at")
    anchors = [d for d in (None if asymptomatic else onset_date, test_date) if d is not None]
    if not anchors and onset_date is not None:
        anchors = [onset_date]
    if not anchors:
        raise ValueError("an infectious window needs an onset date or a test date")
    first_day = min(anchors) - timedelta(days=policy.infectious_days_before)
    start = datetime.combine(first_day, time(0), tzinfo=policy.time_zone)
    if isolated_at is None:
        return InfectiousWindow(start=start, end=now, open_ended=True)
    return InfectiousWindow(start=start, end=isolated_at, open_ended=False)


# --- contacts and evidence ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PresenceEvent:
    """A person present at a place at a moment: a checkpoint scan or a place-code visit."""

    person: str
    place: str
    at: datetime

    def __post_init__(self) -> None:
        require_aware(self.at, "at")


@dataclass(frozen=True, slots=True)
class Evidence:
    """Why a person is a contact: kind, and for co-presence the place and both times.

    ``source_time`` is when the source was present: the case for degree 1, the degree-1 contact
    named in ``via`` for degree 2. ``contact_time`` is when the contact was present (for an
    interview, the exposure moment the tracer recorded). Never shown to the contact: PRODUCT.md
    3.4 keeps the case's identity from them.
    """

    kind: ContactKind
    place: str | None = None
    source_time: datetime | None = None
    contact_time: datetime | None = None
    via: str | None = None


def _evidence_key(evidence: Evidence):
    return (
        _KIND_ORDER[evidence.kind],
        none_last(evidence.place),
        none_last(evidence.source_time),
        none_last(evidence.contact_time),
        none_last(evidence.via),
    )


@dataclass(frozen=True, slots=True)
class Contact:
    """A contact of a case: degree, how found, all evidence, and the earliest exposure."""

    person: str
    degree: int
    kinds: tuple[ContactKind, ...]
    evidence: tuple[Evidence, ...]
    # The earliest moment of exposure; degree 2 counts the contact's presence strictly after it.
    exposed_at: datetime
    # The local calendar day of ``exposed_at``.
    exposure_date: date


def _contact(
    person: str, degree: int, evidence: Iterable[Evidence], exposed_at: datetime, tz: tzinfo
) -> Contact:
    items = sorted(set(evidence), key=_evidence_key)
    kinds = tuple(sorted({e.kind for e in items}, key=_KIND_ORDER.__getitem__))
    return Contact(
        person=person,
        degree=degree,
        kinds=kinds,
        evidence=tuple(items),
        exposed_at=exposed_at,
        exposure_date=exposed_at.astimezone(tz).date(),
    )


def contacts_merge(
    *, case: str, contacts: Iterable[Contact], policy: TracingPolicy
) -> tuple[Contact, ...]:
    """Rule: a person found by several paths appears once, with every kind and all evidence.

    The degree is the lowest found, the exposure the earliest; the case itself is dropped. The
    result is sorted by person.
    """
    by_person: dict[str, list[Contact]] = defaultdict(list)
    for contact in contacts:
        if contact.person != case:
            by_person[contact.person].append(contact)
    merged = []
    for person in sorted(by_person):
        found = by_person[person]
        merged.append(
            _contact(
                person,
                min(c.degree for c in found),
                (e for c in found for e in c.evidence),
                min(c.exposed_at for c in found),
                policy.time_zone,
            )
        )
    return tuple(merged)


def _co_presence(
    *,
    sources: Iterable[tuple[PresenceEvent, str | None]],
    targets: Iterable[PresenceEvent],
    tolerance: timedelta,
) -> dict[str, tuple[list[Evidence], datetime]]:
    """Match each target event to the earliest source event at its place within the tolerance.

    Sources are indexed per place and sorted by time, then each target is one bisection: the
    cost is O((S + T) log S), not S x T. Choosing the earliest source makes the exposure moment
    (the later of the two presences) as early as the evidence allows. Ties between sources at
    the same moment are broken by the ``via`` id, so the result does not depend on input order.
    Returns, per target person, the evidence and the earliest exposure moment.
    """
    per_place: dict[str, list[tuple[datetime, str, str | None]]] = defaultdict(list)
    for event, via in set(sources):
        per_place[event.place].append((event.at, via or "", via))
    index = {}
    for place, rows in per_place.items():
        rows.sort(key=lambda row: (row[0], row[1]))
        index[place] = ([row[0] for row in rows], rows)

    found: dict[str, tuple[list[Evidence], datetime]] = {}
    for event in set(targets):
        if event.place not in index:
            continue
        times, rows = index[event.place]
        i = bisect_left(times, event.at - tolerance)
        if i == len(times) or times[i] > event.at + tolerance:
            continue
        source_time, _, via = rows[i]
        evidence = Evidence(
            kind=ContactKind.CO_PRESENCE,
            place=event.place,
            source_time=source_time,
            contact_time=event.at,
            via=via,
        )
        # Exposure starts when both were present: the later of the two presences.
        exposed = max(source_time, event.at)
        items, earliest = found.get(event.person, ([], exposed))
        items.append(evidence)
        found[event.person] = (items, min(earliest, exposed))
    return found


def co_presence_contacts(
    *,
    case: str,
    case_events: Iterable[PresenceEvent],
    events: Iterable[PresenceEvent],
    window: InfectiousWindow,
    policy: TracingPolicy,
) -> tuple[Contact, ...]:
    """Rule: present at a place within 30 minutes (inclusive) of the case during the window.

    Only the case's presences inside the window count; the contact's presence may fall just
    outside it (someone who arrived 10 minutes after the case left for isolation was still
    exposed). One evidence item per presence of the contact, naming the earliest matching
    presence of the case. Degree 1, sorted by person.
    """
    sources = ((e, None) for e in case_events if e.person == case and window.contains(e.at))
    targets = (e for e in events if e.person != case)
    found = _co_presence(sources=sources, targets=targets, tolerance=policy.co_presence_tolerance)
    return tuple(
        _contact(person, 1, items, exposed, policy.time_zone)
        for person, (items, exposed) in sorted(found.items())
    )


def household_contacts(
    *, case: str, members: Iterable[str], window: InfectiousWindow, policy: TracingPolicy
) -> tuple[Contact, ...]:
    """Rule: the case's household members are degree-1 contacts, exposed from the window's start.

    Exposure = the window's start (our choice over "the last shared day"): members share the home
    throughout the window, and the earliest moment is the cautious one for degree 2, which counts
    their presence after exposure. A case isolated before the window began (an empty window: it
    was already in quarantine away from home) exposed nobody at home.
    """
    if window.empty:
        return ()
    evidence = (Evidence(kind=ContactKind.HOUSEHOLD),)
    return tuple(
        _contact(person, 1, evidence, window.start, policy.time_zone)
        for person in sorted(set(members))
        if person != case
    )


@dataclass(frozen=True, slots=True)
class InterviewContact:
    """A contact named by the case in an interview, with when and (if known) where."""

    person: str
    exposed_at: datetime
    place: str | None = None

    def __post_init__(self) -> None:
        require_aware(self.exposed_at, "exposed_at")


def interview_contacts(
    *, case: str, named: Iterable[InterviewContact], policy: TracingPolicy
) -> tuple[Contact, ...]:
    """Rule: persons named in interviews are degree-1 contacts, exposed when the tracer says.

    The tracer's judgement stands even outside the computed window (the case's dates may be
    wrong); the same person named twice keeps both records.
    """
    contacts = (
        _contact(
            item.person,
            1,
            (Evidence(kind=ContactKind.INTERVIEW, place=item.place, contact_time=item.exposed_at),),
            item.exposed_at,
            policy.time_zone,
        )
        for item in named
        if item.person != case
    )
    return contacts_merge(case=case, contacts=contacts, policy=policy)


def secondary_contacts(
    *,
    case: str,
    primary: Iterable[Contact],
    events: Iterable[PresenceEvent],
    policy: TracingPolicy,
) -> tuple[Contact, ...]:
    """Rule: degree 2 = co-present with a degree-1 contact after that contact's exposure.

    Only the degree-1 contact's presences strictly after their ``exposed_at`` count (at the very
    moment of exposure they were next to the case, and whoever was near them then is judged
    against the case directly). The case and the degree-1 persons are never degree 2: the degree
    is the minimum. Evidence names the degree-1 contact in ``via``. Sorted by person.
    """
    primary = list(primary)
    exposed = {c.person: c.exposed_at for c in primary}
    excluded = set(exposed) | {case}
    events = list(events)
    sources = ((e, e.person) for e in events if e.person in exposed and e.at > exposed[e.person])
    targets = (e for e in events if e.person not in excluded)
    found = _co_presence(sources=sources, targets=targets, tolerance=policy.co_presence_tolerance)
    return tuple(
        _contact(person, 2, items, moment, policy.time_zone)
        for person, (items, moment) in sorted(found.items())
    )


def contacts_discover(
    *,
    case: str,
    window: InfectiousWindow,
    household: Iterable[str],
    interviews: Iterable[InterviewContact],
    events: Iterable[PresenceEvent],
    policy: TracingPolicy,
) -> tuple[Contact, ...]:
    """Rule: all contacts of a case, degree 1 by every path then degree 2, each person once.

    ``events`` is the presence log (scans and visits) of everybody, the case included, over the
    window and after it up to now; the case's own events are taken from it. Sorted by person.
    """
    events = list(events)
    first = contacts_merge(
        case=case,
        contacts=(
            *household_contacts(case=case, members=household, window=window, policy=policy),
            *co_presence_contacts(
                case=case, case_events=events, events=events, window=window, policy=policy
            ),
            *interview_contacts(case=case, named=interviews, policy=policy),
        ),
        policy=policy,
    )
    second = secondary_contacts(case=case, primary=first, events=events, policy=policy)
    return tuple(sorted((*first, *second), key=lambda c: c.person))


# --- after the presence log is purged -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ContactRecord:
    """A contact as stored: degree, kinds and evidence as text (times in ISO 8601), exposure."""

    degree: int
    kinds: tuple[str, ...]
    # {kind, place, place_name, source_time, contact_time, via}: what the contacts page shows.
    evidence: tuple[Mapping[str, Any], ...]
    exposed_at: datetime
    exposure_date: date


def _record_times(item: Mapping[str, Any]) -> list[datetime]:
    return [
        datetime.fromisoformat(item[key])
        for key in ("source_time", "contact_time")
        if item.get(key)
    ]


def _record_identity(item: Mapping[str, Any]):
    times = {
        key: datetime.fromisoformat(item[key]) if item.get(key) else None
        for key in ("source_time", "contact_time")
    }
    return (
        item.get("kind"),
        item.get("place"),
        times["source_time"],
        times["contact_time"],
        item.get("via"),
    )


def _record_key(item: Mapping[str, Any]):
    kind, place, source_time, contact_time, via = _record_identity(item)
    order = _KIND_ORDER.get(kind, len(_KIND_ORDER))
    return (
        order,
        none_last(place),
        none_last(source_time),
        none_last(contact_time),
        none_last(via),
    )


def contact_keep_purged_evidence(
    *, stored: ContactRecord, fresh: ContactRecord, now: datetime, policy: TracingPolicy
) -> ContactRecord:
    """Rule: evidence the purged presence log can no longer show stays as it was recorded.

    Scans and visits are deleted after the retention (PRODUCT.md 4), so a discovery run later
    finds less than the one that recorded a contact. Co-presence evidence resting on a presence
    older than ``now - policy.log_retention`` is kept from the stored contact, with its kind,
    its degree (1 when it came from the case, 2 through a degree-1 contact: the lower degree
    wins) and its exposure (the later of its two presences; the earliest exposure wins).
    Household and interview evidence come from records that are never purged, and newer
    co-presence evidence from a log that still holds it: those follow the fresh discovery.
    """
    require_aware(now, "now")
    horizon = now - policy.log_retention
    found = {_record_identity(item) for item in fresh.evidence}
    kept = [
        item
        for item in stored.evidence
        if item.get("kind") == ContactKind.CO_PRESENCE
        and any(moment < horizon for moment in _record_times(item))
        and _record_identity(item) not in found
    ]
    if not kept:
        return fresh
    kinds = {*fresh.kinds, *(item["kind"] for item in kept)}
    exposed_at = min(fresh.exposed_at, *(max(_record_times(item)) for item in kept))
    return ContactRecord(
        degree=min(fresh.degree, *(2 if item.get("via") else 1 for item in kept)),
        kinds=tuple(kind.value for kind in ContactKind if kind.value in kinds),
        evidence=tuple(sorted((*fresh.evidence, *kept), key=_record_key)),
        exposed_at=exposed_at,
        exposure_date=exposed_at.astimezone(policy.time_zone).date(),
    )
