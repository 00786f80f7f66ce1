"""Reads of contact tracing, always within the caller's scope."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from coproduce.accounts.permissions import Scope
from coproduce.core import clock
from coproduce.core.errors import NotFound
from coproduce.fieldwork import selectors as task_selectors
from coproduce.fieldwork.rules import TaskStatus
from coproduce.tracing import codes
from coproduce.tracing.models import (
    Case,
    Contact,
    QuarantineOrder,
    QuarantineSite,
    Round,
    TraceTask,
)
from coproduce.tracing.policy import tracing_policy

REACHED = ("reached", "quarantined")


def case_list(
    *,
    scope: Scope,
    status: str = "",
    region=None,
    cluster: str = "",
    reported_from: date | None = None,
    reported_to: date | None = None,
    search: str = "",
) -> QuerySet[Case]:
    """Cases in scope (by the case's area), newest report first: the line list."""
    qs = (
        Case.objects.select_related("person", "region")
        .annotate(contact_count=Count("contacts"))
        .filter(scope.region_q("region"))
    )
    if status:
        qs = qs.filter(status=status)
    if region is not None:
        qs = qs.filter(region__path__startswith=region.path)
    if cluster:
        qs = qs.filter(cluster=cluster)
    if reported_from:
        qs = qs.filter(reported_at__date__gte=reported_from)
    if reported_to:
        qs = qs.filter(reported_at__date__lte=reported_to)
    if search:
        qs = qs.filter(Q(person__name__icontains=search) | Q(person__public_id=search.upper()))
    return qs.order_by("-reported_at", "-id")


def case_get(*, case_id: int, scope: Scope) -> Case:
    """One case in scope, or NotFound (out of scope looks the same as absent)."""
    case = Case.objects.select_related("person__home_region", "region").filter(pk=case_id).first()
    if case is None or not scope.covers(case.region.path):
        raise NotFound(_("No such case in your scope."), code="case_not_found")
    return case


def contact_list(*, case: Case, scope: Scope) -> tuple[list[Contact], int]:
    """The case's contacts living in the caller's scope, and how many others are out of it.

    A tracer of one county sees the contacts of that county only (PRODUCT.md 3.4); the others
    are counted so that the page says another county traces them.
    """
    qs = Contact.objects.filter(case=case).select_related("person__home_region")
    shown = list(qs.filter(scope.region_q("person__home_region")).order_by("degree", "exposed_at"))
    return shown, qs.count() - len(shown)


@dataclass
class RoundProgress:
    """Contacts found, tasked, reached and quarantined in one round (or in total)."""

    number: int
    started_at: object = None
    tasks: int = 0
    done: int = 0
    reached: int = 0
    quarantined: int = 0
    not_found: int = 0
    refused: int = 0
    overdue: int = 0


@dataclass
class CaseProgress:
    """A case's tracing progress: contacts by degree and the rounds worked."""

    contacts: dict[int, int] = field(default_factory=dict)
    rounds: list[RoundProgress] = field(default_factory=list)
    under_order: int = 0


def contacts_older_than_log(*, contacts, now) -> bool:
    """Whether a contact was exposed before the presence log's retention (PRODUCT.md 4): their
    evidence from then is shown as recorded, and discovery no longer sees that time."""
    horizon = now - tracing_policy().log_retention
    return any(contact.exposed_at < horizon for contact in contacts)


def _round_rows(tasks, now) -> dict:
    rows: dict = {}
    for number, started, status, outcome, deadline in tasks:
        row = rows.setdefault(number, RoundProgress(number=number, started_at=started))
        row.tasks += 1
        if status == TaskStatus.DONE:
            row.done += 1
            if outcome in REACHED:
                row.reached += 1
            if outcome == "quarantined":
                row.quarantined += 1
            if outcome == "not_found":
                row.not_found += 1
            if outcome == "refused":
                row.refused += 1
        elif status != TaskStatus.CANCELLED and deadline and deadline < now:
            row.overdue += 1
    return rows


def case_progress(*, case: Case, now) -> CaseProgress:
    """Per round: tasks made, done, reached, quarantined, not found, refused, overdue."""
    progress = CaseProgress()
    for degree, n in (
        Contact.objects.filter(case=case).values_list("degree").annotate(n=Count("id"))
    ):
        progress.contacts[degree] = n
    tasks = TraceTask.objects.filter(round__case=case).values_list(
        "round__number", "round__started_at", "task__status", "task__outcome", "task__deadline"
    )
    rows = _round_rows(tasks, now)
    for r in Round.objects.filter(case=case).order_by("number"):
        progress.rounds.append(
            rows.get(r.number, RoundProgress(number=r.number, started_at=r.started_at))
        )
    progress.under_order = QuarantineOrder.objects.filter(
        person_id__in=Contact.objects.filter(case=case).values("person_id"), status="active"
    ).count()
    return progress


@dataclass
class AreaProgress:
    """One area's tracing work across every case in scope, by round."""

    area: object
    rounds: dict = field(default_factory=dict)
    found: int = 0


def area_progress(*, scope: Scope, now) -> list[AreaProgress]:
    """Per residential area of the contacts: found, and per round tasks, reached, quarantined."""
    areas: dict[str, AreaProgress] = {}
    contacts = (
        Contact.objects.filter(scope.region_q("person__home_region"))
        .values_list(
            "person__home_region__code",
            "person__home_region__name",
            "person__home_region__parent__name",
        )
        .annotate(n=Count("id"))
    )
    for code, name, parent, n in contacts:
        # Area names repeat across communities ("1号小区"): the community names it fully.
        label = f"{parent} {name}" if parent else name
        areas[code] = AreaProgress(area={"code": code, "name": label}, found=n)
    tasks = TraceTask.objects.filter(scope.region_q("task__region")).values_list(
        "task__region__code", "round__number", "task__status", "task__outcome", "task__deadline"
    )
    by_area: dict[str, list] = defaultdict(list)
    for code, number, status, outcome, deadline in tasks:
        by_area[code].append((number, None, status, outcome, deadline))
    for code, rows in by_area.items():
        entry = areas.setdefault(code, AreaProgress(area={"code": code, "name": code}))
        entry.rounds = _round_rows(rows, now)
    return sorted(areas.values(), key=lambda a: a.area["code"])


def chain_graph(*, scope: Scope, cluster: str) -> dict:
    """Cases of a cluster and their contacts as a graph: nodes and edges (case -> contact).

    A contact who became a case is one node (the case). Contacts out of the caller's scope are
    left out. Nodes carry a public id and a short label, never a national ID or a phone.
    """
    cases = list(case_list(scope=scope, cluster=cluster)) if cluster else []
    nodes: dict[str, dict] = {}
    edges = []
    for case in cases:
        nodes[f"p{case.person_id}"] = {
            "id": f"p{case.person_id}",
            "label": case.person.name,
            "public_id": case.person.public_id,
            "kind": "case",
            "status": case.status,
            "case": case.pk,
        }
    contacts = list(
        Contact.objects.filter(case__in=cases)
        .filter(scope.region_q("person__home_region"))
        .select_related("person", "case")
        .order_by("degree", "id")
    )
    for contact in contacts:
        node = f"p{contact.person_id}"
        if node not in nodes:
            nodes[node] = {
                "id": node,
                "label": contact.person.name,
                "public_id": contact.person.public_id,
                "kind": f"degree{contact.degree}",
            }
    by_public_id = {n["public_id"]: k for k, n in nodes.items()}
    for contact in contacts:
        node = f"p{contact.person_id}"
        source = f"p{contact.case.person_id}"
        via = [e["via"] for e in contact.evidence if e.get("via")]
        if contact.degree == 2 and via and via[0] in by_public_id:
            source = by_public_id[via[0]]  # degree 2 hangs on the degree-1 contact it was near
        if source != node:
            edges.append(
                {
                    "id": f"e{contact.pk}",
                    "source": source,
                    "target": node,
                    "kinds": contact.kinds,
                    "degree": contact.degree,
                }
            )
    return {"nodes": list(nodes.values()), "edges": edges}


def cluster_list(*, scope: Scope) -> list[tuple[str, int]]:
    """Clusters in scope with their number of cases."""
    return list(
        Case.objects.filter(scope.region_q("region"))
        .exclude(cluster="")
        .values_list("cluster")
        .annotate(n=Count("id"))
        .order_by("cluster")
    )


def site_list(*, scope: Scope) -> QuerySet[QuarantineSite]:
    """Quarantine sites in scope with their occupancy."""
    return QuarantineSite.objects.select_related("region").filter(scope.region_q("region"))


def site_get(*, site_id: int, scope: Scope) -> QuarantineSite:
    site = site_list(scope=scope).filter(pk=site_id).first()
    if site is None:
        raise NotFound(_("No such quarantine site in your scope."), code="site_not_found")
    return site


def order_list(*, scope: Scope, status: str = "") -> QuerySet[QuarantineOrder]:
    """Quarantine orders of people in scope, newest first."""
    qs = QuarantineOrder.objects.select_related("person", "region", "site").filter(
        scope.region_q("region")
    )
    if status:
        qs = qs.filter(status=status)
    return qs


def order_get(*, order_id: int, scope: Scope) -> QuarantineOrder:
    order = order_list(scope=scope).prefetch_related("changes__actor").filter(pk=order_id).first()
    if order is None:
        raise NotFound(_("No such quarantine order in your scope."), code="order_not_found")
    return order


def field_tasks(*, scope: Scope, now, show: str = "open", offset: int = 0, limit: int = 25) -> list:
    """One page of the caller's field tasks (tracing and fever follow-ups): unfinished, overdue
    first; one task more than `limit` when there is a next page.

    show="open": not done nor cancelled; "done": finished in the last days; "all".
    """
    qs = task_selectors.task_list(scope=scope)
    if show == "done":
        qs = qs.filter(status=TaskStatus.DONE).order_by("-done_at", "-id")
    elif show != "all":
        qs = qs.exclude(status__in=[TaskStatus.DONE, TaskStatus.CANCELLED])
    return list(qs.select_related("person__home_region")[offset : offset + limit + 1])


def colors_for(*, orders) -> dict[int, str]:
    """Current health-code colors of the people under these orders, one query."""
    return codes.colors_of(person_ids=[o.person_id for o in orders])


def round_list(*, case: Case) -> QuerySet[Round]:
    return Round.objects.filter(case=case).order_by("number")


# A case counts as confirmed once confirmed, whatever followed (recovery, death): the epidemic
# curve and the stage suggestions count confirmed cases by the day they were reported.
CONFIRMED_STATUSES = (Case.Status.CONFIRMED, Case.Status.RECOVERED, Case.Status.DECEASED)


def confirmed_cases_in(*, region_path: str, start: date, end: date) -> list[tuple[date, str]]:
    """(local report day, cluster) of the confirmed cases of a region subtree reported in a period.

    Not scoped to a caller: it names no person and feeds region-wide figures (stage suggestions,
    the public curve). Index-bound on the case's region path and report time.
    """
    zone = clock.local_zone()
    rows = Case.objects.filter(
        region__path__startswith=region_path,
        status__in=CONFIRMED_STATUSES,
        reported_at__gte=datetime.combine(start, time.min, tzinfo=zone),
        reported_at__lt=datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone),
    ).values_list("reported_at", "cluster")
    return [(at.astimezone(zone).date(), cluster) for at, cluster in rows]


def confirmed_case_last_day(*, region_path: str, before: date) -> date | None:
    """The local report day of the last confirmed case of a region subtree before a day, if any."""
    zone = clock.local_zone()
    at = (
        Case.objects.filter(
            region__path__startswith=region_path,
            status__in=CONFIRMED_STATUSES,
            reported_at__lt=datetime.combine(before, time.min, tzinfo=zone),
        )
        .order_by("-reported_at")
        .values_list("reported_at", flat=True)
        .first()
    )
    return at.astimezone(zone).date() if at else None
