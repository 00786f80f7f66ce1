"""The seeded demo served for a whole test module: seeding costs a minute or two, so the journeys
and the accessibility walk share one seed. The server is pytest-django's LiveServer, started here
rather than through the `live_server` fixture, which would empty the database after each test;
this fixture empties it once, after the module, as `transactional_db` would.

The tests carry the plain `django_db` mark: each runs in a transaction that is rolled back, and
the server thread shares the test's in-memory SQLite connection (LiveServer does that), so what a
journey writes through the pages is seen by the test and undone after it: journeys stay
independent of each other, on the same seed."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from pytest_django.live_server_helper import LiveServer

from coproduce.health_codes import services as hc
from tests.browser.pages import seed_demo


class DemoServer:
    """The server's URL and the seed's context (its users, organizations, regions)."""

    def __init__(self, url: str, ctx, blocker):
        self.url = url
        self.ctx = ctx
        self.blocker = blocker

    def db(self):
        """`with demo.db():` reads the database in a test (assertions on what the pages did)."""
        return self.blocker.unblock()


@pytest.fixture(scope="module")
def demo_module(django_db_setup, django_db_blocker):
    exercise = override_settings(COPRODUCE_EXERCISE=True)
    exercise.enable()

    class Settings:  # seed_demo sets COPRODUCE_EXERCISE on the settings it is given
        pass

    with django_db_blocker.unblock():
        # Only a test database (the tests using it carry the django_db mark, so that
        # pytest-django sets it up): never the demo's own file.
        name = str(connection.settings_dict["NAME"])
        assert "memory" in name or "test" in name, f"not a test database: {name}"
        hc.trust_cache_clear()
        ctx = seed_demo(Settings())
    server = LiveServer("localhost")
    try:
        yield DemoServer(server.url, ctx, django_db_blocker)
    finally:
        server.stop()
        with django_db_blocker.unblock():
            call_command("flush", interactive=False, verbosity=0)
            hc.trust_cache_clear()
        exercise.disable()


@pytest.fixture
def demo(demo_module, django_db_blocker):
    """The module's demo, with the database open for the test and the server it runs."""
    with django_db_blocker.unblock():
        yield demo_module
