"""The bank's tests use the volunteers' fixtures (a volunteer, a gate, a pending record)."""

from coproduce.volunteers.tests.conftest import *  # noqa: F403
