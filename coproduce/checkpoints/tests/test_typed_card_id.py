"""The id printed on a paper card, typed at the scanner, is checked on the server."""

import pytest

from coproduce.checkpoints.models import Scan
from coproduce.checkpoints.tests.conftest import make_red, scan_body

pytestmark = pytest.mark.django_db


def scan(client, checkpoint, body):
    return client.post(f"/checkpoints/{checkpoint.pk}/scans", body)


def spaced(public_id: str) -> str:
    return " ".join(public_id[i : i + 4] for i in range(0, len(public_id), 4)).lower()


def test_a_typed_card_id_is_judged_by_the_servers_color(
    api_as, checkpoint_staff, checkpoint, person
):
    green, red = person(41), person(42)
    make_red(red)
    client = api_as(checkpoint_staff)
    assert scan(client, checkpoint, scan_body(spaced(green.public_id))).json()["decision"] == "pass"
    body = scan(client, checkpoint, scan_body(red.public_id)).json()
    assert body["decision"] == "deny" and body["color"] == "red"
    assert Scan.objects.filter(person=red, token_kind="card").exists()


def test_an_unknown_card_id_is_refused_with_a_plain_message(api_as, checkpoint_staff, checkpoint):
    answer = scan(api_as(checkpoint_staff), checkpoint, scan_body("ZZZZ ZZZZ ZZZZ ZZZZ"))
    assert answer.status_code == 422
    assert "payload" in answer.json()["error"]["fields"]
    assert not Scan.objects.exists()


def test_a_typed_card_id_in_an_offline_batch_is_checked_too(
    api_as, checkpoint_staff, checkpoint, person
):
    someone = person(43)
    answer = (
        api_as(checkpoint_staff)
        .post(
            f"/checkpoints/{checkpoint.pk}/scans/batch",
            {"scans": [scan_body(someone.public_id), scan_body("ZZZZZZZZZZZZZZZZ")]},
        )
        .json()["results"]
    )
    assert answer[0]["status"] == 200 and answer[0]["decision"] == "pass"
    assert answer[1]["status"] == 422


def test_other_organizations_staff_cannot_scan_here(api_as, other_org_staff, checkpoint, person):
    someone = person(44)
    assert (
        scan(api_as(other_org_staff), checkpoint, scan_body(someone.public_id)).status_code == 403
    )


def test_a_place_code_is_accepted_without_its_prefix(api_as, resident, checkpoint):
    from coproduce.checkpoints.models import Visit

    code = checkpoint.place.code
    typed = f"{code[:4].lower()} {code[4:8]} {code[8:]}"
    answer = api_as(resident).post("/visits", {"place_payload": typed})
    assert answer.status_code == 201, answer.content
    assert Visit.objects.get().place == checkpoint.place
