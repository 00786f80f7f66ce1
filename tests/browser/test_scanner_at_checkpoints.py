"""The checkpoint scanner in chromium on a phone: a QR read through the fake camera, and a
device that goes offline, decides alone, queues, comes back and uploads its queue."""

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import segno
from PIL import Image

from conftest import FUYANG_AREA, valid_national_id
from coproduce.checkpoints.models import Scan
from coproduce.checkpoints.services import checkpoint_create
from coproduce.core import clock
from coproduce.health_codes import services as hc
from coproduce.people.services import person_register
from coproduce.regions.models import Region
from tests.browser.conftest import CHROMIUM, PHONE, SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.slow]
NOW = dt.datetime(2020, 2, 12, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def y4m_of_qr(payload: str, path: Path) -> Path:
    """A still Y4M video of the payload's QR on white, for chromium's fake camera (TESTING.md)."""
    qr = segno.make_qr(payload, error="m")
    scale = max(1, min(440 // qr.symbol_size(border=4)[0], 8))
    png = path.with_suffix(".png")
    qr.save(str(png), scale=scale, border=4, dark="black", light="white")
    frame = Image.new("L", (640, 480), 255)
    code = Image.open(png).convert("L")
    frame.paste(code, ((640 - code.width) // 2, (480 - code.height) // 2))
    luma = frame.tobytes()
    chroma = bytes([128]) * (320 * 240)
    with path.open("wb") as out:
        out.write(b"YUV4MPEG2 W640 H480 F10:1 Ip A1:1 C420jpeg\n")
        for _ in range(10):
            out.write(b"FRAME\n" + luma + chroma + chroma)
    return path


@pytest.fixture
def scene(transactional_db, settings, regions, fuyang_org, county_official, checkpoint_staff):
    """The exercise clock at 2020-02-12 10:00, a gate in Fuyang, a green and a red resident."""
    settings.COPRODUCE_EXERCISE = True
    hc.trust_cache_clear()
    clock.exercise_clock_set(moment=NOW, actor=None)
    checkpoint = checkpoint_create(
        name="Qiuyue gate",
        kind="residential_gate",
        region=Region.objects.get(code=FUYANG_AREA),
        operator=fuyang_org,
        actor=county_official,
    )
    people = [
        person_register(
            national_id=valid_national_id(n),
            name=f"Resident {n}",
            phone=f"1390000{n:04d}",
            home_region=FUYANG_AREA,
            actor=county_official,
        )
        for n in (1, 2)
    ]
    hc.condition_impose(
        person=people[1],
        kind="centralized_quarantine",
        reason="close_contact",
        starts_on=NOW.date(),
        actor=county_official,
        source="browser-test:red",
    )
    hc.token_issue_for(person=people[0], kind="card")  # the signing key exists from now on
    yield checkpoint, people
    hc.trust_cache_clear()


def sign_in(page, base: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("#id_username", "checkpoint_staff")
    page.fill("#id_password", "a-long-test-password")
    page.click("button.primary")
    page.wait_for_url(f"{base}/")


def test_scanner_reads_a_qr_through_the_camera_and_shows_the_decision(
    live_server, scene, tmp_path, browser
):
    checkpoint, (green, _) = scene
    payload = hc.token_issue_for(person=green, kind="live", color="green").payload
    video = y4m_of_qr(payload, tmp_path / "qr.y4m")
    # A chromium of its own, with the fake camera playing the QR (same Playwright session).
    camera_browser = browser.browser_type.launch(
        executable_path=CHROMIUM,
        args=[
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--use-fake-device-for-media-stream",
            "--use-fake-ui-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        ],
    )
    try:
        context = camera_browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
        context.grant_permissions(["camera"], origin=live_server.url)
        page = context.new_page()
        page.set_default_timeout(15_000)
        sign_in(page, live_server.url)
        page.goto(f"{live_server.url}/checkpoints/{checkpoint.pk}/scanner/")
        page.wait_for_selector("#scanner[data-ready=yes]")
        page.fill("#temperature", "36.5")
        page.click("#camera-start")
        page.wait_for_selector("#decision[data-decision=pass]", state="visible")
        assert page.locator("#decision").get_attribute("data-offline") == "no"
        assert page.locator("#decision-word").inner_text() == "Pass"
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "checkpoint-scanner-pass.png"))
    finally:
        camera_browser.close()
    stored = Scan.objects.get()
    assert stored.person == green and stored.decision == "pass"
    assert stored.temperature_c == 36.5 and stored.offline_decision == ""


def test_scanner_decides_offline_queues_and_uploads_when_back(
    live_server, scene, phone_page, screenshot
):
    checkpoint, (green, red) = scene
    page = phone_page
    sign_in(page, live_server.url)
    page.goto(f"{live_server.url}/checkpoints/{checkpoint.pk}/scanner/")
    page.wait_for_selector("#scanner[data-bundle=ready]")
    assert page.locator("#bundle-count").inner_text() == "1"  # the red resident

    page.context.set_offline(True)
    page.wait_for_selector("#scanner[data-online=no]")
    for person, color, expected in ((red, "green", "deny"), (green, "green", "pass")):
        # The red resident shows a stale green code: the offline list still catches it.
        payload = hc.token_issue_for(person=person, kind="live", color=color).payload
        page.fill("#temperature", "36.4")
        page.fill("#payload", payload)
        page.click("#manual button[type=submit]")
        page.wait_for_selector(f"#decision[data-decision={expected}]", state="visible")
        assert page.locator("#decision").get_attribute("data-offline") == "yes"
        if expected == "deny":
            assert page.locator("#decision").get_attribute("data-color") == "red"
            screenshot("checkpoint-scanner-offline-deny")
        page.click("#decision-close")
    page.wait_for_selector("#scanner[data-queued='2']")
    assert not Scan.objects.exists()

    page.context.set_offline(False)
    page.wait_for_selector("#scanner[data-queued='0']", timeout=20_000)
    scans = {s.person_id: s for s in Scan.objects.all()}
    assert scans[red.pk].decision == "deny" and scans[red.pk].offline_decision == "deny"
    assert scans[green.pk].decision == "pass" and scans[green.pk].offline_decision == "pass"
    screenshot("checkpoint-scanner-uploaded")


def test_offline_rules_in_the_browser_match_the_servers(live_server, scene, phone_page):
    """The JavaScript port of scan_decide gives the Python rule's answer on every path."""
    import itertools
    from decimal import Decimal

    from coproduce.checkpoints import rules

    checkpoint, _ = scene
    page = phone_page
    sign_in(page, live_server.url)
    page.goto(f"{live_server.url}/checkpoints/{checkpoint.pk}/scanner/")
    page.wait_for_selector("#scanner[data-ready=yes]")
    cases = []
    for (
        verification,
        kind,
        token_color,
        server_color,
        temp,
        direction,
        cp_kind,
        home,
        own,
    ) in itertools.product(
        ["valid", "expired", "malformed"],
        ["live", "card"],
        ["green", "yellow", "red"],
        [None, "green", "yellow", "red"],
        [None, "36.5", "37.3", "50"],
        ["in", "out"],
        ["residential_gate", "supermarket"],
        [True, False],
        [True, False],
    ):
        policy = rules.CheckpointPolicy(yellow_may_enter_own_gate=own)
        expected = rules.scan_decide(
            verification=rules.VerificationResult(verification),
            token_kind=rules.TokenKind(kind),
            token_color=rules.Color(token_color) if kind == "live" else None,
            server_color=rules.Color(server_color) if server_color else None,
            temperature_c=Decimal(temp) if temp else None,
            direction=rules.Direction(direction),
            checkpoint_kind=rules.CheckpointKind(cp_kind),
            is_home_area=home,
            policy=policy,
        )
        cases.append(
            {
                "args": {
                    "verification": verification,
                    "tokenKind": kind,
                    "tokenColor": token_color if kind == "live" else None,
                    "serverColor": server_color,
                    "temperature": temp,
                    "direction": direction,
                    "kind": cp_kind,
                    "isHomeArea": home,
                    "policy": {
                        "yellow_may_enter_own_gate": own,
                        "fever_threshold_c": "37.3",
                        "plausible_min_c": "34",
                        "plausible_max_c": "43",
                        "temperature_required_on_entry": True,
                    },
                },
                "expected": [
                    expected.decision.value,
                    expected.color.value if expected.color else None,
                    [r.code.value for r in expected.reasons],
                ],
            }
        )
    got = page.evaluate(
        """async (cases) => {
            const m = await import('/static/checkpoints/offline.js');
            return cases.map((c) => {
                const r = m.scanDecide(c.args);
                return [r.decision, r.color, r.reasons];
            });
        }""",
        cases,
    )
    mismatches = [
        (c["args"], c["expected"], g) for c, g in zip(cases, got, strict=True) if g != c["expected"]
    ]
    assert not mismatches, mismatches[:3]
