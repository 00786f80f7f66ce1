"""Reads of health codes. Reads about one person take the person (already found in scope)."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, QuerySet

from coproduce.accounts.permissions import Scope
from coproduce.core import clock
from coproduce.core.errors import NotFound
from coproduce.health_codes import rules
from coproduce.health_codes.models import (
    Appeal,
    Condition,
    HealthCode,
    HealthReport,
    ProxyConsent,
)
from coproduce.health_codes.policy import code_policy
from coproduce.health_codes.services.codes import _evaluate
from coproduce.health_codes.services.keys import trust_entries
from coproduce.people.models import Person


def code_state(*, person: Person, as_of: dt.date | None = None) -> rules.CodeState:
    """The person's code on a day (today by default): color, reasons, reports remaining."""
    return _evaluate(person.pk, as_of or clock.today())


def colors_of(*, person_ids) -> dict[int, str]:
    """Current colors of many people in one query; a person without a stored code is green."""
    ids = list(person_ids)
    found = dict(HealthCode.objects.filter(person_id__in=ids).values_list("person_id", "color"))
    return {pk: found.get(pk, rules.Color.GREEN.value) for pk in ids}


def non_green_changes(*, since: dt.datetime | None = None) -> tuple[list[dict], dt.datetime]:
    """What a checkpoint device needs offline: who is not green, by opaque id.

    since=None: every non-green person. With since: every code whose color changed after it,
    green ones included, so that a device drops people who turned green. generated_at is read
    before the query, so a change racing with it is sent again next time rather than missed.
    """
    generated_at = clock.now()
    qs = HealthCode.objects.all()
    qs = qs.exclude(color=rules.Color.GREEN) if since is None else qs.filter(changed_at__gt=since)
    rows = qs.order_by("changed_at", "person_id").values_list("person__public_id", "color")
    return [{"subject": subject, "color": color} for subject, color in rows], generated_at


def trust_list_entries() -> list[dict]:
    """The trust list in the shape of API.md's GET /trust-list (the value of "keys")."""
    return trust_entries()


def report_list(*, person: Person, limit: int = 60) -> QuerySet[HealthReport]:
    """A person's latest daily reports, newest first."""
    return HealthReport.objects.filter(person=person).order_by("-on")[:limit]


def condition_list(*, person: Person) -> QuerySet[Condition]:
    """Every condition of a person with its change history (officials' code history)."""
    return (
        Condition.objects.filter(person=person)
        .prefetch_related("changes__actor")
        .select_related("created_by")
        .order_by("-starts_on", "-id")
    )


@dataclass(frozen=True)
class ConditionRow:
    """One condition on an official's page, and whether it holds the code today."""

    condition: Condition
    # Why it holds the code today (color, reports left, green on); None: it does not.
    holds: rules.Reason | None
    # Still open to change: not ended on or before today.
    open: bool


def condition_rows(*, person: Person, today: dt.date | None = None) -> list[ConditionRow]:
    """Every condition of a person with its changes, each judged alone for today.

    One query for the conditions (and their changes), one for the reports since the earliest
    start; the rules then say which conditions still hold the code and until when.
    """
    today = today or clock.today()
    conditions = list(condition_list(person=person))
    since = min((c.starts_on for c in conditions), default=today)
    reports = [
        r.as_rule()
        for r in HealthReport.objects.filter(person=person, on__gte=since, on__lte=today)
    ]
    rows = []
    for c in conditions:
        state = rules.code_evaluate(
            conditions=[c.as_rule()], reports=reports, today=today, policy=code_policy()
        )
        holds = state.reasons[0] if state.reasons else None
        rows.append(
            ConditionRow(condition=c, holds=holds, open=c.ends_on is None or c.ends_on > today)
        )
    return rows


def code_counts(*, scope: Scope) -> dict[str, int]:
    """How many people in scope hold each color (officials' overview)."""
    counts = {c.value: 0 for c in rules.Color}
    rows = (
        HealthCode.objects.filter(scope.region_q("person__home_region"))
        .values("color")
        .order_by()
        .annotate(n=Count("pk"))
        .values_list("color", "n")
    )
    for color, n in rows:
        counts[color] = n
    return counts


def non_green_list(*, scope: Scope, color: str | None = None, limit: int = 200):
    """Non-green people in scope, most recently changed first."""
    qs = HealthCode.objects.filter(scope.region_q("person__home_region")).exclude(
        color=rules.Color.GREEN
    )
    if color:
        qs = qs.filter(color=color)
    return qs.select_related("person", "person__home_region").order_by("-changed_at")[:limit]


def appeal_list(*, scope: Scope, status: str | None = None) -> QuerySet[Appeal]:
    """Appeals of people in scope, open first, newest first."""
    qs = Appeal.objects.filter(scope.region_q("person__home_region")).select_related(
        "person", "person__home_region", "decided_by"
    )
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-filed_at", "-id")


def appeals_of(*, person: Person) -> QuerySet[Appeal]:
    """A person's own appeals, newest first."""
    return Appeal.objects.filter(person=person).order_by("-filed_at", "-id")


def managed_people(*, user) -> QuerySet[Person]:
    """The people an account manages as a family proxy (live consents only)."""
    if not getattr(user, "is_authenticated", False):
        return Person.objects.none()
    return (
        Person.objects.filter(proxies__user=user, proxies__revoked_at__isnull=True)
        .exclude(status=Person.Status.MERGED)
        .select_related("home_region")
        .order_by("name")
    )


def proxy_consent_get(*, person: Person, user) -> ProxyConsent | None:
    """The live consent by which `user` manages `person`, if any."""
    return ProxyConsent.objects.filter(person=person, user=user, revoked_at__isnull=True).first()


def proxies_of(*, person: Person) -> QuerySet[ProxyConsent]:
    """The accounts that manage a person's code now (live consents), oldest first."""
    return (
        ProxyConsent.objects.filter(person=person, revoked_at__isnull=True)
        .select_related("user", "person")
        .order_by("granted_at", "pk")
    )


def proxy_consent_named(*, person: Person, username: str) -> ProxyConsent:
    """The live consent of the account `username` for `person`, or NotFound."""
    consent = proxies_of(person=person).filter(user__username=username).first()
    if consent is None:
        raise NotFound("This account does not manage this person's code.", code="proxy_not_found")
    return consent


def appeal_get(*, appeal_id: int, scope: Scope) -> Appeal:
    """One appeal of a person in scope, or NotFound."""
    appeal = appeal_list(scope=scope).filter(pk=appeal_id).first()
    if appeal is None:
        raise NotFound("No such appeal in your scope.", code="appeal_not_found")
    return appeal


def condition_get(*, condition_id: int, scope: Scope) -> Condition:
    """One condition of a person in scope, or NotFound."""
    condition = (
        Condition.objects.select_related("person", "person__home_region")
        .filter(scope.region_q("person__home_region"), pk=condition_id)
        .first()
    )
    if condition is None:
        raise NotFound("No such condition in your scope.", code="condition_not_found")
    return condition


def reported_on(*, person: Person, day: dt.date) -> bool:
    """Whether the person's report for that day is filed."""
    return HealthReport.objects.filter(person=person, on=day).exists()
