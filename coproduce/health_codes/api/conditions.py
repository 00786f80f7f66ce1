"""Officials' conditions over JSON: impose, shorten or lengthen, and a person's code history."""

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Schema, Status

from coproduce.accounts.permissions import authorize
from coproduce.core.api import Id, InputSchema, SafeDate
from coproduce.health_codes import rules, selectors, services
from coproduce.health_codes.api.base import router
from coproduce.health_codes.api.reports import HealthReportOut, report_out
from coproduce.health_codes.models import Condition
from coproduce.people import selectors as people_selectors
from coproduce.people.services import person_open


class ConditionIn(InputSchema):
    kind: rules.ConditionKind
    reason: rules.ReasonCode
    starts_on: SafeDate
    not_before: SafeDate | None = None
    why: str = Field(min_length=1, max_length=500)
    source: str = Field(default="", max_length=60)


class ConditionPatch(InputSchema):
    why: str = Field(min_length=1, max_length=500)
    ends_on: SafeDate | None = None
    not_before: SafeDate | None = None


class ChangeOut(Schema):
    action: str
    at: dt.datetime
    actor: str
    why: str
    before: dict
    after: dict


class ConditionOut(Schema):
    id: int
    person: str
    kind: str
    reason: str
    starts_on: dt.date
    ends_on: dt.date | None
    not_before: dt.date | None
    source: str
    changes: list[ChangeOut]


def condition_out(c: Condition) -> dict:
    return {
        "id": c.pk,
        "person": c.person.public_id,
        "kind": c.kind,
        "reason": c.reason,
        "starts_on": c.starts_on,
        "ends_on": c.ends_on,
        "not_before": c.not_before,
        "source": c.source,
        "changes": [
            {
                "action": ch.action,
                "at": ch.at,
                "actor": ch.actor.get_username() if ch.actor else "system",
                "why": ch.why,
                "before": ch.before,
                "after": ch.after,
            }
            for ch in c.changes.all()
        ],
    }


@router.post("/residents/{public_id}/conditions", response={201: ConditionOut})
def condition_create(request: HttpRequest, public_id: str, payload: ConditionIn):
    """Impose an order or record a case by hand (health officials of the scope)."""
    scope = authorize(request.user, "health_codes.manage")
    person = people_selectors.person_get(public_id=public_id, scope=scope)
    key = (
        payload.source or f"{request.user.pk}:{person.public_id}:{payload.kind}:{payload.starts_on}"
    )
    condition = services.condition_impose(
        person=person,
        kind=payload.kind.value,
        reason=payload.reason.value,
        starts_on=payload.starts_on,
        not_before=payload.not_before,
        actor=request.user,
        source=f"health_codes.official:{key}",
        why=payload.why,
    )
    return Status(201, condition_out(condition))


@router.patch("/conditions/{condition_id}", response=ConditionOut)
def condition_update(request: HttpRequest, condition_id: Id, payload: ConditionPatch):
    """Shorten (ends_on) or lengthen (not_before) an order, or close a case, with a reason."""
    scope = authorize(request.user, "health_codes.manage")
    condition = selectors.condition_get(condition_id=condition_id, scope=scope)
    changes = payload.model_dump(exclude_unset=True)
    why = changes.pop("why")
    condition = services.condition_adjust(
        condition=condition, actor=request.user, why=why, **changes
    )
    return condition_out(condition)


class HistoryOut(Schema):
    person: str
    color: str
    conditions: list[ConditionOut]
    reports: list[HealthReportOut]


@router.get("/residents/{public_id}/code-history", response=HistoryOut)
def code_history(request: HttpRequest, public_id: str):
    """A person's conditions with every change, and reports (officials; the view is audited)."""
    scope = authorize(request.user, "health_codes.history")
    person = person_open(
        person=people_selectors.person_get(public_id=public_id, scope=scope), actor=request.user
    )
    return {
        "person": person.public_id,
        "color": selectors.colors_of(person_ids=[person.pk])[person.pk],
        "conditions": [condition_out(c) for c in selectors.condition_list(person=person)],
        "reports": [report_out(r) for r in selectors.report_list(person=person)],
    }
