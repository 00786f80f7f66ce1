"""No page breaks its Content Security Policy (issue 18, point 10): a real browser loads the
main pages, the back office and the API reference, and any violation fails the test."""

import pytest

from conftest import FUYANG_AREA
from coproduce.checkpoints.services import checkpoint_create
from coproduce.people.services import person_register
from coproduce.regions.models import Region

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# Every violation the page reports, gathered before any page script runs (Playwright injects
# this through the browser's debugging protocol, which the policy does not govern).
WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " +
    (e.sourceFile || "") + ":" + e.lineNumber);
});
"""


def test_main_pages_load_without_a_csp_violation(
    live_server, province_admin, county_official, fuyang_org, phone_page
):
    from conftest import valid_national_id

    checkpoint = checkpoint_create(
        name="Gate",
        kind="residential_gate",
        region=Region.objects.get(code=FUYANG_AREA),
        operator=fuyang_org,
        actor=county_official,
    )
    person = person_register(
        national_id=valid_national_id(77),
        name="Chen Jing",
        phone="13800000077",
        home_region=FUYANG_AREA,
        actor=county_official,
    )
    page = phone_page
    page.add_init_script(WATCH)
    console = []
    page.on("console", lambda m: console.append(m.text))
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "province_admin")
    page.fill("#id_password", "a-long-test-password")
    page.click("button.primary")
    page.wait_for_url(f"{live_server.url}/")

    paths = [
        "/",
        "/people/",
        "/codes/",
        "/codes/officials/",
        f"/codes/people/{person.public_id}/card/",
        "/relief/",
        "/relief/transparency/",
        "/deliveries/",
        "/volunteers/",
        "/tracing/cases/",
        "/tracing/chains/F1/",
        "/checkpoints/",
        f"/checkpoints/{checkpoint.pk}/place-code/",
        f"/checkpoints/{checkpoint.pk}/scanner/",
        "/organizations/",
        "/admin/",
        "/admin/login/",
        "/api/v1/docs",
    ]
    seen = {}
    for path in paths:
        answer = page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        assert answer.status < 400, (path, answer.status)
        assert "content-security-policy" in answer.headers, path
        violations = page.evaluate("window.__cspViolations")
        if violations:
            seen[path] = violations
    refused = [m for m in console if "Content Security Policy" in m]
    assert not seen and not refused, (seen, refused)
    # The API reference drew its operations from our own copy of Swagger UI.
    page.goto(f"{live_server.url}/api/v1/docs")
    page.wait_for_selector(".opblock", timeout=15_000)
