"""Response stages over JSON: a region's stage with Table 1's roles and the suggestion (public,
the suggestion for its officials only), set by health officials, suggestions answered."""

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema

from coproduce.accounts.api_auth import PUBLIC_OR_SIGNED_IN
from coproduce.accounts.permissions import authorize, scope_for
from coproduce.core import clock
from coproduce.core.api import InputSchema
from coproduce.regions.selectors import region_get
from coproduce.stages import rules, selectors, services

router = Router(tags=["stages"])


class StageIn(InputSchema):
    stage: Literal[1, 2, 3]
    effective_from: dt.date
    note: str = Field(default="", max_length=300)


class SuggestionIn(InputSchema):
    stage: Literal[1, 2, 3]
    decision: Literal["accepted", "dismissed"]


class SuggestionOut(Schema):
    stage: int
    reason: str
    text: str


class StageSetOut(Schema):
    stage: int
    effective_from: dt.date
    note: str
    set_at: dt.datetime


class StageOut(Schema):
    region: str
    stage: int
    since: dt.date | None
    set_in: str | None
    roles: list[str]
    categories: list[str]
    suggestion: SuggestionOut | None
    history: list[StageSetOut]


def _state(request: HttpRequest, region, on: dt.date) -> dict:
    info = selectors.stage_current(region=region, on=on)
    row = rules.table_row(info.stage)
    suggestion = None
    user = request.user
    # The suggestion is a working note for the region's officials, not public information.
    if getattr(user, "is_authenticated", False) and scope_for(user, "stages.set").covers(
        region.path
    ):
        found = selectors.suggestion_get(region=region, on=on)
        if found is not None:
            suggestion = {"stage": found.stage, "reason": found.reason.value, "text": found.text}
    return {
        "region": region.code,
        "stage": info.stage,
        "since": info.since,
        "set_in": info.set_in,
        "roles": [r.value for r in row.roles],
        "categories": list(row.categories),
        "suggestion": suggestion,
        "history": list(selectors.stage_history(region=region)[:100]),
    }


@router.get("/regions/{code}/stage", response=StageOut, auth=PUBLIC_OR_SIGNED_IN)
def region_stage_get(request: HttpRequest, code: str, on: dt.date | None = None):
    """A region's stage in force (today or `on`), the roles Table 1 gives it, and for its health
    officials the change the records suggest."""
    return _state(request, region_get(code=code), on or clock.today())


@router.put("/regions/{code}/stage", response=StageOut)
def region_stage_put(request: HttpRequest, code: str, payload: StageIn):
    """Set a region's stage from a date (health officials of the region's scope)."""
    region = region_get(code=code)
    authorize(request.user, "stages.set", region=region)
    services.stage_set(
        region=region,
        stage=payload.stage,
        effective_from=payload.effective_from,
        note=payload.note,
        actor=request.user,
    )
    return _state(request, region, clock.today())


@router.post("/regions/{code}/stage/suggestion", response=StageOut)
def region_stage_suggestion_answer(request: HttpRequest, code: str, payload: SuggestionIn):
    """Accept (the stage is set from today) or dismiss the suggested stage; 409 when there is no
    such suggestion today."""
    region = region_get(code=code)
    authorize(request.user, "stages.set", region=region)
    if payload.decision == "accepted":
        services.suggestion_accept(region=region, stage=payload.stage, actor=request.user)
    else:
        services.suggestion_dismiss(region=region, stage=payload.stage, actor=request.user)
    return _state(request, region, clock.today())
