"""Contact discovery over the presence log in the database, against the pure rule."""

import random
from datetime import timedelta

import pytest

from coproduce.places.models import Presence
from coproduce.tracing import rules, services
from coproduce.tracing.discovery import case_window
from coproduce.tracing.policy import tracing_policy
from coproduce.tracing.tests.conftest import at

pytestmark = pytest.mark.django_db


def _case(world, clock_at, name="case", onset=10, isolated=None, now=(12, 12)):
    clock_at(at(*now))
    person = world.people.get(name) or world.person(name)
    return services.case_report(
        person=person,
        status="confirmed",
        onset_date=at(onset, 0).date(),
        isolated_at=isolated,
        actor=None,
    )


def _found(case):
    return {c.person.name: c for c in services.contacts_refresh(case=case, actor=None)}


@pytest.mark.parametrize(("minutes", "is_contact"), [(29, True), (30, True), (31, False)])
@pytest.mark.parametrize("sign", [1, -1])
def test_co_presence_at_29_30_and_31_minutes(world, clock_at, minutes, is_contact, sign):
    world.place("market")
    world.person("case")
    world.person("shopper")
    world.seen("case", "market", at(10, 10))
    world.seen("shopper", "market", at(10, 10) + sign * timedelta(minutes=minutes))
    found = _found(_case(world, clock_at))
    assert ("shopper" in found) is is_contact
    if is_contact:
        assert found["shopper"].degree == 1
        assert found["shopper"].kinds == ["co_presence"]
        evidence = found["shopper"].evidence[0]
        assert evidence["place"] == world.places["market"].code


def test_window_first_day_counts_and_the_day_before_does_not(world, clock_at):
    # Onset on the 10th: the window opens on the 8th at local midnight.
    world.place("market")
    for name in ("case", "early", "first"):
        world.person(name)
    world.seen("case", "market", at(7, 23, 50))
    world.seen("early", "market", at(7, 23, 55))
    world.seen("case", "market", at(8, 0, 0))
    world.seen("first", "market", at(8, 0, 20))
    found = _found(_case(world, clock_at))
    assert "first" in found and found["first"].exposure_date.isoformat() == "2020-02-08"
    # "early" was near the case at 23:55 on the 7th (outside) and at 00:00 on the 8th (inside,
    # 5 minutes later): a contact, exposed when the case's window presence began.
    assert found["early"].exposed_at == at(8, 0, 0)


def test_window_last_day_ends_at_isolation(world, clock_at):
    world.place("market")
    for name in ("case", "before", "after"):
        world.person(name)
    world.seen("case", "market", at(11, 9, 0))
    world.seen("before", "market", at(11, 9, 5))
    world.seen("case", "market", at(11, 18, 0))  # after isolation: not infectious here
    world.seen("after", "market", at(11, 18, 5))
    found = _found(_case(world, clock_at, isolated=at(11, 12)))
    assert set(found) == {"before"}


def test_degree_two_only_after_the_contacts_exposure(world, clock_at):
    world.place("market")
    world.place("bakery")
    for name in ("case", "contact", "earlier", "later"):
        world.person(name)
    world.seen("case", "market", at(10, 10))
    world.seen("contact", "market", at(10, 10, 10))
    world.seen("contact", "bakery", at(9, 15))  # before the exposure
    world.seen("earlier", "bakery", at(9, 15, 5))
    world.seen("contact", "bakery", at(11, 15))  # after it
    world.seen("later", "bakery", at(11, 15, 5))
    found = _found(_case(world, clock_at))
    assert found["contact"].degree == 1
    assert "earlier" not in found
    assert found["later"].degree == 2
    assert found["later"].evidence[0]["via"] == world.people["contact"].public_id


def test_one_person_by_two_paths_appears_once_with_both(world, clock_at):
    world.place("market")
    world.person("case")
    world.person("wife")
    world.household("case", "wife")
    world.seen("case", "market", at(10, 10))
    world.seen("wife", "market", at(10, 10, 3))
    case = _case(world, clock_at)
    services.interview_contact_add(
        case=case, actor=None, exposed_at=at(10, 12), phone=world.people["wife"].phone
    )
    found = _found(case)
    assert list(found) == ["wife"]
    assert found["wife"].kinds == ["household", "co_presence", "interview"]
    assert len(found["wife"].evidence) == 3
    # The household exposure starts with the window: the earliest path wins.
    assert found["wife"].exposure_date.isoformat() == "2020-02-08"


def test_refresh_twice_stores_each_contact_once(world, clock_at):
    world.place("market")
    world.person("case")
    world.person("shopper")
    world.seen("case", "market", at(10, 10))
    world.seen("shopper", "market", at(10, 10, 5))
    case = _case(world, clock_at)
    services.contacts_refresh(case=case, actor=None)
    services.contacts_refresh(case=case, actor=None)
    assert case.contacts.count() == 1


def test_interview_contact_unknown_is_recorded_unregistered(world, clock_at, regions):
    world.person("case")
    case = _case(world, clock_at)
    item = services.interview_contact_add(
        case=case, actor=None, exposed_at=at(10, 9), name="Li Si", home_region="330111001001002"
    )
    assert item.person.status == "unregistered"
    assert _found(case)["Li Si"].kinds == ["interview"]


@pytest.mark.parametrize("seed", range(6))
def test_database_discovery_equals_the_pure_rule_over_the_whole_log(world, clock_at, seed):
    """Random logs: the indexed two-phase read gives the rule's answer over every event."""
    rnd = random.Random(seed)
    for i in range(4):
        world.place(f"place{i}")
    names = [f"p{i}" for i in range(25)]
    for name in names:
        world.person(name)
    world.household("p0", "p1", "p2")
    case_name = "p0"
    for _ in range(160):
        name = rnd.choice(names)
        moment = at(7, 0) + timedelta(minutes=rnd.randrange(0, 6 * 24 * 60, 7))
        world.seen(name, f"place{rnd.randrange(4)}", moment)
    case = _case(world, clock_at, name=case_name, onset=10, now=(13, 0))
    services.interview_contact_add(
        case=case, actor=None, exposed_at=at(9, 8), phone=world.people["p9"].phone
    )
    stored = {c.person_id: c for c in services.contacts_refresh(case=case, actor=None)}

    policy = tracing_policy()
    everything = [
        rules.PresenceEvent(person=str(p), place=str(pl), at=t)
        for p, pl, t in Presence.objects.values_list("person_id", "place_id", "at")
    ]
    expected = rules.contacts_discover(
        case=str(case.person_id),
        window=case_window(case, now=at(13, 0), policy=policy),
        household=[str(world.people[n].pk) for n in ("p0", "p1", "p2")],
        interviews=[rules.InterviewContact(person=str(world.people["p9"].pk), exposed_at=at(9, 8))],
        events=everything,
        policy=policy,
    )
    assert {int(c.person) for c in expected} == set(stored)
    for c in expected:
        row = stored[int(c.person)]
        assert (row.degree, row.kinds, row.exposed_at, row.exposure_date) == (
            c.degree,
            [k.value for k in c.kinds],
            c.exposed_at,
            c.exposure_date,
        )
        assert len(row.evidence) == len(c.evidence)
