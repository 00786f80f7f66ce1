"""The matching engine of employee sharing: who lends how many workers to whom.

Pure (no Django, no I/O): the service reads the open postings, calls :func:`match` and stores
the inputs and the answer with the run.

**The problem.** Given surplus postings *S* (an enterprise can lend ``workers`` of a skill from
``start`` to ``end``, at a place) and shortage postings *D* (an enterprise lacks ``workers`` of
a skill over a period, at a place), choose integers ``x[s, d] >= 0``, the workers surplus ``s``
lends to shortage ``d``, such that

* ``x[s, d] > 0`` only for an *eligible* pair: the same skill, the surplus's dates cover the
  shortage's (``s.start <= d.start`` and ``d.end <= s.end``), two different enterprises, and at
  most ``max_distance_km`` apart (great-circle distance, :func:`rules.haversine_km`);
* no surplus lends more than it has: ``sum_d x[s, d] <= s.workers``;
* no shortage receives more than it lacks: ``sum_s x[s, d] <= d.workers``;

which **maximizes the matched workers** ``sum x[s, d]`` and, among all assignments that reach
that maximum, **minimizes the workers x kilometres** ``sum x[s, d] * km(s, d)``.

**The solver's model.** This is a maximum flow of minimum cost, solved by OR-Tools'
``SimpleMinCostFlow.solve_max_flow_with_min_cost`` (a cost-scaling push-relabel algorithm,
exact on integers):

* nodes: a source, one node per surplus, one per shortage, a sink;
* arcs: source -> surplus ``s`` with capacity ``s.workers`` and cost 0; surplus ``s`` ->
  shortage ``d`` for each eligible pair, capacity ``min(s.workers, d.workers)``, unit cost the
  distance in whole metres (integers keep the solver exact; a metre is far below any commute
  that matters); shortage ``d`` -> sink with capacity ``d.workers`` and cost 0;
* supplies: the source offers every surplus worker and the sink asks for every shortage worker;
  ``solve_max_flow_with_min_cost`` does not require them to balance: it finds the largest flow
  the network carries and, among flows of that value, one of least cost;
* the answer: the flow on each surplus -> shortage arc is ``x[s, d]``; integrality of min-cost
  flow guarantees whole workers.

Candidate pairs are built per skill with numpy (dates as day ordinals, distances vectorized), so
that the pairs of different skills are never compared; see docs/benchmarks-labor.md for sizes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
from ortools.graph.python import min_cost_flow

from coproduce.labor.rules import DEFAULT_MAX_DISTANCE_KM, EARTH_RADIUS_KM


@dataclass(frozen=True)
class Offer:
    """One posting as the engine sees it: a surplus or a shortage of one skill at one place."""

    id: int
    enterprise: int
    skill: str
    workers: int
    start: date
    end: date
    lat: float
    lon: float


@dataclass(frozen=True)
class Proposal:
    """Workers lent by one surplus to one shortage, and the distance between them."""

    surplus: int
    shortage: int
    workers: int
    distance_km: float


@dataclass(frozen=True)
class Answer:
    """The engine's answer: the proposals, the matched workers and their workers x metres."""

    proposals: tuple[Proposal, ...]
    matched_workers: int
    worker_metres: int
    candidate_pairs: int

    @property
    def worker_km(self) -> float:
        """The total commuting of the matched workers, in workers x kilometres."""
        return self.worker_metres / 1000


class SolverFailed(RuntimeError):
    """OR-Tools did not reach an optimal flow (a bug or an overflow, never bad input)."""


def _pair_distances_km(lat1, lon1, lat2, lon2):
    """Haversine distances (km) between the points of two equal-length arrays, pairwise."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dl = np.radians(lon2) - np.radians(lon1)
    a = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(a)))


def candidate_pairs(
    surpluses: Sequence[Offer], shortages: Sequence[Offer], *, max_distance_km: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The eligible pairs as arrays of (surplus index, shortage index, distance km)."""
    by_skill_s: dict[str, list[int]] = defaultdict(list)
    by_skill_d: dict[str, list[int]] = defaultdict(list)
    for i, s in enumerate(surpluses):
        by_skill_s[s.skill].append(i)
    for j, d in enumerate(shortages):
        by_skill_d[d.skill].append(j)
    parts_i, parts_j, parts_km = [], [], []
    for skill, si in by_skill_s.items():
        dj = by_skill_d.get(skill)
        if not dj:
            continue
        si_arr, dj_arr = np.asarray(si), np.asarray(dj)
        s_rows = [surpluses[i] for i in si]
        d_rows = [shortages[j] for j in dj]
        s_start = np.fromiter((s.start.toordinal() for s in s_rows), np.int64, len(s_rows))
        s_end = np.fromiter((s.end.toordinal() for s in s_rows), np.int64, len(s_rows))
        s_ent = np.fromiter((s.enterprise for s in s_rows), np.int64, len(s_rows))
        d_start = np.fromiter((d.start.toordinal() for d in d_rows), np.int64, len(d_rows))
        d_end = np.fromiter((d.end.toordinal() for d in d_rows), np.int64, len(d_rows))
        d_ent = np.fromiter((d.enterprise for d in d_rows), np.int64, len(d_rows))
        ok = (s_start[:, None] <= d_start[None, :]) & (d_end[None, :] <= s_end[:, None])
        ok &= s_ent[:, None] != d_ent[None, :]
        a, b = np.nonzero(ok)  # distances only for the pairs whose skill and dates fit
        if len(a) == 0:
            continue
        s_lat = np.array([s.lat for s in s_rows])
        s_lon = np.array([s.lon for s in s_rows])
        d_lat = np.array([d.lat for d in d_rows])
        d_lon = np.array([d.lon for d in d_rows])
        km = _pair_distances_km(s_lat[a], s_lon[a], d_lat[b], d_lon[b])
        near = km <= max_distance_km
        a, b, km = a[near], b[near], km[near]
        parts_i.append(si_arr[a])
        parts_j.append(dj_arr[b])
        parts_km.append(km)
    if not parts_i:
        empty = np.zeros(0, np.int64)
        return empty, empty, np.zeros(0)
    return np.concatenate(parts_i), np.concatenate(parts_j), np.concatenate(parts_km)


def match(
    surpluses: Sequence[Offer],
    shortages: Sequence[Offer],
    *,
    max_distance_km: float = DEFAULT_MAX_DISTANCE_KM,
) -> Answer:
    """The most workers lent, then the least workers x km, over the eligible pairs (see above)."""
    if max_distance_km < 0:
        raise ValueError("the maximum distance cannot be negative")
    pi, pj, pkm = candidate_pairs(surpluses, shortages, max_distance_km=max_distance_km)
    if len(pi) == 0:
        return Answer((), 0, 0, 0)
    n_s, n_d = len(surpluses), len(shortages)
    source, sink = n_s + n_d, n_s + n_d + 1
    s_workers = np.array([s.workers for s in surpluses], np.int64)
    d_workers = np.array([d.workers for d in shortages], np.int64)
    metres = np.rint(pkm * 1000).astype(np.int64)

    tails = np.concatenate([np.full(n_s, source), pi, n_s + np.arange(n_d)])
    heads = np.concatenate([np.arange(n_s), n_s + pj, np.full(n_d, sink)])
    caps = np.concatenate([s_workers, np.minimum(s_workers[pi], d_workers[pj]), d_workers])
    costs = np.concatenate([np.zeros(n_s, np.int64), metres, np.zeros(n_d, np.int64)])

    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    supplies = np.zeros(n_s + n_d + 2, np.int64)
    supplies[source] = int(s_workers.sum())
    supplies[sink] = -int(d_workers.sum())
    flow.set_nodes_supplies(np.arange(len(supplies)), supplies)
    status = flow.solve_max_flow_with_min_cost()
    if status != flow.OPTIMAL:
        raise SolverFailed(f"min-cost flow ended with status {status}")

    # The pair arcs were added after the n_s source arcs, in the order of the candidate pairs.
    pair_flow = flow.flows(np.arange(n_s, n_s + len(pi)))
    used = np.nonzero(pair_flow)[0]
    proposals = tuple(
        Proposal(
            surplus=surpluses[int(pi[k])].id,
            shortage=shortages[int(pj[k])].id,
            workers=int(pair_flow[k]),
            distance_km=round(float(pkm[k]), 2),
        )
        for k in used
    )
    return Answer(
        proposals=proposals,
        matched_workers=int(pair_flow.sum()),
        worker_metres=int((pair_flow[used] * metres[used]).sum()),
        candidate_pairs=len(pi),
    )
