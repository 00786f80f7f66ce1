"""Seeding the demo is all or nothing, and works at a small --scale (issue 18, point 13)."""

import types

import pytest

from coproduce.accounts.models import User
from coproduce.demo import seed
from coproduce.people.models import Person
from coproduce.places.models import Presence

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def exercise(settings):
    settings.COPRODUCE_EXERCISE = True  # the demo walks the paper's dates on the exercise clock


@pytest.mark.slow
def test_the_demo_seeds_at_a_twentieth_of_its_size():
    """`coproduce demo --scale 0.05` crashed in the health-codes step (too few residents)."""
    ctx = seed.seed_all(scale=0.05, out=lambda line: None)
    assert User.objects.filter(username="admin").exists()
    assert Person.objects.count() >= 110 and Presence.objects.exists()
    assert len(ctx.log) == len(seed.STEPS)
    _the_stages_walk_as_in_the_paper()


def _the_stages_walk_as_in_the_paper():
    """Stage 1 from 23 January, 2 from 10 February, 3 from 1 March accepted from the platform's
    suggestion of that day; Fuyang's own cluster suggests it go back to stage 1 on the demo's day."""
    from datetime import date

    from coproduce.regions.models import Region
    from coproduce.stages import selectors
    from coproduce.stages.models import SuggestionDecision

    province, fuyang = Region.objects.get(code="330000"), Region.objects.get(code="330111")
    on = {
        d: selectors.stage_current(region=province, on=date(2020, *d)).stage
        for d in [(1, 22), (1, 23), (2, 9), (2, 10), (2, 29), (3, 1)]
    }
    assert on == {(1, 22): 1, (1, 23): 1, (2, 9): 1, (2, 10): 2, (2, 29): 2, (3, 1): 3}
    decision = SuggestionDecision.objects.get(region=province)
    assert (decision.suggested_stage, decision.decision, decision.on_day) == (
        3,
        "accepted",
        date(2020, 3, 1),
    )
    back = selectors.suggestion_get(region=fuyang, on=date(2020, 2, 12))
    assert back is not None and back.stage == 1 and back.cluster == "Fuyang-1"


def _fails(ctx):
    raise RuntimeError("a step that fails half-way")


def test_a_step_that_fails_leaves_nothing_seeded(monkeypatch):
    """The first steps' residents and logins are not kept when a later step fails."""
    monkeypatch.setattr(seed, "STEPS", [seed.base, types.SimpleNamespace(run=_fails)])
    with pytest.raises(RuntimeError):
        seed.seed_all(scale=0.05, out=lambda line: None)
    assert not User.objects.filter(username="admin").exists()
    assert not Person.objects.exists()
