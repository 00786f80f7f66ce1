"""The scanner reopens offline (issue 17): a checkpoint phone that lost the network reloads the
scanner from its service worker, goes on scanning, and uploads the queue when the network is back.
"""

import json
import re

import pytest

from coproduce.checkpoints.models import Scan
from coproduce.health_codes import services as hc
from tests.browser.test_scanner_at_checkpoints import scene, sign_in  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_scanner_reloads_offline_scans_and_uploads_when_back(
    live_server,
    scene,  # noqa: F811
    phone_page,
    screenshot,
):
    checkpoint, (green, red) = scene
    page = phone_page
    sign_in(page, live_server.url)
    scanner = f"{live_server.url}/checkpoints/{checkpoint.pk}/scanner/"
    page.goto(scanner)
    page.wait_for_selector("#scanner[data-bundle=ready]")
    page.wait_for_selector("#scanner[data-offline-ready=yes]", timeout=20_000)
    # The bundle's time in the platform's zone, written as the other pages write times (it was
    # "2/12/2020, 2:00:00 AM": US format and UTC).
    assert re.fullmatch(r"2020-02-12 10:0\d", page.locator("#bundle-age").inner_text())

    page.context.set_offline(True)
    page.reload()  # from the service worker's cache: the network is gone
    page.wait_for_selector("#scanner[data-ready=yes]")
    assert page.locator("#scanner").get_attribute("data-online") == "no"
    assert page.locator("#bundle-count").inner_text() == "1"  # the red resident, kept
    payload = hc.token_issue_for(person=red, kind="live", color="green").payload
    page.fill("#temperature", "36.6")
    page.fill("#payload", payload)
    page.click("#manual button[type=submit]")
    page.wait_for_selector("#decision[data-decision=deny]", state="visible")
    assert page.locator("#decision").get_attribute("data-offline") == "yes"
    page.click("#decision-close")
    page.wait_for_selector("#scanner[data-queued='1']")
    screenshot("checkpoint-scanner-reopened-offline")
    assert not Scan.objects.exists()

    page.context.set_offline(False)
    page.wait_for_selector("#scanner[data-queued='0']", timeout=20_000)
    scan = Scan.objects.get()
    assert scan.person_id == red.pk and scan.decision == "deny" and scan.offline_decision == "deny"


def test_service_worker_covers_the_scanner_and_the_manifest_installs_it(
    client,
    scene,  # noqa: F811
    checkpoint_staff,
):
    checkpoint, _ = scene
    worker = client.get("/checkpoints/sw.js")
    assert worker.status_code == 200 and worker["Content-Type"].startswith("text/javascript")
    assert worker["Service-Worker-Allowed"] == "/checkpoints/"
    client.force_login(checkpoint_staff)
    page = client.get(f"/checkpoints/{checkpoint.pk}/scanner/").content.decode()
    assert f'href="/checkpoints/{checkpoint.pk}/manifest.webmanifest"' in page
    manifest = json.loads(client.get(f"/checkpoints/{checkpoint.pk}/manifest.webmanifest").content)
    assert manifest["start_url"] == f"/checkpoints/{checkpoint.pk}/scanner/"
    assert manifest["scope"] == "/checkpoints/" and manifest["display"] == "standalone"
    assert {"192x192", "512x512"} <= {icon["sizes"] for icon in manifest["icons"]}
