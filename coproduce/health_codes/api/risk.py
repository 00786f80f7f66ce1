"""Region risk levels over JSON: set one from a date (officials), read it (public)."""

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Schema

from coproduce.accounts.permissions import authorize
from coproduce.core import clock
from coproduce.core.api import InputSchema, SafeDate
from coproduce.health_codes import rules
from coproduce.health_codes.api.base import router
from coproduce.regions.models import RegionRiskLevel
from coproduce.regions.selectors import region_get, risk_history, risk_levels_at
from coproduce.regions.services import region_risk_set


class RiskIn(InputSchema):
    level: rules.RiskLevel
    effective_from: SafeDate
    note: str = Field(default="", max_length=300)


class RiskOut(Schema):
    region: str
    level: str
    effective_from: dt.date
    note: str
    set_at: dt.datetime


class RiskStateOut(Schema):
    region: str
    current: str
    history: list[RiskOut]


def _risk_out(r: RegionRiskLevel) -> dict:
    return {
        "region": r.region_id,
        "level": r.level,
        "effective_from": r.effective_from,
        "note": r.note,
        "set_at": r.set_at,
    }


# The endpoint lives here rather than in regions/api.py: regions sits below accounts, whose
# permission helper it needs (docs/health_codes.md). The model and service are in regions.
@router.put("/regions/{code}/risk", response=RiskOut)
def region_risk_put(request: HttpRequest, code: str, payload: RiskIn):
    """Set a region's risk level from a date (health officials of the region's scope)."""
    region = region_get(code=code)
    authorize(request.user, "regions.set_risk", region=region)
    record = region_risk_set(
        region=region,
        level=payload.level.value,
        effective_from=payload.effective_from,
        note=payload.note,
        actor=request.user,
    )
    return _risk_out(record)


@router.get("/regions/{code}/risk", response=RiskStateOut, auth=None)
def region_risk_get(request: HttpRequest, code: str, on: SafeDate | None = None):
    """A region's risk level in force (today or `on`) and its history (public, like a map)."""
    region = region_get(code=code)
    day = on or clock.today()
    return {
        "region": region.code,
        "current": risk_levels_at(paths={region.code: region.path}, on=day)[region.code],
        "history": [_risk_out(r) for r in risk_history(region=region)[:100]],
    }
