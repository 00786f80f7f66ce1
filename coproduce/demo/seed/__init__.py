"""The demo scenario of PRODUCT.md section 5, seeded step by step through the apps' services.

Each step is a module with `run(ctx)`; they run in this order, so that a later module can build
on what the earlier ones made (ctx carries it along). Seeding is all or nothing: the steps run in
one transaction, so a step that fails leaves the database as it was (empty), never half-seeded.
"""

import random
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import transaction

from coproduce.demo.seed import base
from coproduce.demo.seed import care as care_step
from coproduce.demo.seed import checkpoints as checkpoints_step
from coproduce.demo.seed import dashboard as dashboard_step
from coproduce.demo.seed import deliveries as deliveries_step
from coproduce.demo.seed import health_codes as health_codes_step
from coproduce.demo.seed import labor as labor_step
from coproduce.demo.seed import recovery as recovery_step
from coproduce.demo.seed import relief as relief_step
from coproduce.demo.seed import stages as stages_step
from coproduce.demo.seed import tracing as tracing_seed
from coproduce.demo.seed import volunteers as volunteers_step

# The platform clock of the demo: the day the paper's donation figures were reported.
DEMO_NOW = datetime(2020, 2, 12, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
DEMO_PASSWORD = "coproduce-demo"
STEPS = [
    base,
    health_codes_step,
    relief_step,
    deliveries_step,
    volunteers_step,
    # contact tracing (issue 5)
    tracing_seed,
    checkpoints_step,
    # enterprise recovery (issue 13)
    recovery_step,
    # labor sharing (issue 14)
    labor_step,
    # care: counseling and the Voluntary Clinic (issue 15)
    care_step,
    # the province's epidemic curve, then the dashboards' kept figures (issue 16)
    dashboard_step,
    # the province's response stages on the paper's days, stage 3 from the suggestion (issue 16)
    stages_step,
]


@dataclass
class SeedContext:
    """What the steps share: the random source, the accounts made, a log of what was done."""

    rng: random.Random
    password: str = DEMO_PASSWORD
    users: dict = field(default_factory=dict)
    orgs: dict = field(default_factory=dict)
    regions: dict = field(default_factory=dict)
    people: list = field(default_factory=list)
    log: list[str] = field(default_factory=list)
    scale: float = 1.0


def seed_all(*, scale: float = 1.0, out=print) -> SeedContext:
    """Seed every step in order, all or nothing (one transaction); deterministic for a scale."""
    ctx = SeedContext(rng=random.Random(2020), scale=scale)
    with transaction.atomic():
        for step in STEPS:
            with transaction.atomic():
                step.run(ctx)
            out(ctx.log[-1] if ctx.log else f"seeded {step.__name__}")
    return ctx
