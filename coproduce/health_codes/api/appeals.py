"""Appeals over JSON: a resident disputes a color, an official corrects or refuses."""

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Schema, Status

from coproduce.accounts.permissions import authorize
from coproduce.core.api import Id, InputSchema
from coproduce.core.errors import PermissionDenied
from coproduce.health_codes import selectors, services
from coproduce.health_codes.api.base import person_for_request, router
from coproduce.health_codes.models import Appeal


class AppealIn(InputSchema):
    reason: str = Field(min_length=1, max_length=2000)


class DecisionIn(InputSchema):
    outcome: str = Field(pattern="^(corrected|refused)$")
    decision: str = Field(min_length=1, max_length=2000)
    end_conditions: list[Id] | None = Field(default=None, max_length=50)


class AppealOut(Schema):
    id: int
    person: str
    color: str
    reason: str
    status: str
    filed_at: dt.datetime
    decided_at: dt.datetime | None
    decision: str


def appeal_out(a: Appeal) -> dict:
    return {
        "id": a.pk,
        "person": a.person.public_id,
        "color": a.color,
        "reason": a.reason,
        "status": a.status,
        "filed_at": a.filed_at,
        "decided_at": a.decided_at,
        "decision": a.decision,
    }


@router.post("/residents/{public_id}/appeals", response={201: AppealOut})
def appeal_create(request: HttpRequest, public_id: str, payload: AppealIn):
    """Dispute a color (the resident or a family proxy)."""
    person, how = person_for_request(request, public_id, "health_codes.manage")
    if how == "staff":
        raise PermissionDenied("The resident or their family proxy files an appeal.")
    return Status(
        201,
        appeal_out(services.appeal_file(person=person, reason=payload.reason, actor=request.user)),
    )


@router.get("/residents/{public_id}/appeals", response=list[AppealOut])
def appeal_list_of(request: HttpRequest, public_id: str):
    """A person's appeals and their outcomes."""
    person, _ = person_for_request(request, public_id, "health_codes.manage")
    return [appeal_out(a) for a in selectors.appeals_of(person=person)]


@router.get("/appeals", response=list[AppealOut])
def appeal_list(request: HttpRequest, status: str | None = None):
    """Appeals of people in the caller's scope (health officials)."""
    scope = authorize(request.user, "health_codes.manage")
    return [appeal_out(a) for a in selectors.appeal_list(scope=scope, status=status)[:200]]


@router.post("/appeals/{appeal_id}/decision", response=AppealOut)
def appeal_decision(request: HttpRequest, appeal_id: Id, payload: DecisionIn):
    """Correct the code (ending conditions) or refuse, with a recorded reason."""
    scope = authorize(request.user, "health_codes.manage")
    appeal = selectors.appeal_get(appeal_id=appeal_id, scope=scope)
    appeal = services.appeal_decide(
        appeal=appeal,
        actor=request.user,
        outcome=payload.outcome,
        decision=payload.decision,
        end_conditions=payload.end_conditions,
    )
    return appeal_out(appeal)
