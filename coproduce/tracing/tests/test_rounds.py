"""Tests of investigation rounds, task grouping and quarantine order choice (pure)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coproduce.tracing.rules import (
    QuarantineKind,
    RoundContact,
    RoundPick,
    TaskGroup,
    TaskOutcome,
    TaskRecord,
    TracingPolicy,
    order_supersedes,
    quarantine_order_for,
    round_select,
    tasks_group,
)

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2020, 2, 12, 9, 0, tzinfo=TZ)
PAST = NOW - timedelta(hours=1)
LATER = NOW + timedelta(hours=1)
POLICY = TracingPolicy()


def select(round_number, contacts, tasks=()):
    picks = round_select(round_number=round_number, contacts=contacts, tasks=tasks, now=NOW)
    return {p.person: p for p in picks}


CONTACTS = [RoundContact("a", 1, "x"), RoundContact("b", 1, "y"), RoundContact("s", 2, "x")]


# --- rounds ------------------------------------------------------------------------------------


def test_round_one_takes_the_degree_one_contacts():
    assert set(select(1, CONTACTS)) == {"a", "b"}


def test_round_two_takes_degree_two_and_the_unreached_of_round_one():
    tasks = [
        TaskRecord("a", 1, PAST, TaskOutcome.REACHED),
        TaskRecord("b", 1, PAST, TaskOutcome.NOT_FOUND),
    ]
    picks = select(2, CONTACTS, tasks)
    assert set(picks) == {"b", "s"}
    assert (picks["b"].previous_outcome, picks["b"].attempts) == (TaskOutcome.NOT_FOUND, 1)
    assert (picks["s"].previous_outcome, picks["s"].attempts) == (None, 0)


def test_refused_counts_as_unreached_and_is_picked_again():
    tasks = [TaskRecord("a", 1, PAST, TaskOutcome.REFUSED)]
    assert select(2, CONTACTS, tasks)["a"].previous_outcome == TaskOutcome.REFUSED


def test_quarantined_counts_as_reached():
    tasks = [TaskRecord("a", 1, PAST, TaskOutcome.QUARANTINED)]
    assert "a" not in select(2, CONTACTS, tasks)


def test_degree_one_contact_without_any_task_is_picked_in_round_two():
    late = [*CONTACTS, RoundContact("late", 1, "z")]
    tasks = [TaskRecord("a", 1, PAST, TaskOutcome.REACHED), TaskRecord("b", 1, PAST, "reached")]
    assert set(select(2, late, tasks)) == {"late", "s"}


def test_open_task_before_its_deadline_is_left_to_its_team():
    tasks = [TaskRecord("b", 1, LATER)]
    assert "b" not in select(2, CONTACTS, tasks)


def test_open_task_past_its_deadline_is_picked_again():
    tasks = [TaskRecord("b", 1, PAST)]
    pick = select(2, CONTACTS, tasks)["b"]
    assert (pick.previous_outcome, pick.attempts) == (None, 1)


def test_round_three_sweeps_what_remains():
    tasks = [
        TaskRecord("a", 1, PAST, TaskOutcome.REACHED),
        TaskRecord("b", 1, PAST, TaskOutcome.NOT_FOUND),
        TaskRecord("b", 2, PAST, TaskOutcome.REFUSED),
        TaskRecord("s", 2, PAST, TaskOutcome.QUARANTINED),
    ]
    picks = select(3, CONTACTS, tasks)
    assert set(picks) == {"b"}
    assert (picks["b"].previous_outcome, picks["b"].attempts) == (TaskOutcome.REFUSED, 2)


def test_restarting_a_round_does_not_pick_anyone_twice():
    tasks = [TaskRecord("a", 1, PAST, TaskOutcome.NOT_FOUND)]
    assert set(select(1, CONTACTS, tasks)) == {"b"}


def test_person_listed_twice_is_picked_once_with_the_lowest_degree():
    picks = round_select(
        round_number=2,
        contacts=[RoundContact("a", 2, "x"), RoundContact("a", 1, "x")],
        tasks=[],
        now=NOW,
    )
    assert [(p.person, p.degree) for p in picks] == [("a", 1)]


def test_rounds_are_numbered_from_one():
    with pytest.raises(ValueError):
        round_select(round_number=0, contacts=CONTACTS, tasks=[], now=NOW)


round_contacts = st.lists(
    st.builds(
        RoundContact,
        st.sampled_from("abcdefg"),
        st.sampled_from([1, 2]),
        st.sampled_from([None, "x", "y"]),
    ),
    max_size=12,
)
task_records = st.lists(
    st.builds(
        TaskRecord,
        st.sampled_from("abcdefg"),
        st.integers(min_value=1, max_value=3),
        st.sampled_from([PAST, LATER]),
        st.sampled_from([None, *TaskOutcome]),
    ),
    max_size=12,
)


@given(st.integers(min_value=1, max_value=4), round_contacts, task_records, st.randoms())
def test_round_selection_rules_hold_whatever_the_history(number, contacts, tasks, rnd):
    picks = round_select(round_number=number, contacts=contacts, tasks=tasks, now=NOW)
    persons = [p.person for p in picks]
    assert len(persons) == len(set(persons))
    reached = {t.person for t in tasks if t.outcome in (TaskOutcome.REACHED, "quarantined")}
    in_round = {t.person for t in tasks if t.round_number == number}
    assert not set(persons) & (reached | in_round)
    assert set(persons) <= {c.person for c in contacts}
    if number == 1:
        assert all(p.degree == 1 for p in picks)
    rnd.shuffle(contacts)
    rnd.shuffle(tasks)
    assert round_select(round_number=number, contacts=contacts, tasks=tasks, now=NOW) == picks


@given(st.integers(min_value=2, max_value=4), round_contacts)
def test_every_contact_is_picked_after_round_one_when_nothing_was_done(number, contacts):
    picks = round_select(round_number=number, contacts=contacts, tasks=[], now=NOW)
    assert {p.person for p in picks} == {c.person for c in contacts}


# --- task grouping -----------------------------------------------------------------------------


def pick(person, area, degree=1):
    return RoundPick(person=person, degree=degree, area=area, previous_outcome=None, attempts=0)


def test_contacts_are_grouped_by_area_with_a_24_hour_deadline():
    groups = tasks_group(
        picks=[pick("a", "x"), pick("b", "y"), pick("c", "x")],
        teams_by_area={"x": ["t1"], "y": ["t2"]},
        team_load={},
        round_started_at=NOW,
        policy=POLICY,
    )
    deadline = NOW + timedelta(hours=24)
    assert groups == (
        TaskGroup(area="x", team="t1", persons=("a", "c"), deadline=deadline),
        TaskGroup(area="y", team="t2", persons=("b",), deadline=deadline),
    )


def test_group_goes_to_the_least_loaded_team_serving_the_area():
    groups = tasks_group(
        picks=[pick("a", "x")],
        teams_by_area={"x": ["t1", "t2", "t3"]},
        team_load={"t1": 5, "t2": 2, "t3": 2},
        round_started_at=NOW,
        policy=POLICY,
    )
    assert groups[0].team == "t2"  # t2 and t3 tie on load: the lower id wins


def test_load_grows_as_groups_are_assigned():
    groups = tasks_group(
        picks=[pick("a", "x"), pick("b", "x"), pick("c", "y")],
        teams_by_area={"x": ["t1", "t2"], "y": ["t1", "t2"]},
        team_load={},
        round_started_at=NOW,
        policy=POLICY,
    )
    assert {g.area: g.team for g in groups} == {"x": "t1", "y": "t2"}


def test_area_without_a_team_and_unknown_area_are_left_unassigned():
    groups = tasks_group(
        picks=[pick("a", "nowhere"), pick("b", None)],
        teams_by_area={"x": ["t1"]},
        team_load={},
        round_started_at=NOW,
        policy=POLICY,
    )
    assert [(g.area, g.team) for g in groups] == [("nowhere", None), (None, None)]


def test_deadline_is_a_setting():
    policy = TracingPolicy(first_contact_deadline=timedelta(hours=12))
    (group,) = tasks_group(
        picks=[pick("a", "x")],
        teams_by_area={},
        team_load={},
        round_started_at=NOW,
        policy=policy,
    )
    assert group.deadline == NOW + timedelta(hours=12)


picks_st = st.lists(
    st.builds(pick, st.sampled_from("abcdefghij"), st.sampled_from([None, "x", "y", "z"])),
    max_size=15,
    unique_by=lambda p: p.person,
)
teams_st = st.dictionaries(
    st.sampled_from(["x", "y", "z"]),
    st.lists(st.sampled_from(["t1", "t2", "t3"]), max_size=3),
)
load_st = st.dictionaries(st.sampled_from(["t1", "t2", "t3"]), st.integers(0, 10))


@given(picks_st, teams_st, load_st, st.randoms())
def test_every_pick_is_in_one_group_of_a_team_serving_its_area(picks, teams, load, rnd):
    groups = tasks_group(
        picks=picks, teams_by_area=teams, team_load=load, round_started_at=NOW, policy=POLICY
    )
    assert Counter(p for g in groups for p in g.persons) == Counter(p.person for p in picks)
    areas = {p.person: p.area for p in picks}
    for group in groups:
        assert all(areas[p] == group.area for p in group.persons)
        if group.team is not None:
            assert group.team in teams[group.area]
        else:
            assert group.area is None or not teams.get(group.area)
    rnd.shuffle(picks)
    shuffled = tasks_group(
        picks=picks, teams_by_area=teams, team_load=load, round_started_at=NOW, policy=POLICY
    )
    assert shuffled == groups


# --- quarantine orders -------------------------------------------------------------------------


def test_degree_one_goes_to_centralized_and_degree_two_to_home_quarantine():
    assert quarantine_order_for(degree=1, policy=POLICY) == QuarantineKind.CENTRALIZED
    assert quarantine_order_for(degree=2, policy=POLICY) == QuarantineKind.HOME


def test_order_by_degree_is_a_setting():
    policy = TracingPolicy(degree1_order=QuarantineKind.HOME)
    assert quarantine_order_for(degree=1, policy=policy) == QuarantineKind.HOME


def test_contacts_have_degree_one_or_two():
    with pytest.raises(ValueError):
        quarantine_order_for(degree=3, policy=POLICY)


@pytest.mark.parametrize(
    ("existing", "new", "supersedes"),
    [
        (None, QuarantineKind.HOME, True),
        (None, QuarantineKind.CENTRALIZED, True),
        (QuarantineKind.HOME, QuarantineKind.CENTRALIZED, True),
        (QuarantineKind.CENTRALIZED, QuarantineKind.HOME, False),
        (QuarantineKind.HOME, QuarantineKind.HOME, False),
        (QuarantineKind.CENTRALIZED, QuarantineKind.CENTRALIZED, False),
    ],
)
def test_a_stricter_existing_order_is_never_replaced_by_a_milder_one(existing, new, supersedes):
    assert order_supersedes(existing=existing, new=new) is supersedes


@given(st.sampled_from(QuarantineKind), st.sampled_from(QuarantineKind))
def test_two_orders_never_supersede_each_other(a, b):
    assert not (order_supersedes(existing=a, new=b) and order_supersedes(existing=b, new=a))
