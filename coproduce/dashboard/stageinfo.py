"""What the dashboard reads of the stages app: the current stage, its changes, Table 1's roles.

The stages app (issue 16, built beside this one) exposes `stage_current(*, region, on)` ->
StageInfo(stage, since, ...), `stage_changes(*, region)` -> [(date, stage)] and Table 1 as data
(`stages.rules.TABLE_1`: per stage its CBO roles and organization categories). This module
is the one place that reads them, so the shape of TABLE_1 is interpreted here only.
"""

from __future__ import annotations

from coproduce.core import clock
from coproduce.core.metrics import CboRole
from coproduce.stages import rules as stage_rules
from coproduce.stages.selectors import stage_changes, stage_current

STAGES = (1, 2, 3)


def _row(stage: int):
    table = stage_rules.TABLE_1
    if hasattr(table, "get"):
        return table.get(stage) or table.get(str(stage))
    return next((row for row in table if _field(row, "stage") == stage), None)


def _field(row, name: str):
    return row.get(name) if hasattr(row, "get") else getattr(row, name, None)


def table_1_roles() -> dict[int, list[CboRole]]:
    """Each stage's CBO roles, in Table 1's order."""
    out = {}
    for stage in STAGES:
        row = _row(stage)
        roles = _field(row, "roles") if row is not None else None
        out[stage] = [CboRole(str(role)) for role in (roles or ())]
    return out


def current(*, region, on=None) -> tuple[int, object]:
    """The region's stage on a day (today) and the day it began (None when never set)."""
    info = stage_current(region=region, on=on or clock.today())
    return int(info.stage), info.since


def changes(*, region) -> list[tuple[object, int]]:
    """The region's stage changes, (effective date, stage), oldest first."""
    return sorted((day, int(stage)) for day, stage in stage_changes(region=region))
