"""Writes that change a person's code: conditions, daily reports, declarations, recomputes.

Every service locks the person's HealthCode row first (PostgreSQL; SQLite serializes writers), so
that two writes about one person recompute the code one after the other and never lose a change.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coproduce.core import clock
from coproduce.core.audit import audit_record
from coproduce.core.errors import Conflict, ValidationFailed
from coproduce.fieldwork.services import task_open
from coproduce.health_codes import rules
from coproduce.health_codes.models import Condition, ConditionChange, HealthCode, HealthReport
from coproduce.health_codes.policy import code_policy
from coproduce.people.models import Declaration, Person
from coproduce.regions.models import Region
from coproduce.regions.selectors import risk_levels_at

TEMPERATURE_MIN, TEMPERATURE_MAX = Decimal("34"), Decimal("43")
_UNSET = object()


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _lock_code(person: Person) -> HealthCode:
    """The person's code row, created green if missing, locked for this transaction."""
    now = clock.now()
    HealthCode.objects.get_or_create(
        person=person,
        defaults={"color": rules.Color.GREEN, "changed_at": now, "computed_on": clock.today()},
    )
    return HealthCode.objects.select_for_update().get(pk=person.pk)


def _evaluate(person_id: int, today: dt.date) -> rules.CodeState:
    conditions = [c.as_rule() for c in Condition.objects.filter(person_id=person_id)]
    if not conditions:
        return rules.CodeState(color=rules.Color.GREEN, reasons=(), as_of=today)
    since = min(c.starts_on for c in conditions)
    reports = [
        r.as_rule()
        for r in HealthReport.objects.filter(person_id=person_id, on__gte=since, on__lte=today)
    ]
    return rules.code_evaluate(
        conditions=conditions, reports=reports, today=today, policy=code_policy()
    )


def _store(code: HealthCode, state: rules.CodeState) -> HealthCode:
    """Write the evaluated state to the locked row; changed_at moves only when the color does."""
    fields = ["computed_on", "green_on"]
    if code.color != state.color:
        code.color, code.changed_at = state.color.value, clock.now()
        fields += ["color", "changed_at"]
    code.computed_on, code.green_on = state.as_of, state.green_on
    code.save(update_fields=fields)
    return code


def health_code_recompute(*, person: Person, actor=None) -> HealthCode:
    """Recompute one person's current code from their conditions, reports and the clock."""
    with transaction.atomic():
        code = _lock_code(person)
        before = code.color
        code = _store(code, _evaluate(person.pk, clock.today()))
        if code.color != before:
            audit_record(
                actor=actor,
                action="health_codes.color_changed",
                target=person,
                details={"from": before, "to": code.color},
            )
    return code


def _snapshot(condition: Condition) -> dict:
    return {
        "kind": condition.kind,
        "reason": condition.reason,
        "starts_on": condition.starts_on.isoformat(),
        "ends_on": condition.ends_on.isoformat() if condition.ends_on else None,
        "not_before": condition.not_before.isoformat() if condition.not_before else None,
    }


def _check_condition(kind, reason, starts_on, not_before) -> tuple[str, str]:
    fields: dict[str, list[str]] = {}
    try:
        kind = rules.ConditionKind(kind)
    except ValueError:
        fields["kind"] = [f"{kind!r} is not one of {', '.join(rules.ConditionKind)}."]
    try:
        reason = rules.ReasonCode(reason)
    except ValueError:
        fields["reason"] = [f"{reason!r} is not one of {', '.join(rules.ReasonCode)}."]
    if not fields:
        try:
            rules.Condition(kind=kind, reason=reason, starts_on=starts_on, not_before=not_before)
        except ValueError as exc:
            fields["reason"] = [str(exc)]
    if not_before is not None and not_before < starts_on:
        fields["not_before"] = [_("The earliest end cannot come before the start.")]
    if fields:
        name, messages = next(iter(fields.items()))
        raise ValidationFailed(f"{name}: {messages[0]}", fields=fields)
    return kind.value, reason.value


def condition_impose(
    *,
    person: Person,
    kind: str,
    reason: str,
    starts_on: dt.date,
    actor,
    source: str,
    not_before: dt.date | None = None,
    why: str = "",
) -> Condition:
    """Impose a case or an order on a person; the same source again returns the first one."""
    kind, reason = _check_condition(kind, reason, starts_on, not_before)
    if not source or len(source) > 100:
        raise ValidationFailed.field(
            "source", _("A source of 1 to 100 characters names the cause.")
        )
    if existing := Condition.objects.filter(source=source).first():
        return existing
    try:
        with transaction.atomic():
            code = _lock_code(person)
            condition = Condition.objects.create(
                person=person,
                kind=kind,
                reason=reason,
                starts_on=starts_on,
                not_before=not_before,
                source=source,
                created_by=_user(actor),
                created_at=clock.now(),
            )
            ConditionChange.objects.create(
                condition=condition,
                action=ConditionChange.Actions.IMPOSED,
                at=clock.now(),
                actor=_user(actor),
                why=why[:500],
                after=_snapshot(condition),
            )
            audit_record(
                actor=actor,
                action="health_codes.condition_impose",
                target=condition,
                details={"person": person.public_id, "kind": kind, "reason": reason},
            )
            _store(code, _evaluate(person.pk, clock.today()))
    except IntegrityError:
        # The same cause imposed twice at once: the unique source kept one; answer with it.
        return Condition.objects.get(source=source)
    return condition


def _change(condition: Condition, *, actor, why: str, action: str, **values) -> Condition:
    why = (why or "").strip()
    if not why:
        raise ValidationFailed.field("why", _("Say why the condition changes."))
    if len(why) > 500:
        raise ValidationFailed.field("why", _("At most 500 characters."))
    with transaction.atomic():
        code = _lock_code(condition.person)
        current = Condition.objects.get(pk=condition.pk)
        before = _snapshot(current)
        for key, value in values.items():
            setattr(current, key, value)
        ends_on = current.ends_on
        if ends_on is not None and ends_on < current.starts_on:
            raise ValidationFailed.field("ends_on", _("A condition cannot end before it starts."))
        if current.not_before is not None and current.not_before < current.starts_on:
            raise ValidationFailed.field("not_before", _("The earliest end precedes the start."))
        if current.kind == rules.ConditionKind.ACTIVE_CASE and current.not_before is not None:
            raise ValidationFailed.field("not_before", _("A case ends when it is closed."))
        current.save(update_fields=list(values))
        ConditionChange.objects.create(
            condition=current,
            action=action,
            at=clock.now(),
            actor=_user(actor),
            why=why,
            before=before,
            after=_snapshot(current),
        )
        audit_record(
            actor=actor,
            action=f"health_codes.condition_{'end' if action == 'ended' else 'adjust'}",
            target=current,
            details={"before": before, "after": _snapshot(current)},
        )
        _store(code, _evaluate(current.person_id, clock.today()))
    return current


def condition_end(*, condition: Condition, ends_on: dt.date, actor, why: str) -> Condition:
    """End a condition: it no longer applies from `ends_on` (lifted, case closed, shortened)."""
    return _change(
        condition, actor=actor, why=why, action=ConditionChange.Actions.ENDED, ends_on=ends_on
    )


def condition_adjust(
    *, condition: Condition, actor, why: str, not_before=_UNSET, ends_on=_UNSET
) -> Condition:
    """Lengthen (not_before) or shorten (ends_on) an order; None clears either."""
    values = {}
    if not_before is not _UNSET:
        values["not_before"] = not_before
    if ends_on is not _UNSET:
        values["ends_on"] = ends_on
    if not values:
        raise ValidationFailed.field("not_before", _("Give not_before or ends_on to change."))
    return _change(
        condition, actor=actor, why=why, action=ConditionChange.Actions.ADJUSTED, **values
    )


@dataclass(frozen=True)
class ReportInput:
    """A daily report as filed."""

    on: dt.date
    temperature_c: object
    symptoms: list[str]


def _check_report(report: ReportInput, today: dt.date, backfill: int) -> Decimal:
    fields: dict[str, list[str]] = {}
    temperature = None
    try:
        temperature = Decimal(str(report.temperature_c)).quantize(Decimal("0.1"))
        if not TEMPERATURE_MIN <= temperature <= TEMPERATURE_MAX:
            fields["temperature_c"] = [_("A body temperature lies between 34 and 43 °C.")]
    except (InvalidOperation, ValueError):
        fields["temperature_c"] = [_("Give the temperature in °C, such as 36.6.")]
    if report.on > today:
        fields["date"] = [_("A report cannot be filed for a day to come.")]
    elif (today - report.on).days > backfill:
        fields["date"] = [
            _("Reports are filed on the day.")
            if backfill == 0
            else ngettext(
                "Reports may be filed at most %(n)s day late.",
                "Reports may be filed at most %(n)s days late.",
                backfill,
            )
            % {"n": backfill}
        ]
    if len(report.symptoms) > len(rules.LISTED_SYMPTOMS):
        fields["symptoms"] = [_("Too many symptoms.")]
    for i, symptom in enumerate(report.symptoms):
        if symptom not in code_policy().symptoms:
            fields[f"symptoms.{i}"] = [
                f"{str(symptom)[:40]!r} is not a listed symptom ({', '.join(sorted(code_policy().symptoms))})."
            ]
    if fields:
        name, messages = next(iter(fields.items()))
        raise ValidationFailed(f"{name}: {messages[0]}", fields=fields)
    return temperature


def report_file(*, person: Person, report: ReportInput, actor, by_proxy: bool) -> HealthReport:
    """File a person's daily report; a second for the same day is a 409.

    A fever or a listed symptom restarts the streak (rules) and opens a follow-up task for the
    resident's community, in the same transaction so that no abnormal report lacks its task.
    """
    temperature = _check_report(report, clock.today(), settings.HEALTH_CODE_REPORT_BACKFILL_DAYS)
    symptoms = sorted(set(report.symptoms))
    rule_report = rules.DailyReport(
        on=report.on, temperature_c=temperature, symptoms=frozenset(symptoms)
    )
    findings = rules.report_findings(rule_report, policy=code_policy())
    try:
        with transaction.atomic():
            code = _lock_code(person)
            record = HealthReport.objects.create(
                person=person,
                on=report.on,
                temperature_c=temperature,
                symptoms=symptoms,
                abnormal=bool(findings),
                filed_by=_user(actor),
                by_proxy=by_proxy,
                filed_at=clock.now(),
            )
            audit_record(
                actor=actor,
                action="health_codes.report_file",
                target=record,
                details={"person": person.public_id, "abnormal": bool(findings)},
            )
            if findings:
                _follow_up_open(person, record, findings, actor)
            _store(code, _evaluate(person.pk, clock.today()))
    except IntegrityError:
        raise Conflict(
            _("A report for this day was filed already."),
            code="report_exists",
            fields={"date": [_("A report for this day was filed already.")]},
        ) from None
    return record


def _follow_up_open(person: Person, record: HealthReport, findings, actor) -> None:
    # The resident's community follows up: the task sits in the community (or the area itself
    # where it is a community), so that the community's workers and volunteers see it.
    area = person.home_region
    region = area.parent if area.level == Region.Levels.RESIDENTIAL_AREA and area.parent else area
    task_open(
        kind="fever_follow_up",
        title=f"Follow up a {'fever' if 'fever' in findings else 'symptom'} report "
        f"({person.public_id})",
        region=region,
        person=person,
        actor=actor,
        deadline=clock.now() + dt.timedelta(hours=24),
        source=f"health_codes.report:{record.pk}",
        details={"findings": list(findings), "date": record.on.isoformat()},
    )


def declaration_judge(*, person: Person, declaration: Declaration | None, actor) -> list[Condition]:
    """Judge a registration's declaration: give the person a code and impose its orders.

    Travel is judged against the risk levels in force on the travel dates. An unknown symptom
    refuses the registration (ValidationFailed on declaration.symptoms.N: nothing is written).
    """
    with transaction.atomic():
        _lock_code(person)
        if declaration is None:
            return []
        policy = code_policy()
        fields = {
            f"declaration.symptoms.{i}": [f"{s!r} is not a listed symptom."]
            for i, s in enumerate(declaration.symptoms)
            if s not in policy.symptoms
        }
        if fields:
            name, messages = next(iter(fields.items()))
            raise ValidationFailed(f"{name}: {messages[0]}", fields=fields)
        travel = [(t["region"], dt.date.fromisoformat(t["date"])) for t in declaration.travel]
        paths = dict(
            Region.objects.filter(code__in={c for c, _ in travel}).values_list("code", "path")
        )
        levels = {
            (code, day): risk_levels_at(paths={code: paths[code]}, on=day)[code]
            for code, day in travel
            if code in paths
        }
        today = clock.local_date(declaration.declared_at)
        conditions = rules.declaration_conditions(
            travel=[t for t in travel if t[0] in paths],
            risk_at=lambda code, day: levels[(code, day)],
            case_contact=declaration.case_contact,
            symptoms=declaration.symptoms,
            today=today,
            policy=policy,
        )
        return [
            condition_impose(
                person=person,
                kind=c.kind,
                reason=c.reason,
                starts_on=c.starts_on,
                actor=actor,
                source=f"people.declaration:{declaration.pk}:{c.reason.value}",
                why="declared at registration",
            )
            for c in conditions
        ]


@dataclass(frozen=True)
class RecomputeResult:
    """What a recompute of every code did."""

    people: int
    changed: int
    created: int


def health_codes_recompute_all(*, batch: int = 5000, actor=None) -> RecomputeResult:
    """Recompute every person's code for today (the daily task: date-driven changes).

    Works through people in primary-key ranges: per batch one query for conditions, one for
    the reports those need, one for the stored codes, then bulk writes of what changed.
    """
    today, now, policy = clock.today(), clock.now(), code_policy()
    people = changed = created = 0
    last = 0
    while True:
        ids = list(
            Person.objects.filter(pk__gt=last)
            .exclude(status=Person.Status.MERGED)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch]
        )
        if not ids:
            break
        low, high = ids[0], ids[-1]
        last = high
        # values_list, not model instances: building 10^5 instances was most of the cost.
        conditions: dict[int, list[rules.Condition]] = defaultdict(list)
        for pk, kind, reason, starts_on, ends_on, not_before in Condition.objects.filter(
            person_id__gte=low, person_id__lte=high
        ).values_list("person_id", "kind", "reason", "starts_on", "ends_on", "not_before"):
            conditions[pk].append(
                rules.Condition(
                    kind=kind,
                    reason=reason,
                    starts_on=starts_on,
                    ends_on=ends_on,
                    not_before=not_before,
                )
            )
        since = min((c.starts_on for cs in conditions.values() for c in cs), default=today)
        reports: dict[int, list[rules.DailyReport]] = defaultdict(list)
        if conditions:
            for pk, on, temperature, symptoms in HealthReport.objects.filter(
                person_id__gte=low, person_id__lte=high, on__gte=since, on__lte=today
            ).values_list("person_id", "on", "temperature_c", "symptoms"):
                if pk in conditions:
                    reports[pk].append(
                        rules.DailyReport(
                            on=on, temperature_c=temperature, symptoms=frozenset(symptoms)
                        )
                    )
        stored = {
            pk: (color, green_on)
            for pk, color, green_on in HealthCode.objects.filter(
                person_id__gte=low, person_id__lte=high
            ).values_list("person_id", "color", "green_on")
        }
        to_create, to_update = [], []
        for pk in ids:
            if pk in conditions:
                state = rules.code_evaluate(
                    conditions=conditions[pk], reports=reports[pk], today=today, policy=policy
                )
                color, green_on = state.color.value, state.green_on
            else:
                color, green_on = rules.Color.GREEN.value, None
            if pk not in stored:
                to_create.append(
                    HealthCode(
                        person_id=pk,
                        color=color,
                        changed_at=now,
                        computed_on=today,
                        green_on=green_on,
                    )
                )
            elif stored[pk] != (color, green_on):
                to_update.append((pk, color, green_on, stored[pk]))
        with transaction.atomic():
            HealthCode.objects.bulk_create(to_create, ignore_conflicts=True)
            for pk, color, green_on, (old_color, old_green_on) in to_update:
                values = {"color": color, "green_on": green_on, "computed_on": today}
                if old_color != color:
                    values["changed_at"] = now
                # Conditional: a report filed meanwhile already stored a fresher code; keep it.
                HealthCode.objects.filter(pk=pk, color=old_color, green_on=old_green_on).update(
                    **values
                )
        people += len(ids)
        created += len(to_create)
        changed += sum(1 for u in to_update if u[3][0] != u[1])
    audit_record(
        actor=actor,
        action="health_codes.recompute_all",
        object_type="health_codes.healthcode",
        object_id="*",
        details={"people": people, "changed": changed, "created": created},
    )
    return RecomputeResult(people=people, changed=changed, created=created)
