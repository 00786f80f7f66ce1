"""The rule that keeps a contact's evidence once the presence log behind it is purged."""

from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from coproduce.tracing.rules import ContactRecord, TracingPolicy, contact_keep_purged_evidence

POLICY = TracingPolicy()
NOW = datetime(2020, 3, 20, 4, 0, tzinfo=UTC)
HORIZON = NOW - POLICY.log_retention

moments = st.datetimes(
    min_value=datetime(2020, 1, 20), max_value=datetime(2020, 3, 20), timezones=st.just(UTC)
)


@st.composite
def evidence(draw):
    kind = draw(st.sampled_from(["household", "co_presence", "interview"]))
    if kind == "household":
        return dict.fromkeys(("place", "place_name", "source_time", "contact_time", "via")) | {
            "kind": kind
        }
    contact_time = draw(moments)
    source_time = draw(moments) if kind == "co_presence" else None
    return {
        "kind": kind,
        "place": draw(st.sampled_from(["CPP:A", "CPP:B", None])),
        "place_name": "a place",
        "source_time": source_time.isoformat() if source_time else None,
        "contact_time": contact_time.isoformat(),
        "via": draw(st.sampled_from([None, "P-1"])) if kind == "co_presence" else None,
    }


@st.composite
def records(draw):
    items = draw(st.lists(evidence(), min_size=1, max_size=5, unique_by=repr))
    exposed = draw(moments)
    return ContactRecord(
        degree=draw(st.sampled_from([1, 2])),
        kinds=tuple(sorted({item["kind"] for item in items})),
        evidence=tuple(items),
        exposed_at=exposed,
        exposure_date=exposed.date(),
    )


def _purged(item) -> bool:
    times = [datetime.fromisoformat(item[k]) for k in ("source_time", "contact_time") if item[k]]
    return item["kind"] == "co_presence" and any(t < HORIZON for t in times)


@given(stored=records(), fresh=records())
def test_the_fresh_evidence_stays_and_only_purged_co_presence_is_added(stored, fresh):
    merged = contact_keep_purged_evidence(stored=stored, fresh=fresh, now=NOW, policy=POLICY)
    for item in fresh.evidence:
        assert item in merged.evidence
    kept = [item for item in merged.evidence if item not in fresh.evidence]
    assert all(_purged(item) and item in stored.evidence for item in kept)
    for item in stored.evidence:
        if _purged(item):
            assert item in merged.evidence
    if not kept:
        assert merged == fresh
        return
    assert merged.degree == min(fresh.degree, *(2 if item["via"] else 1 for item in kept))
    assert set(merged.kinds) == set(fresh.kinds) | {"co_presence"}
    assert merged.exposed_at <= fresh.exposed_at
    assert merged.exposure_date == merged.exposed_at.astimezone(POLICY.time_zone).date()


def test_a_household_contact_keeps_the_market_visit_the_purge_took():
    exposed = datetime(2020, 2, 10, 2, 10, 10, tzinfo=UTC)
    market = {
        "kind": "co_presence",
        "place": "CPP:M",
        "place_name": "market",
        "source_time": datetime(2020, 2, 10, 2, 10, tzinfo=UTC).isoformat(),
        "contact_time": exposed.isoformat(),
        "via": None,
    }
    household = {k: None for k in market} | {"kind": "household"}
    # The case's window opened at midnight of 8 February in Shanghai: the household's exposure.
    window_start = datetime(2020, 2, 7, 16, 0, tzinfo=UTC)
    stored = ContactRecord(
        degree=1,
        kinds=("household", "co_presence"),
        evidence=(household, market),
        exposed_at=window_start,
        exposure_date=date(2020, 2, 8),
    )
    fresh = ContactRecord(
        degree=1,
        kinds=("household",),
        evidence=(household,),
        exposed_at=window_start,
        exposure_date=date(2020, 2, 8),
    )

    merged = contact_keep_purged_evidence(stored=stored, fresh=fresh, now=NOW, policy=POLICY)
    assert merged == stored
    # While the log still holds the visit, the fresh discovery decides alone.
    recent = contact_keep_purged_evidence(
        stored=stored, fresh=fresh, now=exposed + timedelta(days=3), policy=POLICY
    )
    assert recent == fresh
