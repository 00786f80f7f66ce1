"""What the dashboard reads of the stages app: the current stage, its changes, Table 1's roles."""

from __future__ import annotations

from coproduce.core import clock
from coproduce.core.metrics import CboRole
from coproduce.stages import rules as stage_rules
from coproduce.stages.selectors import stage_changes, stage_current


def table_1_roles() -> dict[int, list[CboRole]]:
    """Each stage's CBO roles, in Table 1's order."""
    return {row.stage.value: list(row.roles) for row in stage_rules.TABLE_1}


def current(*, region, on=None) -> tuple[int, object]:
    """The region's stage on a day (today) and the day it began (None when never set)."""
    info = stage_current(region=region, on=on or clock.today())
    return info.stage, info.since


def changes(*, region) -> list[tuple[object, int]]:
    """The region's stage changes, (effective date, stage), oldest first."""
    return stage_changes(region=region)
