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


def _fails(ctx):
    raise RuntimeError("a step that fails half-way")


def test_a_step_that_fails_leaves_nothing_seeded(monkeypatch):
    """The first steps' residents and logins are not kept when a later step fails."""
    monkeypatch.setattr(seed, "STEPS", [seed.base, types.SimpleNamespace(run=_fails)])
    with pytest.raises(RuntimeError):
        seed.seed_all(scale=0.05, out=lambda line: None)
    assert not User.objects.filter(username="admin").exists()
    assert not Person.objects.exists()
