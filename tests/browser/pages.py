"""The main pages of each demo login (issue 17), shared by the accessibility check, the
screenshots and the journeys: the home page, every tile, and the pages the tiles lead to for the
role's daily work."""

import random
from pathlib import Path

from django.test import Client

from coproduce.accounts.models import User
from coproduce.accounts.navigation import modules_for
from coproduce.checkpoints.models import Checkpoint
from coproduce.core.clock import exercise_clock_set
from coproduce.demo.seed import DEMO_NOW, STEPS, SeedContext
from coproduce.people.selectors import person_of_user

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"

# login -> pages beyond the home page and its tiles ({resident}, {checkpoint}: filled in)
EXTRA = {
    "resident": [
        "/codes/report/",
        "/codes/people/{resident}/card/",
        "/codes/family/",
        "/codes/appeal/",
    ],
    "volunteer": ["/deliveries/"],
    "staff": [
        "/checkpoints/{checkpoint}/",
        "/checkpoints/{checkpoint}/scanner/",
        "/checkpoints/{checkpoint}/shifts/",
        "/checkpoints/{checkpoint}/stats/",
        "/checkpoints/{checkpoint}/place-code/",
    ],
    "coordinator": ["/volunteers/calls/", "/volunteers/records/", "/people/duplicates/"],
    "tracer": ["/tracing/?show=all"],
    "official": [
        "/tracing/cases/",
        "/tracing/cases/new/",
        "/tracing/progress/",
        "/tracing/quarantine/",
        "/checkpoints/stats/",
        "/volunteers/report/",
        "/deliveries/report/",
        "/people/duplicates/",
    ],
    "yuanqiao": ["/deliveries/report/"],
}
PUBLIC = ["/login/", "/relief/transparency/"]


def seed_demo(settings, scale: float = 0.2) -> SeedContext:
    """The demo at a small scale (a minute or two), through the apps' services."""
    settings.COPRODUCE_EXERCISE = True
    ctx = SeedContext(rng=random.Random(2020), scale=scale)
    for step in STEPS:
        step.run(ctx)
    exercise_clock_set(moment=DEMO_NOW, actor=ctx.users["admin"])  # as `coproduce demo` does
    return ctx


def main_pages(username: str) -> list[str]:
    """The login's home, its tiles' pages and the extra pages of its work."""
    user = User.objects.get(username=username)
    paths = ["/", *[t["url"] for t in modules_for(user) if not t["url"].startswith("/admin/")]]
    person = person_of_user(user=User.objects.get(username="resident"))
    checkpoint = Checkpoint.objects.filter(place__operator__slug="fuyang-community-volunteers")
    values = {
        "resident": person.public_id if person else "",
        "checkpoint": checkpoint.order_by("pk").values_list("pk", flat=True).first(),
    }
    paths += [p.format(**values) for p in EXTRA.get(username, [])]
    return list(dict.fromkeys(paths))


def session_cookie(live_server_url: str, username: str) -> dict:
    """A signed-in session for the browser, without typing the password on every page."""
    client = Client()
    client.force_login(User.objects.get(username=username))
    return {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server_url}


def pick_person(page, name: str, query: str, public_id: str) -> None:
    """Find a person with the picker and tap them; wait until the picker has swapped in the
    chosen person's hidden field (a form submitted before that swap sends no person)."""
    page.fill(f"#id_{name}", query)
    page.click(f'[data-person="{public_id}"]')
    page.wait_for_selector(
        f'input[type=hidden][name="{name}"][value="{public_id}"]', state="attached"
    )


def goods_receive(page, *, warehouse: str, item: str, quantity: int, donor: str) -> None:
    """On the "Goods received" form: take a gift in kind into a warehouse; wait for the receipt."""
    page.select_option("#id_warehouse", label=warehouse)
    page.select_option("#id_item", item)
    page.fill("#id_quantity", str(quantity))
    page.fill("#id_donor_name", donor)
    page.click("button.primary")
    page.wait_for_selector(".receipt")
