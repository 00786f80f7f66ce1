"""Investigation rounds, tasks for teams, and the choice of quarantine order (PRODUCT.md 3.4)."""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from coproduce.tracing.rules.policy import (
    ORDER_SEVERITY,
    QuarantineKind,
    TracingPolicy,
    none_last,
    require_aware,
)


class TaskOutcome(enum.StrEnum):
    """Outcome of a finished tracing task (PRODUCT.md 3.4)."""

    REACHED = "reached"
    QUARANTINED = "quarantined"
    NOT_FOUND = "not_found"
    REFUSED = "refused"


# Outcomes that put the contact under control: the person needs no further round. A refusal is
# NOT among them: the tracer spoke to the person, but the risk is not contained, so the next
# round picks them up again (with the previous outcome shown, so that the team escalates).
REACHED_OUTCOMES = frozenset({TaskOutcome.REACHED, TaskOutcome.QUARANTINED})


# --- rounds and tasks ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RoundContact:
    """A contact as rounds see it: who, which degree, and their home residential area."""

    person: str
    degree: int
    area: str | None = None


@dataclass(frozen=True, slots=True)
class TaskRecord:
    """A tracing task so far: round, deadline and outcome (None while not done)."""

    person: str
    round_number: int
    deadline: datetime
    outcome: TaskOutcome | None = None


@dataclass(frozen=True, slots=True)
class RoundPick:
    """A contact selected for a round, with what earlier rounds found."""

    person: str
    degree: int
    area: str | None
    previous_outcome: TaskOutcome | None
    attempts: int


def round_select(
    *,
    round_number: int,
    contacts: Iterable[RoundContact],
    tasks: Iterable[TaskRecord],
    now: datetime,
) -> tuple[RoundPick, ...]:
    """Rule: round 1 the degree-1 contacts; later rounds every contact not yet reached.

    PRODUCT.md 3.4 (Fuyang's three rounds): round 2 takes the degree-2 contacts and the unreached
    of round 1; round 3 sweeps what remains. Since every contact is degree 1 or 2, rounds 2 and 3
    apply the same rule at different times, catching contacts found since and those still
    unreached. Never picked: a person reached or quarantined by any task; a person who already
    has a task in this round (so no one appears twice in a round, and restarting a round is
    harmless); a person whose earlier task is still open before its deadline (a team is on it).
    Picked again: not found, refused (not under control; ``previous_outcome`` lets the team
    escalate), and overdue open tasks (the service closes the stale task). Rounds past 3 are
    further sweeps. Sorted by degree, area, person.
    """
    if round_number < 1:
        raise ValueError("rounds are numbered from 1")
    history: dict[str, list[TaskRecord]] = defaultdict(list)
    for task in tasks:
        history[task.person].append(task)
    picks: dict[str, RoundPick] = {}
    for contact in contacts:
        if round_number == 1 and contact.degree != 1:
            continue
        past = history.get(contact.person, [])
        if any(t.outcome in REACHED_OUTCOMES for t in past):
            continue
        if any(t.round_number == round_number for t in past):
            continue
        if any(t.outcome is None and t.deadline > now for t in past):
            continue
        done = sorted(
            (t for t in past if t.outcome is not None),
            key=lambda t: (t.round_number, t.deadline, t.outcome),
        )
        pick = RoundPick(
            person=contact.person,
            degree=contact.degree,
            area=contact.area,
            previous_outcome=done[-1].outcome if done else None,
            attempts=len(past),
        )
        # A person listed twice keeps the lowest degree.
        known = picks.get(contact.person)
        if known is None or (pick.degree, none_last(pick.area)) < (
            known.degree,
            none_last(known.area),
        ):
            picks[contact.person] = pick
    return tuple(sorted(picks.values(), key=lambda p: (p.degree, none_last(p.area), p.person)))


@dataclass(frozen=True, slots=True)
class TaskGroup:
    """Contacts of one residential area assigned together to one team, with a deadline."""

    area: str | None
    team: str | None
    persons: tuple[str, ...]
    deadline: datetime


def tasks_group(
    *,
    picks: Iterable[RoundPick],
    teams_by_area: Mapping[str, Collection[str]],
    team_load: Mapping[str, int],
    round_started_at: datetime,
    policy: TracingPolicy,
) -> tuple[TaskGroup, ...]:
    """Rule: group a round's contacts by residential area, each group to the least-loaded team.

    Teams are those serving the area (``teams_by_area``); ``team_load`` counts their open tasks.
    Groups are assigned largest first (the classic longest-processing-time order, which balances
    better), each to the serving team with the lowest load, ties broken by team id; the load
    grows by the group's size as it goes. An area no team serves, or a contact with no known
    area, gives a group with no team, for a coordinator to assign by hand. The deadline is the
    round's start plus the first-contact deadline (24 h). Sorted by area, unknown last.
    """
    require_aware(round_started_at, "round_started_at")
    by_area: dict[str | None, set[str]] = defaultdict(set)
    for pick in picks:
        by_area[pick.area].add(pick.person)
    load = dict(team_load)
    deadline = round_started_at + policy.first_contact_deadline
    groups = []
    for area in sorted(by_area, key=lambda a: (-len(by_area[a]), none_last(a))):
        persons = tuple(sorted(by_area[area]))
        teams = sorted(set(teams_by_area.get(area, ()))) if area is not None else []
        team = min(teams, key=lambda t: (load.get(t, 0), t)) if teams else None
        if team is not None:
            load[team] = load.get(team, 0) + len(persons)
        groups.append(TaskGroup(area=area, team=team, persons=persons, deadline=deadline))
    return tuple(sorted(groups, key=lambda g: none_last(g.area)))


# --- quarantine orders --------------------------------------------------------------------------


def quarantine_order_for(*, degree: int, policy: TracingPolicy) -> QuarantineKind:
    """Rule: degree 1 gets centralized quarantine, degree 2 home quarantine (settings)."""
    if degree == 1:
        return policy.degree1_order
    if degree == 2:
        return policy.degree2_order
    raise ValueError("contacts have degree 1 or 2")


def order_supersedes(*, existing: QuarantineKind | None, new: QuarantineKind) -> bool:
    """Rule: a new order replaces the existing one only if strictly stricter (never downgrade).

    With no existing order the new one applies. The same kind again does not supersede: the
    running order and its report streak continue (extending it for a re-exposure is a decision
    for the official, not this rule).
    """
    if existing is None:
        return True
    return ORDER_SEVERITY[QuarantineKind(new)] > ORDER_SEVERITY[QuarantineKind(existing)]
