"""Browser tests: Playwright driving Debian's chromium (see ../shared/TESTING.md).

Django's live_server and Playwright's sync API both run an event loop in this thread, which
Django then takes for async code: DJANGO_ALLOW_ASYNC_UNSAFE lets the ORM run in such tests.
"""

import os
import shutil
import threading
from pathlib import Path

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread

from tests.browser.demo_server import demo, demo_module  # noqa: F401 (fixtures of the seeded demo)

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
PHONE = {"width": 390, "height": 844}


class OneRequestAtATime(ThreadedWSGIServer):
    """The live server, answering one request at a time when it shares the test's in-memory
    SQLite connection. Django's threaded server hands that one connection to every request
    thread; a page that fetches twice at once (the scanner uploading its queue while it reloads
    its offline bundle) then used it from two threads, and SQLite answered "bad parameter or
    other API misuse" (a 500 and a failed test in CI). Connections stay open between requests
    (keep-alive); only the application call, with its response read whole, holds the lock."""

    lock = threading.Lock()

    def get_app(self):
        app = super().get_app()
        if not self.connections_override:
            return app  # a database with a connection per thread: no need to wait

        def one_at_a_time(environ, start_response):
            with self.lock:
                response = app(environ, start_response)
                try:
                    return [b"".join(response)]
                finally:
                    if hasattr(response, "close"):
                        response.close()

        return one_at_a_time


LiveServerThread.server_class = OneRequestAtATime


@pytest.fixture(scope="session")
def browser():
    """One headless chromium for the session."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (apt-get install -y chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture
def phone_page(browser):
    """A fresh page in a phone-sized window (390x844, touch), closed after the test."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def screenshot(phone_page):
    """`screenshot(name)` saves the page to var/screenshots/NAME.png, for people to look at."""

    def take(name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        phone_page.screenshot(path=str(path), full_page=True)
        return path

    return take
