"""Contact discovery over the presence log: the database narrows, the pure rule decides.

The presence log is large (10 million rows for a city of a million people), so the rule of
``rules.contacts_discover`` cannot be run over all of it. Two indexed reads give it every event
that can matter, and the rule then decides exactly as it would over the whole log:

1. the case's presences in the infectious window (index (person, at)), then everybody present
   at those places within the tolerance of them (index (place, at), one range per merged
   interval of a place);
2. the presences of the degree-1 contacts after their exposure (index (person, at)), then
   everybody near those in the same way.

An event outside these ranges cannot be co-present with a source event, so the answer equals
the rule's over the full log; ``tests/test_discovery.py`` checks that on random logs.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL

from coproduce.places.models import Presence
from coproduce.tracing import rules
from coproduce.tracing.models import Case

# Ranges per query: 3 parameters each keeps far below SQLite's 32,766 and PostgreSQL's 65,535.
RANGES_PER_QUERY = 400


@dataclass(frozen=True)
class Discovery:
    """What discovery found for a case: the contacts and the window they were judged against."""

    window: rules.InfectiousWindow
    contacts: tuple[rules.Contact, ...]
    events_read: int


def case_window(
    case: Case, *, now: datetime, policy: rules.TracingPolicy
) -> rules.InfectiousWindow:
    """The case's infectious window (rule), from its dates and isolation."""
    return rules.infectious_window(
        onset_date=case.onset_date,
        test_date=case.test_date,
        isolated_at=case.isolated_at,
        asymptomatic=case.status == Case.Status.ASYMPTOMATIC,
        now=now,
        policy=policy,
    )


def _merge(ranges: list[tuple[int, datetime, datetime]]) -> list[tuple[int, datetime, datetime]]:
    """Merge overlapping time ranges per place, so that each stretch of the index is read once."""
    merged: list[tuple[int, datetime, datetime]] = []
    for place, lo, hi in sorted(ranges):
        if merged and merged[-1][0] == place and lo <= merged[-1][2]:
            merged[-1] = (place, merged[-1][1], max(hi, merged[-1][2]))
        else:
            merged.append((place, lo, hi))
    return merged


def presence_near(
    *, sources: list[tuple[int, datetime]], tolerance: timedelta
) -> list[tuple[int, int, datetime]]:
    """Everybody present at a source's place within the tolerance of it: (person, place, at).

    One range scan of the (place, at) index per merged interval, OR-ed in batches. The OR is
    written as one SQL expression rather than built from Q objects: with a few hundred ranges,
    building the Q tree cost the ORM ten times more than the database took to answer.
    """
    ranges = _merge([(place, at - tolerance, at + tolerance) for place, at in sources])
    rows: list[tuple[int, int, datetime]] = []
    for i in range(0, len(ranges), RANGES_PER_QUERY):
        rows.extend(near_query(ranges[i : i + RANGES_PER_QUERY]))
    return rows


def near_query(ranges: list[tuple[int, datetime, datetime]]):
    """The read of presences in these (place, from, to) ranges: (person, place, at) rows."""
    table = connection.ops.quote_name(Presence._meta.db_table)
    place_col = connection.ops.quote_name(Presence._meta.get_field("place").column)
    at_col = connection.ops.quote_name(Presence._meta.get_field("at").column)
    term = f"({table}.{place_col} = %s AND {table}.{at_col} BETWEEN %s AND %s)"
    adapt = connection.ops.adapt_datetimefield_value
    params = [v for place, lo, hi in ranges for v in (place, adapt(lo), adapt(hi))]
    where = RawSQL(
        "(" + " OR ".join([term] * len(ranges)) + ")", params, output_field=BooleanField()
    )
    return Presence.objects.filter(where).values_list("person_id", "place_id", "at")


def presence_of(*, person_ids, after: datetime, until: datetime | None = None):
    """Presences of these persons after a moment (and up to `until`): (person, place, at)."""
    qs = Presence.objects.filter(person_id__in=list(person_ids), at__gt=after)
    if until is not None:
        qs = qs.filter(at__lte=until)
    return list(qs.values_list("person_id", "place_id", "at"))


def _events(rows) -> set[rules.PresenceEvent]:
    return {rules.PresenceEvent(person=str(p), place=str(pl), at=at) for p, pl, at in rows}


def contacts_compute(
    *,
    case: Case,
    household: list[int],
    interviews: list[rules.InterviewContact],
    now: datetime,
    policy: rules.TracingPolicy,
) -> Discovery:
    """Every contact of a case, degree 1 and 2, from household, presence log and interviews."""
    window = case_window(case, now=now, policy=policy)
    case_id = str(case.person_id)
    tolerance = policy.co_presence_tolerance
    events: set[rules.PresenceEvent] = set()
    if not window.empty:
        own = presence_of(
            person_ids=[case.person_id], after=window.start - timedelta(seconds=1), until=window.end
        )
        events |= _events(own)
        events |= _events(
            presence_near(sources=[(pl, at) for _, pl, at in own], tolerance=tolerance)
        )
    first = rules.contacts_merge(
        case=case_id,
        contacts=(
            *rules.household_contacts(
                case=case_id, members=[str(m) for m in household], window=window, policy=policy
            ),
            *rules.co_presence_contacts(
                case=case_id, case_events=events, events=events, window=window, policy=policy
            ),
            *rules.interview_contacts(case=case_id, named=interviews, policy=policy),
        ),
        policy=policy,
    )
    if first:
        exposed = {int(c.person): c.exposed_at for c in first}
        later = [
            (p, pl, at)
            for p, pl, at in presence_of(person_ids=exposed, after=min(exposed.values()))
            if at > exposed[p]
        ]
        events |= _events(later)
        events |= _events(
            presence_near(sources=[(pl, at) for _, pl, at in later], tolerance=tolerance)
        )
    contacts = rules.contacts_discover(
        case=case_id,
        window=window,
        household=[str(m) for m in household],
        interviews=interviews,
        events=events,
        policy=policy,
    )
    return Discovery(window=window, contacts=contacts, events_read=len(events))


def degree_counts(contacts) -> dict[int, int]:
    """How many contacts of each degree."""
    counts: dict[int, int] = defaultdict(int)
    for c in contacts:
        counts[c.degree] += 1
    return dict(counts)
