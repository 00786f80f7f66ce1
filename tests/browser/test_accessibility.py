"""axe-core (npm, pinned) over every main page of every demo login: no serious or critical
violation (issue 17). The same walk saves each page on a phone and on a desktop screen to
var/screenshots/pages/ for people to look at."""

import pytest

from tests.browser.conftest import PHONE, SCREENSHOTS
from tests.browser.pages import AXE, PUBLIC, main_pages, seed_demo, session_cookie

pytestmark = [pytest.mark.browser, pytest.mark.slow]
DESKTOP = {"width": 1280, "height": 900}
LOGINS = ["resident", "volunteer", "staff", "coordinator", "tracer", "official", "partner", "admin"]


def axe_problems(page) -> list[str]:
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        "axe.run(document, {resultTypes: ['violations']}).then(r => r.violations.map(v => "
        "({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))})))"
    )
    return [
        f"{v['id']} ({v['impact']}): {', '.join(v['nodes'])}"
        for v in found
        if v["impact"] in ("serious", "critical")
    ]


def slug(path: str) -> str:
    return path.strip("/").replace("/", "-").replace("?", "-").replace("=", "-") or "home"


def test_every_main_page_passes_axe_and_is_photographed(live_server, settings, browser):
    seed_demo(settings)
    (SCREENSHOTS / "pages").mkdir(parents=True, exist_ok=True)
    problems = {}
    for username in [None, *LOGINS]:
        phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
        desktop = browser.new_context(viewport=DESKTOP)
        paths = PUBLIC
        if username:
            cookie = session_cookie(live_server.url, username)
            phone.add_cookies([cookie])
            desktop.add_cookies([cookie])
            paths = main_pages(username)
        for context, size in ((phone, "phone"), (desktop, "desktop")):
            page = context.new_page()
            page.set_default_timeout(15_000)
            for path in paths:
                answer = page.goto(live_server.url + path)
                assert answer.status == 200, (username, path, answer.status)
                page.wait_for_load_state("networkidle")
                name = f"{username or 'public'}-{slug(path)}-{size}"
                page.screenshot(path=str(SCREENSHOTS / "pages" / f"{name}.png"), full_page=True)
                if size == "phone" and (found := axe_problems(page)):
                    problems[f"{username} {path}"] = found
        phone.close()
        desktop.close()
    assert not problems, problems
