"""How cases and orders drive the health code: conditions imposed, ended and adjusted.

Each case and order names its condition by a source ("tracing.case:12", "tracing.order:7"), so
that imposing twice imposes once. The calls are health_codes' services (PRODUCT.md 3.2): an
active case is red until it is closed; closing it as recovered starts the 14-day centralized
observation; an order is red (centralized) or yellow (home) until its report streak.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

from django.db.models import Q

from coproduce.core import clock
from coproduce.core.errors import DomainError
from coproduce.health_codes import selectors as code_selectors
from coproduce.health_codes import services as code_services
from coproduce.health_codes.models import Condition
from coproduce.health_codes.rules import ConditionKind, ReasonCode
from coproduce.volunteers.models import VolunteerProfile
from coproduce.volunteers.services import service_record_create

log = logging.getLogger(__name__)
# A finished tracing task (a call or a visit) counts as this much service: we do not time it.
TASK_SERVICE_MINUTES = 30

CASE_REASONS = {
    "suspected": ReasonCode.SUSPECTED_CASE,
    "confirmed": ReasonCode.CONFIRMED_CASE,
    "asymptomatic": ReasonCode.ASYMPTOMATIC_CASE,
}
ORDER_KINDS = {
    "centralized": ConditionKind.CENTRALIZED_QUARANTINE,
    "home": ConditionKind.HOME_QUARANTINE,
}


def _case_conditions(case):
    """The case's own conditions: "tracing.case:12" and "tracing.case:12:<status>"."""
    base = f"tracing.case:{case.pk}"
    return Condition.objects.filter(Q(source=base) | Q(source__startswith=f"{base}:"))


def case_condition_set(*, case, actor, previous: str | None = None) -> None:
    """Make the person's conditions follow the case's status (called in the case's transaction)."""
    today = clock.today()
    if previous is not None:
        for condition in _case_conditions(case).filter(
            kind=ConditionKind.ACTIVE_CASE, ends_on__isnull=True
        ):
            code_services.condition_end(
                condition=condition, ends_on=today, actor=actor, why=f"case became {case.status}"
            )
    source = f"tracing.case:{case.pk}"
    if _case_conditions(case).filter(source=source).exists():
        source = f"{source}:{case.status}"
    if case.status in CASE_REASONS:
        code_services.condition_impose(
            person=case.person,
            kind=ConditionKind.ACTIVE_CASE,
            reason=CASE_REASONS[case.status],
            starts_on=min(d for d in (case.onset_date, case.test_date, today) if d),
            actor=actor,
            source=source,
        )
    elif case.status == "recovered":
        # Closing a case (recovered, discharged) starts 14 days of centralized observation.
        code_services.condition_impose(
            person=case.person,
            kind=ConditionKind.CENTRALIZED_QUARANTINE,
            reason=ReasonCode.POST_DISCHARGE,
            starts_on=case.closed_on or today,
            actor=actor,
            source=f"tracing.case:{case.pk}:discharge",
        )


def order_condition_impose(*, order, actor) -> None:
    """An order makes the code red (centralized) or yellow (home) from its start date."""
    code_services.condition_impose(
        person=order.person,
        kind=ORDER_KINDS[order.kind],
        reason=ReasonCode(order.reason),
        starts_on=order.start_date,
        actor=actor,
        source=order.source,
    )


def _condition(order):
    return Condition.objects.filter(source=order.source).first()


def order_condition_end(*, order, ends_on: date, actor, why: str) -> None:
    if condition := _condition(order):
        code_services.condition_end(condition=condition, ends_on=ends_on, actor=actor, why=why)


def order_condition_adjust(*, order, actor, why: str, **dates) -> None:
    if condition := _condition(order):
        code_services.condition_adjust(condition=condition, actor=actor, why=why, **dates)


def order_completed(*, order) -> bool:
    """Whether the order's condition no longer holds the person's code (streak done or ended)."""
    state = code_selectors.code_state(person=order.person)
    kind = ORDER_KINDS[order.kind]
    return not any(r.kind == kind and r.code == ReasonCode(order.reason) for r in state.reasons)


def colors_of(*, person_ids) -> dict[int, str]:
    """Current code colors of these people (health_codes' materialized codes, one query)."""
    return code_selectors.colors_of(person_ids=list(person_ids))


def service_record_for_task(*, task, actor) -> None:
    """Credit a finished tracing task as the volunteer's service (issue 6's service records).

    The volunteer is whoever finished the task, if they have a volunteer profile; the record
    ends when the task was finished and lasts TASK_SERVICE_MINUTES; its source is the task, so
    that the same task is never credited twice. A refusal (an overlapping record) is logged:
    the task is finished either way.
    """
    if task.done_by_id is None or task.done_at is None:
        return
    profile = VolunteerProfile.objects.filter(user_id=task.done_by_id, active=True).first()
    if profile is None:
        return
    end = task.done_at
    start = max(task.created_at, end - timedelta(minutes=TASK_SERVICE_MINUTES))
    try:
        service_record_create(
            volunteer=profile,
            start=start,
            end=end,
            activity="tracing",
            source=f"tracing.task:{task.pk}",
            actor=actor,
            organization=task.organization,
            region=task.region,
        )
    except DomainError as exc:
        log.warning("tracing task %s not credited as service: %s", task.pk, exc.message)
