"""The matching engine against its constraints, a brute force and an independent max-flow."""

from datetime import date, timedelta
from functools import cache

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coproduce.labor.matching import Offer, match
from coproduce.labor.rules import covers, haversine_km

BASE = date(2020, 2, 1)
SKILLS = ["welder", "sewer", "forklift"]


def offers(kind_base: int, *, max_n: int, max_workers: int, skills=SKILLS, spread=0.6):
    """Random postings near Hangzhou (spread in degrees: about 0.6 = 60 km)."""
    one = st.builds(
        lambda i, ent, skill, w, start, days, dlat, dlon: (ent, skill, w, start, days, dlat, dlon),
        st.just(0),
        st.integers(1, 4),
        st.sampled_from(skills),
        st.integers(1, max_workers),
        st.integers(0, 10),
        st.integers(0, 20),
        st.floats(-spread, spread),
        st.floats(-spread, spread),
    )
    return st.lists(one, min_size=0, max_size=max_n).map(
        lambda rows: [
            Offer(
                id=kind_base + k,
                enterprise=ent,
                skill=skill,
                workers=w,
                start=BASE + timedelta(days=start),
                end=BASE + timedelta(days=start + days),
                lat=30.27 + dlat,
                lon=120.15 + dlon,
            )
            for k, (ent, skill, w, start, days, dlat, dlon) in enumerate(rows)
        ]
    )


def eligible(s: Offer, d: Offer, max_km: float) -> bool:
    return (
        s.skill == d.skill
        and s.enterprise != d.enterprise
        and covers(s.start, s.end, d.start, d.end)
        and haversine_km(s.lat, s.lon, d.lat, d.lon) <= max_km
    )


def metres(s: Offer, d: Offer) -> int:
    return round(haversine_km(s.lat, s.lon, d.lat, d.lon) * 1000)


def assert_feasible(surpluses, shortages, answer, max_km):
    by_id_s = {s.id: s for s in surpluses}
    by_id_d = {d.id: d for d in shortages}
    lent = dict.fromkeys(by_id_s, 0)
    got = dict.fromkeys(by_id_d, 0)
    for p in answer.proposals:
        s, d = by_id_s[p.surplus], by_id_d[p.shortage]
        assert p.workers >= 1
        assert eligible(s, d, max_km), p
        assert abs(p.distance_km - haversine_km(s.lat, s.lon, d.lat, d.lon)) < 0.01
        lent[s.id] += p.workers
        got[d.id] += p.workers
    assert all(lent[i] <= by_id_s[i].workers for i in lent)
    assert all(got[i] <= by_id_d[i].workers for i in got)
    assert answer.matched_workers == sum(p.workers for p in answer.proposals)


def brute_force(surpluses, shortages, max_km):
    """The best (workers, -worker metres) by exhaustive search over every assignment."""
    pairs = {
        (i, j): metres(s, d)
        for i, s in enumerate(surpluses)
        for j, d in enumerate(shortages)
        if eligible(s, d, max_km)
    }

    @cache
    def best(j: int, remaining: tuple[int, ...]) -> tuple[int, int]:
        if j == len(shortages):
            return (0, 0)
        sources = [i for i in range(len(surpluses)) if (i, j) in pairs and remaining[i] > 0]
        result = best(j + 1, remaining)  # this shortage gets nobody

        def spread(k: int, need: int, rem: list[int], workers: int, cost: int):
            nonlocal result
            if k == len(sources) or need == 0:
                if workers:
                    w, c = best(j + 1, tuple(rem))
                    result = max(result, (w + workers, c - cost))
                return
            i = sources[k]
            for take in range(min(need, rem[i]) + 1):
                rem[i] -= take
                spread(k + 1, need - take, rem, workers + take, cost + take * pairs[(i, j)])
                rem[i] += take

        spread(0, shortages[j].workers, list(remaining), 0, 0)
        return result

    workers, neg_cost = best(0, tuple(s.workers for s in surpluses))
    return workers, -neg_cost


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    surpluses=offers(1000, max_n=6, max_workers=3),
    shortages=offers(2000, max_n=6, max_workers=3),
    max_km=st.sampled_from([0.0, 20.0, 50.0, 200.0]),
)
def test_matching_equals_brute_force_on_small_cases(surpluses, shortages, max_km):
    answer = match(surpluses, shortages, max_distance_km=max_km)
    assert_feasible(surpluses, shortages, answer, max_km)
    workers, cost = brute_force(surpluses, shortages, max_km)
    assert answer.matched_workers == workers
    # Among the assignments with the most workers, the engine's has the least workers x metres.
    assert answer.worker_metres == cost


def independent_max_flow(surpluses, shortages, max_km):
    graph = nx.DiGraph()
    for s in surpluses:
        graph.add_edge("source", ("s", s.id), capacity=s.workers, weight=0)
    for d in shortages:
        graph.add_edge(("d", d.id), "sink", capacity=d.workers, weight=0)
    for s in surpluses:
        for d in shortages:
            if eligible(s, d, max_km):
                graph.add_edge(("s", s.id), ("d", d.id), capacity=s.workers, weight=metres(s, d))
    if "source" not in graph or "sink" not in graph:
        return 0, 0
    flow = nx.max_flow_min_cost(graph, "source", "sink")
    value = sum(flow["source"].values())
    return value, nx.cost_of_flow(graph, flow)


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    surpluses=offers(1000, max_n=60, max_workers=40, skills=SKILLS[:2], spread=0.8),
    shortages=offers(5000, max_n=60, max_workers=40, skills=SKILLS[:2], spread=0.8),
)
def test_matching_equals_an_independent_max_flow_on_larger_cases(surpluses, shortages):
    answer = match(surpluses, shortages, max_distance_km=50)
    assert_feasible(surpluses, shortages, answer, 50)
    value, cost = independent_max_flow(surpluses, shortages, 50)
    assert answer.matched_workers == value
    assert answer.worker_metres == cost


def test_an_enterprise_never_lends_to_itself():
    s = Offer(1, 7, "welder", 5, BASE, BASE + timedelta(days=9), 30.0, 120.0)
    d = Offer(2, 7, "welder", 5, BASE, BASE + timedelta(days=9), 30.0, 120.0)
    assert match([s], [d]).matched_workers == 0


def test_the_nearer_lender_is_chosen_when_both_could_serve():
    near = Offer(1, 1, "welder", 5, BASE, BASE + timedelta(days=9), 30.01, 120.0)
    far = Offer(2, 2, "welder", 5, BASE, BASE + timedelta(days=9), 30.3, 120.0)
    short = Offer(3, 3, "welder", 5, BASE, BASE + timedelta(days=9), 30.0, 120.0)
    answer = match([far, near], [short])
    assert [(p.surplus, p.workers) for p in answer.proposals] == [(1, 5)]


def test_more_workers_beat_shorter_commutes():
    # Lender 1 is near both shortages; lender 2 reaches only shortage A. Least km alone would
    # send lender 1 to A and leave B empty; the engine first maximizes the workers.
    s1 = Offer(1, 1, "welder", 3, BASE, BASE + timedelta(days=9), 30.0, 120.0)
    s2 = Offer(2, 2, "welder", 3, BASE, BASE + timedelta(days=9), 30.0, 120.4)
    a = Offer(3, 3, "welder", 3, BASE, BASE + timedelta(days=9), 30.0, 120.01)
    b = Offer(4, 4, "welder", 3, BASE, BASE + timedelta(days=9), 30.0, 119.9)
    answer = match([s1, s2], [a, b], max_distance_km=50)
    assert answer.matched_workers == 6
    assert {(p.surplus, p.shortage) for p in answer.proposals} == {(1, 4), (2, 3)}


def test_a_surplus_must_cover_the_whole_shortage_period():
    s = Offer(1, 1, "welder", 5, BASE, BASE + timedelta(days=5), 30.0, 120.0)
    d = Offer(2, 2, "welder", 5, BASE + timedelta(days=1), BASE + timedelta(days=6), 30.0, 120.0)
    assert match([s], [d]).matched_workers == 0
