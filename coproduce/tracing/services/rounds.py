"""Investigation rounds: contacts become tasks for the teams serving each area."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from coproduce.core import clock
from coproduce.core.audit import audit_record, audit_record_many
from coproduce.core.errors import Conflict
from coproduce.fieldwork import services as fieldwork
from coproduce.fieldwork.models import Task
from coproduce.fieldwork.rules import TaskStatus
from coproduce.orgs.models import Organization
from coproduce.regions.models import Region
from coproduce.tracing import codes, rules
from coproduce.tracing.models import (
    Case,
    Contact,
    Round,
    TraceTask,
)
from coproduce.tracing.policy import tracing_policy
from coproduce.tracing.services.cases import TASK_KIND, TRACING_TEAM_CATEGORIES
from coproduce.tracing.services.contacts import contacts_refresh


def _teams_by_area(areas: set[str]) -> dict[str, list[str]]:
    """Tracing teams (by organization id) whose service regions cover each area."""
    regions = {r.code: r.path for r in Region.objects.filter(code__in=areas)}
    teams: dict[str, list[str]] = {a: [] for a in areas}
    orgs = (
        Organization.objects.filter(category__in=TRACING_TEAM_CATEGORIES)
        .exclude(verification=Organization.Verification.SUSPENDED)
        .prefetch_related("service_regions")
    )
    for org in orgs:
        paths = [r.path for r in org.service_regions.all()]
        for area, path in regions.items():
            if any(path.startswith(p) for p in paths):
                teams[area].append(str(org.pk))
    return teams


def _team_load(team_ids) -> dict[str, int]:
    from django.db.models import Count

    rows = (
        Task.objects.filter(organization_id__in=[int(t) for t in team_ids])
        .exclude(status__in=[TaskStatus.DONE, TaskStatus.CANCELLED])
        .values("organization_id")
        .annotate(n=Count("id"))
    )
    return {str(r["organization_id"]): r["n"] for r in rows}


def _task_records(case: Case, now: datetime) -> list[rules.TaskRecord]:
    records = []
    for tt in TraceTask.objects.filter(round__case=case).select_related("task", "round", "contact"):
        task = tt.task
        outcome = rules.TaskOutcome(task.outcome) if task.status == TaskStatus.DONE else None
        deadline = task.deadline or now
        if task.status == TaskStatus.CANCELLED:
            deadline = min(deadline, now)  # a cancelled task holds nobody back
        records.append(
            rules.TaskRecord(
                person=str(tt.contact.person_id),
                round_number=tt.round.number,
                deadline=deadline,
                outcome=outcome,
            )
        )
    return records


def round_start(*, case: Case, actor) -> tuple[Round, int]:
    """Start the case's next round: contacts (refreshed) to tasks by area for the serving teams.

    Round 1 takes the degree-1 contacts; round 2 the degree-2 ones and the unreached; round 3
    sweeps what remains (rules.round_select). Open tasks of earlier rounds past their deadline
    are cancelled, since the new round's task replaces them.
    """
    if not case.active and case.status != Case.Status.RECOVERED:
        raise Conflict(_("This case was ruled out or closed: no new round."), code="case_closed")
    contacts_refresh(case=case, actor=actor)
    now = clock.now()
    policy = tracing_policy()
    contacts = {
        c.person_id: c
        for c in Contact.objects.filter(case=case).select_related("person__home_region")
    }
    with transaction.atomic():
        number = (case.rounds.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        try:
            with transaction.atomic():
                round_ = Round.objects.create(
                    case=case,
                    number=number,
                    started_at=now,
                    started_by=actor if getattr(actor, "is_authenticated", False) else None,
                )
        except IntegrityError:
            raise Conflict(
                _("Another round of this case was started just now."), code="round_started"
            ) from None
        picks = rules.round_select(
            round_number=number,
            contacts=[
                rules.RoundContact(person=str(pid), degree=c.degree, area=c.person.home_region_id)
                for pid, c in contacts.items()
            ],
            tasks=_task_records(case, now),
            now=now,
        )
        areas = {p.area for p in picks if p.area}
        teams = _teams_by_area(areas)
        groups = rules.tasks_group(
            picks=picks,
            teams_by_area=teams,
            team_load=_team_load({t for ts in teams.values() for t in ts}),
            round_started_at=now,
            policy=policy,
        )
        by_person = {p.person: p for p in picks}
        stale = Task.objects.filter(
            trace_task__round__case=case,
            deadline__lt=now,
            status__in=[TaskStatus.OPEN, TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS],
        )
        stale.update(
            status=TaskStatus.CANCELLED, updated_at=now, note="Overdue: replaced by the next round."
        )
        orgs = {
            str(o.pk): o
            for o in Organization.objects.filter(pk__in=[int(g.team) for g in groups if g.team])
        }
        regions = {r.code: r for r in Region.objects.filter(code__in=areas)}
        created = 0
        for group in groups:
            for person_id in group.persons:
                pick = by_person[person_id]
                contact = contacts[int(person_id)]
                task = fieldwork.task_open(
                    kind=TASK_KIND,
                    # Privacy: the task names the contact, never the case (PRODUCT.md 3.4).
                    title=f"{contact.person.name} · round {number}",
                    region=regions.get(group.area) or contact.person.home_region,
                    person=contact.person,
                    organization=orgs.get(group.team) if group.team else None,
                    deadline=group.deadline,
                    source=f"tracing.round:{round_.pk}:person:{person_id}",
                    details={
                        "round": number,
                        "degree": pick.degree,
                        "exposure_date": contact.exposure_date.isoformat(),
                        "previous_outcome": pick.previous_outcome.value
                        if pick.previous_outcome
                        else None,
                        "attempts": pick.attempts,
                    },
                    actor=actor,
                )
                # The round is new (created above in this transaction): no link exists yet.
                TraceTask.objects.create(round=round_, contact=contact, task=task)
                created += 1
        round_.tasks_created = created
        round_.save(update_fields=["tasks_created"])
        audit_record(
            actor=actor,
            action="tracing.round_start",
            target=round_,
            details={"case": case.pk, "number": number, "tasks": created},
        )
    return round_, created


# --- quarantine ---------------------------------------------------------------------------------


def task_people_viewed(*, tasks, actor) -> None:
    """Record that a member of staff saw the people named in these tasks (audited reads)."""
    audit_record_many(
        actor=actor,
        action="tracing.contact_view",
        targets=[t.person for t in tasks if t.person_id is not None],
    )


def chain_viewed(*, graph: dict, actor, cluster: str) -> None:
    """Record that a member of staff saw a cluster's chain (its cases and contacts)."""
    audit_record(
        actor=actor,
        action="tracing.chain_view",
        object_type="tracing.cluster",
        object_id=cluster,
        details={"nodes": [n["public_id"] for n in graph["nodes"]]},
    )


def tracing_task_done(*, task: Task, actor) -> None:
    """A tracing task was finished: credit the volunteer's service, if the app is there."""
    codes.service_record_for_task(task=task, actor=actor)
