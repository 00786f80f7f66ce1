"""Tests of the contact definition: window, co-presence, household, interview, degree 2."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coproduce.tracing.rules import (
    Contact,
    ContactKind,
    Evidence,
    InfectiousWindow,
    InterviewContact,
    PresenceEvent,
    TracingPolicy,
    co_presence_contacts,
    contacts_discover,
    contacts_merge,
    household_contacts,
    infectious_window,
    interview_contacts,
    secondary_contacts,
)

TZ = ZoneInfo("Asia/Shanghai")
POLICY = TracingPolicy()
M = timedelta(minutes=1)


def t(day, hour, minute=0, second=0):
    return datetime(2020, 2, day, hour, minute, second, tzinfo=TZ)


def ev(person, place, at):
    return PresenceEvent(person=person, place=place, at=at)


# A case isolated on 12 February at 09:00, window from 8 February 00:00 (onset on the 10th).
WINDOW = InfectiousWindow(start=t(8, 0), end=t(12, 9), open_ended=False)


def found(case_events, others, window=WINDOW, policy=POLICY):
    contacts = co_presence_contacts(
        case="case", case_events=case_events, events=others, window=window, policy=policy
    )
    return {c.person: c for c in contacts}


# --- infectious window -------------------------------------------------------------------------


def test_window_opens_two_days_before_onset_at_local_midnight():
    window = infectious_window(
        onset_date=date(2020, 2, 10),
        test_date=date(2020, 2, 11),
        isolated_at=t(12, 9),
        asymptomatic=False,
        now=t(13, 0),
        policy=POLICY,
    )
    assert window == InfectiousWindow(start=t(8, 0), end=t(12, 9), open_ended=False)
    assert window.start.utcoffset() == timedelta(hours=8)


def test_window_of_an_asymptomatic_case_opens_two_days_before_the_test():
    window = infectious_window(
        onset_date=date(2020, 2, 1),
        test_date=date(2020, 2, 10),
        isolated_at=None,
        asymptomatic=True,
        now=t(13, 0),
        policy=POLICY,
    )
    assert window.start == t(8, 0)


def test_window_without_onset_opens_two_days_before_the_test():
    window = infectious_window(
        onset_date=None,
        test_date=date(2020, 2, 10),
        isolated_at=None,
        asymptomatic=False,
        now=t(13, 0),
        policy=POLICY,
    )
    assert window.start == t(8, 0)


def test_window_uses_a_test_taken_before_the_symptoms():
    window = infectious_window(
        onset_date=date(2020, 2, 12),
        test_date=date(2020, 2, 10),
        isolated_at=None,
        asymptomatic=False,
        now=t(13, 0),
        policy=POLICY,
    )
    assert window.start == t(8, 0)


def test_asymptomatic_case_without_test_falls_back_to_onset():
    window = infectious_window(
        onset_date=date(2020, 2, 10),
        test_date=None,
        isolated_at=None,
        asymptomatic=True,
        now=t(13, 0),
        policy=POLICY,
    )
    assert window.start == t(8, 0)


def test_window_of_a_case_not_isolated_ends_now():
    window = infectious_window(
        onset_date=date(2020, 2, 10),
        test_date=None,
        isolated_at=None,
        asymptomatic=False,
        now=t(13, 7),
        policy=POLICY,
    )
    assert (window.end, window.open_ended) == (t(13, 7), True)


def test_days_before_onset_is_a_setting():
    window = infectious_window(
        onset_date=date(2020, 2, 10),
        test_date=None,
        isolated_at=None,
        asymptomatic=False,
        now=t(13, 0),
        policy=TracingPolicy(infectious_days_before=3),
    )
    assert window.start == t(7, 0)


def test_window_needs_a_date():
    with pytest.raises(ValueError, match="onset date or a test date"):
        infectious_window(
            onset_date=None,
            test_date=None,
            isolated_at=None,
            asymptomatic=False,
            now=t(13, 0),
            policy=POLICY,
        )


def test_window_refuses_naive_datetimes():
    with pytest.raises(ValueError, match="timezone-aware"):
        infectious_window(
            onset_date=date(2020, 2, 10),
            test_date=None,
            isolated_at=None,
            asymptomatic=False,
            now=datetime(2020, 2, 13),
            policy=POLICY,
        )


def test_window_of_a_case_isolated_before_it_began_is_empty():
    window = InfectiousWindow(start=t(8, 0), end=t(5, 0), open_ended=False)
    assert window.empty
    assert not window.contains(t(6, 0))


# --- co-presence -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("gap", "is_contact"),
    [
        (timedelta(minutes=29), True),
        (timedelta(minutes=30), True),
        (timedelta(minutes=30, seconds=1), False),
        (timedelta(minutes=31), False),
    ],
)
@pytest.mark.parametrize("sign", [1, -1])
def test_co_presence_within_30_minutes_inclusive(gap, is_contact, sign):
    case_at = t(10, 12)
    contacts = found([ev("case", "market", case_at)], [ev("p", "market", case_at + sign * gap)])
    assert ("p" in contacts) is is_contact


def test_co_presence_tolerance_is_a_setting():
    policy = TracingPolicy(co_presence_tolerance=timedelta(minutes=15))
    case_at = t(10, 12)
    assert found([ev("case", "a", case_at)], [ev("p", "a", case_at + 16 * M)], policy=policy) == {}


def test_same_time_at_another_place_is_not_a_contact():
    assert found([ev("case", "market", t(10, 12))], [ev("p", "station", t(10, 12))]) == {}


def test_case_presence_on_the_windows_first_day_counts():
    contacts = found([ev("case", "a", t(8, 0))], [ev("p", "a", t(8, 0, 20))])
    assert contacts["p"].exposure_date == date(2020, 2, 8)


def test_case_presence_the_day_before_the_window_does_not_count():
    assert found([ev("case", "a", t(7, 23, 59))], [ev("p", "a", t(8, 0, 10))]) == {}


def test_case_presence_at_the_moment_of_isolation_counts():
    assert "p" in found([ev("case", "a", t(12, 9))], [ev("p", "a", t(12, 9, 20))])


def test_case_presence_after_isolation_does_not_count():
    assert found([ev("case", "a", t(12, 9, 0, 1))], [ev("p", "a", t(12, 9, 0, 1))]) == {}


def test_window_of_an_unisolated_case_includes_its_last_day_up_to_now():
    window = InfectiousWindow(start=t(8, 0), end=t(13, 18), open_ended=True)
    contacts = found([ev("case", "a", t(13, 17, 50))], [ev("p", "a", t(13, 17, 55))], window)
    assert contacts["p"].exposure_date == date(2020, 2, 13)


def test_co_presence_evidence_names_place_and_both_times():
    contacts = found([ev("case", "market", t(10, 12))], [ev("p", "market", t(10, 12, 20))])
    assert contacts["p"].evidence == (
        Evidence(
            kind=ContactKind.CO_PRESENCE,
            place="market",
            source_time=t(10, 12),
            contact_time=t(10, 12, 20),
        ),
    )
    assert contacts["p"].kinds == (ContactKind.CO_PRESENCE,)
    assert contacts["p"].degree == 1


def test_exposure_is_when_both_were_present_and_the_earliest_counts():
    contacts = found(
        [ev("case", "market", t(10, 12)), ev("case", "bus", t(9, 8, 30))],
        [ev("p", "market", t(10, 11, 40)), ev("p", "bus", t(9, 8, 10))],
    )
    # On the bus the contact was there first, so exposure starts when the case arrived.
    assert contacts["p"].exposed_at == t(9, 8, 30)
    assert contacts["p"].exposure_date == date(2020, 2, 9)
    assert len(contacts["p"].evidence) == 2


def test_exposure_date_is_the_local_calendar_day():
    # 00:10 on 11 February in Shanghai is still 10 February in UTC.
    at = t(11, 0, 10)
    assert at.astimezone(UTC).date() == date(2020, 2, 10)
    contacts = found([ev("case", "a", at)], [ev("p", "a", at)])
    assert contacts["p"].exposure_date == date(2020, 2, 11)


def test_contact_arriving_just_after_the_case_was_isolated_is_a_contact():
    assert "p" in found([ev("case", "a", t(12, 8, 50))], [ev("p", "a", t(12, 9, 10))])


def test_case_is_never_its_own_co_presence_contact():
    events = [ev("case", "a", t(10, 12)), ev("case", "a", t(10, 12, 5))]
    assert found(events, events) == {}


def test_presence_events_refuse_naive_datetimes():
    with pytest.raises(ValueError, match="timezone-aware"):
        PresenceEvent(person="p", place="a", at=datetime(2020, 2, 10, 12))


# --- household and interview -------------------------------------------------------------------


def test_household_members_are_exposed_from_the_windows_start():
    contacts = household_contacts(
        case="case", members=["m2", "case", "m1"], window=WINDOW, policy=POLICY
    )
    assert [c.person for c in contacts] == ["m1", "m2"]
    assert contacts[0].exposed_at == WINDOW.start
    assert contacts[0].evidence == (Evidence(kind=ContactKind.HOUSEHOLD),)


def test_household_of_a_case_isolated_before_the_window_is_not_exposed():
    window = InfectiousWindow(start=t(8, 0), end=t(5, 0), open_ended=False)
    assert household_contacts(case="case", members=["m1"], window=window, policy=POLICY) == ()


def test_interview_contacts_keep_every_record_for_one_person():
    contacts = interview_contacts(
        case="case",
        named=[
            InterviewContact(person="f", exposed_at=t(9, 19), place="restaurant"),
            InterviewContact(person="f", exposed_at=t(10, 19)),
            InterviewContact(person="case", exposed_at=t(9, 19)),
        ],
        policy=POLICY,
    )
    assert len(contacts) == 1
    assert contacts[0].exposed_at == t(9, 19)
    assert [e.place for e in contacts[0].evidence] == ["restaurant", None]


# --- merging paths -----------------------------------------------------------------------------


def test_person_found_by_three_paths_appears_once_with_all_kinds_and_evidence():
    contacts = contacts_discover(
        case="case",
        window=WINDOW,
        household=["m"],
        interviews=[InterviewContact(person="m", exposed_at=t(11, 19), place="restaurant")],
        events=[ev("case", "market", t(10, 12)), ev("m", "market", t(10, 12, 10))],
        policy=POLICY,
    )
    assert [c.person for c in contacts] == ["m"]
    (m,) = contacts
    assert m.kinds == (ContactKind.HOUSEHOLD, ContactKind.CO_PRESENCE, ContactKind.INTERVIEW)
    assert [e.kind for e in m.evidence] == list(m.kinds)
    assert m.exposed_at == WINDOW.start
    assert m.degree == 1


def test_merge_keeps_lowest_degree_and_earliest_exposure_and_drops_the_case():
    def contact(person, degree, at):
        return Contact(
            person=person,
            degree=degree,
            kinds=(ContactKind.INTERVIEW,),
            evidence=(Evidence(kind=ContactKind.INTERVIEW, contact_time=at),),
            exposed_at=at,
            exposure_date=at.date(),
        )

    merged = contacts_merge(
        case="case",
        contacts=[contact("p", 2, t(9, 1)), contact("p", 1, t(10, 1)), contact("case", 1, t(9, 1))],
        policy=POLICY,
    )
    assert len(merged) == 1
    assert (merged[0].degree, merged[0].exposed_at, len(merged[0].evidence)) == (1, t(9, 1), 2)


# --- degree 2 ----------------------------------------------------------------------------------


def discover(events, household=(), interviews=()):
    contacts = contacts_discover(
        case="case",
        window=WINDOW,
        household=household,
        interviews=interviews,
        events=events,
        policy=POLICY,
    )
    return {c.person: c for c in contacts}


def test_degree_two_is_co_present_with_a_contact_after_their_exposure():
    contacts = discover(
        [
            ev("case", "market", t(10, 10)),
            ev("p", "market", t(10, 10, 5)),  # p exposed at 10:05
            ev("p", "office", t(10, 15)),
            ev("q", "office", t(10, 15, 20)),  # near p after exposure: degree 2
        ]
    )
    assert (contacts["p"].degree, contacts["q"].degree) == (1, 2)
    (evidence,) = contacts["q"].evidence
    assert (evidence.via, evidence.place, evidence.source_time) == ("p", "office", t(10, 15))
    assert contacts["q"].exposed_at == t(10, 15, 20)


def test_presence_with_a_contact_before_their_exposure_is_not_degree_two():
    contacts = discover(
        [
            ev("p", "office", t(9, 15)),
            ev("q", "office", t(9, 15, 10)),  # a day before p met the case
            ev("case", "market", t(10, 10)),
            ev("p", "market", t(10, 10, 5)),
        ]
    )
    assert set(contacts) == {"p"}


def test_presence_at_the_very_moment_of_exposure_is_not_degree_two():
    # p arrives 25 min after the case: exposed at 10:25. r, 40 minutes after the case, is too
    # late for the case and is near p only at p's exposure moment, not strictly after it.
    contacts = discover(
        [
            ev("case", "market", t(10, 10)),
            ev("p", "market", t(10, 10, 25)),
            ev("r", "market", t(10, 10, 40)),
        ]
    )
    assert set(contacts) == {"p"}


def test_person_near_both_the_case_and_a_contact_is_degree_one():
    contacts = discover(
        [
            ev("case", "market", t(10, 10)),
            ev("p", "market", t(10, 10, 5)),
            ev("q", "market", t(10, 10, 6)),
            ev("p", "office", t(10, 15)),
            ev("q", "office", t(10, 15)),
        ]
    )
    assert contacts["q"].degree == 1
    assert all(e.via is None for e in contacts["q"].evidence)


def test_household_member_of_the_case_spreads_degree_two_after_the_windows_start():
    contacts = discover(
        [ev("m", "school", t(9, 8)), ev("k", "school", t(9, 8, 10))], household=["m"]
    )
    assert (contacts["m"].degree, contacts["k"].degree) == (1, 2)


def test_case_is_never_a_degree_two_contact():
    contacts = secondary_contacts(
        case="case",
        primary=discover([ev("case", "a", t(10, 10)), ev("p", "a", t(10, 10, 5))]).values(),
        events=[ev("p", "b", t(10, 15)), ev("case", "b", t(10, 15, 10))],
        policy=POLICY,
    )
    assert contacts == ()


# --- properties --------------------------------------------------------------------------------

PEOPLE = ["case", "p1", "p2", "p3", "p4", "p5"]
BASE = t(10, 0)
events_st = st.lists(
    st.builds(
        ev,
        st.sampled_from(PEOPLE),
        st.sampled_from(["a", "b", "c"]),
        st.integers(min_value=-3000, max_value=3000).map(lambda m: BASE + m * M),
    ),
    max_size=25,
)
household_st = st.lists(st.sampled_from(PEOPLE), max_size=3)
interviews_st = st.lists(
    st.builds(
        InterviewContact,
        person=st.sampled_from(PEOPLE),
        exposed_at=st.integers(min_value=-3000, max_value=3000).map(lambda m: BASE + m * M),
        place=st.sampled_from([None, "a", "home"]),
    ),
    max_size=3,
)


@given(events_st)
def test_co_presence_matches_a_check_of_all_pairs(events):
    result = found(events, events)
    tol = POLICY.co_presence_tolerance
    expected = {}
    for c in events:
        if c.person != "case" or not WINDOW.contains(c.at):
            continue
        for o in events:
            if o.person != "case" and o.place == c.place and abs(o.at - c.at) <= tol:
                moment = max(c.at, o.at)
                expected[o.person] = min(expected.get(o.person, moment), moment)
    assert {p: c.exposed_at for p, c in result.items()} == expected


@given(events_st, household_st, interviews_st, st.randoms())
def test_contacts_do_not_depend_on_input_order(events, household, interviews, rnd):
    before = discover(events, household, interviews)
    for items in (events, household, interviews):
        rnd.shuffle(items)
    assert discover(events, household, interviews) == before


@given(events_st, events_st, household_st, interviews_st)
def test_adding_events_never_removes_a_contact(events, extra, household, interviews):
    before = discover(events, household, interviews)
    after = discover(events + extra, household, interviews)
    assert set(before) <= set(after)
    for person, contact in before.items():
        assert after[person].degree <= contact.degree
        assert after[person].exposed_at <= contact.exposed_at


@given(events_st, household_st, interviews_st)
def test_case_never_lists_itself(events, household, interviews):
    assert "case" not in discover(events, household + ["case"], interviews)


@given(events_st, household_st, interviews_st)
def test_degree_two_evidence_is_after_a_degree_one_contacts_exposure(events, household, interviews):
    contacts = discover(events, household, interviews)
    for contact in contacts.values():
        assert contact.degree in (1, 2)
        if contact.kinds == (ContactKind.CO_PRESENCE,):
            assert contact.exposed_at == min(
                max(e.source_time, e.contact_time) for e in contact.evidence
            )
        if contact.degree == 2:
            assert contact.kinds == (ContactKind.CO_PRESENCE,)
            for evidence in contact.evidence:
                source = contacts[evidence.via]
                assert source.degree == 1
                assert evidence.source_time > source.exposed_at
                assert abs(evidence.source_time - evidence.contact_time) <= (
                    POLICY.co_presence_tolerance
                )
