"""The response stages of the demo (PRODUCT.md 5): the province in stage 1 from 2020-01-23 (the
first-level public health emergency response), stage 2 from 2020-02-10 (enterprises resume work)
and stage 3 from 2020-03-01, accepted from the platform's own suggestion on that day: the
province's last confirmed case of the demo's curve was reported on 2020-02-16, 14 days before.

Fuyang inherits the province's stages; its own cluster of 7-10 February (tracing step) makes the
platform suggest to Fuyang's official, on the demo's day, that Fuyang go back to stage 1.
"""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from coproduce.core.clock import exercise_clock_set
from coproduce.regions.selectors import region_get
from coproduce.stages import selectors, services

TZ = ZoneInfo("Asia/Shanghai")
# The demo's clock (seed.DEMO_NOW), where the step leaves it.
DEMO_CLOCK = datetime(2020, 2, 12, 10, 0, tzinfo=TZ)
STAGE_1, STAGE_2, STAGE_3 = date(2020, 1, 23), date(2020, 2, 10), date(2020, 3, 1)


def _at(day: date, actor) -> None:
    exercise_clock_set(moment=datetime.combine(day, time(9), tzinfo=TZ), actor=actor)


def run(ctx) -> None:
    official, admin = ctx.users["province"], ctx.users["admin"]
    province = region_get(code="330000")
    _at(STAGE_1, admin)
    services.stage_set(
        region=province,
        stage=1,
        effective_from=STAGE_1,
        actor=official,
        note="First-level public health emergency response",
    )
    _at(STAGE_2, admin)
    services.stage_set(
        region=province,
        stage=2,
        effective_from=STAGE_2,
        actor=official,
        note="Enterprises resume work from 10 February",
    )
    _at(STAGE_3, admin)
    suggestion = selectors.suggestion_get(region=province, on=STAGE_3)
    if suggestion is not None and suggestion.stage == 3:
        services.suggestion_accept(region=province, stage=3, actor=official)
        how = "accepted from the suggestion of that day"
    else:  # a scaled-down demo may lack the curve's cases: set it by hand
        services.stage_set(region=province, stage=3, effective_from=STAGE_3, actor=official)
        how = "set by hand"
    exercise_clock_set(moment=DEMO_CLOCK, actor=admin)
    ctx.log.append(f"stages: province 1 from {STAGE_1}, 2 from {STAGE_2}, 3 from {STAGE_3} ({how})")
