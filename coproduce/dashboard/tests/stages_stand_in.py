"""A stand-in for the stages app's selectors and Table 1 while that app is built beside the
dashboard (issue 16): installed by the root conftest only when `coproduce.stages.selectors` does
not exist, so that it disappears by itself once the real one is merged.

Tests set a region's stage changes in `CHANGES` (region code -> [(date, stage)]); a region
without its own changes follows the nearest region above it that has some.
"""

import sys
import types
from collections import namedtuple
from importlib.util import find_spec

from coproduce.core.metrics import CboRole

CHANGES: dict[str, list] = {}
StageInfo = namedtuple("StageInfo", "stage since")
Row = namedtuple("Row", "stage roles categories")
# The shape of stages.rules.TABLE_1: a row per stage with its roles and categories.
TABLE_1 = (
    Row(
        1,
        (CboRole.TRACING, CboRole.DONATIONS_SUPPLIES, CboRole.COMMUNITY_SERVICES),
        ("emergency_response", "charity", "community_service"),
    ),
    Row(
        2,
        (CboRole.TRACING, CboRole.WELFARE_SERVICES, CboRole.PRODUCTION_RESUMPTION),
        ("community_service", "industrial_association", "business_association"),
    ),
    Row(
        3,
        (CboRole.TRACING, CboRole.COUNSELING_SOCIAL_WORK, CboRole.ECONOMIC_COLLABORATION),
        ("mental_health", "medical", "industrial_association", "business_association"),
    ),
)


def stage_changes(*, region):
    for code in reversed([c for c in region.path.split("/") if c]):
        if code in CHANGES:
            return sorted(CHANGES[code])
    return []


def stage_current(*, region, on):
    past = [(day, stage) for day, stage in stage_changes(region=region) if day <= on]
    return StageInfo(*reversed(past[-1])) if past else StageInfo(1, None)


def install_if_missing() -> None:
    """Put this module in place of stages' selectors and rules when they do not exist yet."""
    if find_spec("coproduce.stages.selectors") is None:
        selectors = types.ModuleType("coproduce.stages.selectors")
        selectors.stage_changes = stage_changes
        selectors.stage_current = stage_current
        sys.modules["coproduce.stages.selectors"] = selectors
    if find_spec("coproduce.stages.rules") is None:
        rules = types.ModuleType("coproduce.stages.rules")
        rules.TABLE_1 = TABLE_1
        sys.modules["coproduce.stages.rules"] = rules
