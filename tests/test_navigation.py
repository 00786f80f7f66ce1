"""No home tile of any demo login leads to a refusal or a missing page, and every link on every
main page answers 200 for the role that sees it (issue 17): a crawler over the demo's logins on
the seeded demo at a small scale."""

from html.parser import HTMLParser

import pytest
from django.test import Client

from coproduce.accounts.models import User
from tests.browser.pages import seed_demo

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

# Depth 2 from the home page: the tiles (1) and every link on the tiles' pages (2), whose own
# links are followed one step more for the pages that only the main pages lead to (3).
DEPTH = 3
PER_LOGIN = 120  # pages per login at most: one person's record stands for all of them
SKIPPED = ("/admin/", "/api/", "/logout/", "/i18n/", "/static/")


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href") if tag == "a" else None
        if href and href.startswith("/") and not href.startswith(SKIPPED):
            self.links.append(href.split("#")[0])


def shape(path: str) -> str:
    """/people/ABC123/ and /people/XYZ789/ are one page shape: crawl a few of each."""
    return "/".join(
        "#" if any(c.isdigit() for c in part) else part for part in path.split("?")[0].split("/")
    )


def crawl(client: Client) -> dict[str, int]:
    answers: dict[str, int] = {}
    shapes: dict[str, int] = {}
    queue = [("/", 0)]
    while queue and len(answers) < PER_LOGIN:
        path, depth = queue.pop(0)
        if path in answers:
            continue
        key = shape(path)
        if shapes.get(key, 0) >= 3:
            continue
        shapes[key] = shapes.get(key, 0) + 1
        answer = client.get(path)
        answers[path] = answer.status_code
        if answer.status_code == 200 and depth < DEPTH and "html" in answer.get("Content-Type", ""):
            parser = Links()
            parser.feed(answer.content.decode())
            queue.extend((link, depth + 1) for link in parser.links if link not in answers)
    return answers


def test_no_tile_and_no_link_of_any_demo_login_leads_to_a_refusal(settings):
    ctx = seed_demo(settings)
    failures = {}
    for username in sorted(ctx.users):
        client = Client()
        client.force_login(User.objects.get(username=username))
        home = client.get("/")
        assert home.status_code == 200, username
        answers = crawl(client)
        bad = {path: status for path, status in answers.items() if status not in (200, 302)}
        if bad:
            failures[username] = bad
    assert not failures, failures
