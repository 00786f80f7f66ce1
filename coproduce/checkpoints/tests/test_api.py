"""The checkpoint endpoints: every decision path, scope, idempotency, batches, bundles, visits."""

import datetime as dt
import threading

import pytest
from django.db import connection

from coproduce.checkpoints.models import Checkpoint, Scan, Visit
from coproduce.checkpoints.services import checkpoint_policy_set
from coproduce.checkpoints.tests.conftest import (
    NOW,
    card,
    live,
    make_red,
    make_yellow,
    scan_body,
)
from coproduce.core import clock
from coproduce.core.models import AuditEvent
from coproduce.fieldwork.models import Task
from coproduce.places.models import Place, Presence
from coproduce.places.rules import place_payload

pytestmark = pytest.mark.django_db


def scan(client, checkpoint, body):
    return client.post(f"/checkpoints/{checkpoint.pk}/scans", body)


# --- creating checkpoints ---------------------------------------------------------------------


def test_official_opens_a_checkpoint_with_a_place_code(api_as, county_official, fuyang_org):
    answer = api_as(county_official).post(
        "/checkpoints",
        {
            "name": "Fuyang toll gate",
            "kind": "expressway_entrance",
            "region": "330111",
            "operator_org": fuyang_org.slug,
            "lat": "30.05",
            "lon": "119.95",
        },
    )
    assert answer.status_code == 201, answer.content
    body = answer.json()
    checkpoint = Checkpoint.objects.get(pk=body["id"])
    assert body["place_payload"] == place_payload(checkpoint.place.code)
    assert body["place_payload"].startswith("CPP:")
    assert body["operator_org"] == fuyang_org.slug and body["kind"] == "expressway_entrance"
    assert AuditEvent.objects.filter(action="checkpoints.create").exists()


def test_coordinator_opens_checkpoints_only_for_their_organization(
    api_as, coordinator, fuyang_org, yuhang_org
):
    client = api_as(coordinator)
    body = {"name": "Gate", "kind": "residential_gate", "region": "330111001001001"}
    assert client.post("/checkpoints", {**body, "operator_org": fuyang_org.slug}).status_code == 201
    assert client.post("/checkpoints", {**body, "operator_org": yuhang_org.slug}).status_code == 403
    assert client.post("/checkpoints", body).status_code == 403  # no organization: not theirs


@pytest.mark.parametrize(
    "change, field",
    [
        ({"kind": "castle"}, "kind"),
        ({"name": ""}, "name"),
        ({"region": "999"}, "region"),
        ({"lat": "95", "lon": "120"}, "lat"),
        ({"lat": "30"}, "lon"),
        ({"operator_org": "nobody"}, "operator_org"),
        ({"minimum_staff": 99}, "minimum_staff"),
    ],
)
def test_bad_checkpoint_is_a_field_error_and_writes_nothing(api_as, county_official, change, field):
    body = {"name": "Gate", "kind": "residential_gate", "region": "330111", **change}
    answer = api_as(county_official).post("/checkpoints", body)
    assert answer.status_code == 422, answer.content
    assert field in answer.json()["error"]["fields"]
    assert not Place.objects.exists() and not Checkpoint.objects.exists()


def test_outsiders_and_other_counties_cannot_open_checkpoints(
    api_as, outsider, other_official, resident
):
    body = {"name": "Gate", "kind": "residential_gate", "region": "330111"}
    assert api_as(outsider).post("/checkpoints", body).status_code == 403
    assert api_as(other_official).post("/checkpoints", body).status_code == 403
    assert api_as(resident).post("/checkpoints", body).status_code == 403
    assert api_as(None).post("/checkpoints", body).status_code == 401


def test_checkpoint_list_is_scoped(api_as, checkpoint, yuhang_checkpoint, county_official):
    ids = [c["id"] for c in api_as(county_official).get("/checkpoints").json()]
    assert ids == [checkpoint.pk]


# --- decisions --------------------------------------------------------------------------------


def test_green_code_passes_and_is_logged_as_presence(api_as, checkpoint_staff, checkpoint, person):
    someone = person(10)
    answer = scan(api_as(checkpoint_staff), checkpoint, scan_body(live(someone)))
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["decision"] == "pass" and body["color"] == "green"
    assert [r["code"] for r in body["reasons"]] == ["green"]
    stored = Scan.objects.get(pk=body["scan_id"])
    assert stored.person == someone and stored.staff == checkpoint_staff
    presence = Presence.objects.get(source=f"checkpoints.scan:{stored.pk}")
    assert presence.person == someone and presence.place == checkpoint.place
    assert presence.kind == "scan"


def test_red_code_is_denied_at_checkpoint(api_as, checkpoint_staff, checkpoint, person):
    someone = person(11)
    make_red(someone)
    body = scan(api_as(checkpoint_staff), checkpoint, scan_body(live(someone, "red"))).json()
    assert body["decision"] == "deny" and body["color"] == "red"
    assert "red_denied" in [r["code"] for r in body["reasons"]]


def test_stale_green_token_of_a_red_person_is_denied(api_as, checkpoint_staff, checkpoint, person):
    someone = person(12)
    token = live(someone, "green")  # shown before the order
    make_red(someone)
    body = scan(api_as(checkpoint_staff), checkpoint, scan_body(token)).json()
    assert body["decision"] == "deny" and body["color"] == "red"
    codes = [r["code"] for r in body["reasons"]]
    assert "server_color_stricter" in codes and "red_denied" in codes


def test_card_is_answered_with_the_servers_color(api_as, checkpoint_staff, checkpoint, person):
    green, red = person(13), person(14)
    make_red(red)
    client = api_as(checkpoint_staff)
    assert scan(client, checkpoint, scan_body(card(green))).json()["decision"] == "pass"
    body = scan(client, checkpoint, scan_body(card(red))).json()
    assert body["decision"] == "deny" and body["color"] == "red"


def test_yellow_resident_may_enter_own_gate_only_when_policy_allows(
    api_as, checkpoint_staff, checkpoint, person
):
    someone = person(15)
    make_yellow(someone)
    client = api_as(checkpoint_staff)
    assert scan(client, checkpoint, scan_body(live(someone, "yellow"))).json()["decision"] == "deny"
    checkpoint_policy_set(
        checkpoint=checkpoint, actor=None, yellow_may_enter_own_gate=True, minimum_staff=1
    )
    body = scan(client, checkpoint, scan_body(live(someone, "yellow"))).json()
    assert body["decision"] == "pass"
    assert "yellow_own_gate" in [r["code"] for r in body["reasons"]]
    # Not their gate: a resident of another area is still denied.
    stranger = person(16, area="330111001001002")
    make_yellow(stranger)
    assert (
        scan(client, checkpoint, scan_body(live(stranger, "yellow"))).json()["decision"] == "deny"
    )


def test_fever_refers_and_opens_a_follow_up_for_the_home_community(
    api_as, checkpoint_staff, checkpoint, person
):
    someone = person(17, area="330111001001002")
    body = scan(
        api_as(checkpoint_staff), checkpoint, scan_body(live(someone), temperature_c="38.2")
    ).json()
    assert body["decision"] == "refer"
    assert "fever" in [r["code"] for r in body["reasons"]]
    task = Task.objects.get(kind="fever_follow_up")
    assert task.person == someone and task.region_id == "330111001001002"
    assert task.source == f"checkpoints.scan:{body['scan_id']}"
    assert Scan.objects.get(pk=body["scan_id"]).fever


def test_missing_temperature_on_entry_is_referred_to_be_measured(
    api_as, checkpoint_staff, checkpoint, person
):
    body = scan(
        api_as(checkpoint_staff), checkpoint, scan_body(live(person(18)), temperature_c=None)
    ).json()
    assert body["decision"] == "refer"
    assert "temperature_missing" in [r["code"] for r in body["reasons"]]


def test_expired_token_is_denied(api_as, checkpoint_staff, checkpoint, person):
    token = live(person(19))
    clock.exercise_clock_set(moment=NOW + dt.timedelta(hours=25), actor=None)
    body = scan(
        api_as(checkpoint_staff), checkpoint, scan_body(token, scanned_at=clock.now().isoformat())
    ).json()
    assert body["decision"] == "deny" and body["color"] is None
    assert [r["code"] for r in body["reasons"]][0] == "token_expired"


@pytest.mark.parametrize(
    "payload",
    [
        "",
        "hello",
        "CP1:",
        "CP1:%%%%",
        "CP1:" + "A" * 4000,
        "CPP:0123456789AB",
        "CP1:6BFOXN*TS0BI$ZD4N9:9S6RCVN5+O30K3/XIV0W23NTDEXWK G2EP4J0BGJLFX3R3VHXK.PJ:2DPF6R:5SVBHABVCNN95SWMPHQUHQN%A0SOE+QQAB-HQ/HQ7IR.SQEEOK9SAI4- 7Y15KBPD34  QWSP0WRGTQFNPLIR.KQNA7N95U/3FJCTG90OARH9P1J4HGZJKBEG%123ZC$0BCI757TLXKIBTV5TN%2LXK-$CH4TSXKZ4DK0DH7HC4HDH3$5I:95G$1A$2LQVVG4C4T 6J5Q1:6WXGL17H0OM/PWA3E",
        "CP1:" + "é" * 10,
    ],
)
def test_hostile_payloads_are_denied_cleanly(api_as, checkpoint_staff, checkpoint, payload):
    answer = scan(api_as(checkpoint_staff), checkpoint, scan_body(payload))
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["decision"] == "deny"
    assert body["reasons"][0]["code"].startswith("token_")


def test_nul_characters_are_refused_as_bad_input(api_as, checkpoint_staff, checkpoint):
    answer = scan(api_as(checkpoint_staff), checkpoint, scan_body("CP1:\x00\x01"))
    assert answer.status_code == 422 and "payload" in answer.json()["error"]["fields"]
    assert not Scan.objects.exists()


def test_unknown_subject_card_is_referred_to_check_by_hand(
    api_as, checkpoint_staff, checkpoint, person
):
    someone = person(20)
    token = card(someone)
    someone.public_id = "GONE0000"
    someone.save(update_fields=["public_id"])
    body = scan(api_as(checkpoint_staff), checkpoint, scan_body(token)).json()
    assert body["decision"] == "refer" and body["color"] is None
    assert "card_color_unknown" in [r["code"] for r in body["reasons"]]


@pytest.mark.parametrize(
    "change, field",
    [
        ({"direction": "up"}, "direction"),
        ({"temperature_c": "hot"}, "temperature_c"),
        ({"temperature_c": "99"}, "temperature_c"),
        ({"device_id": ""}, "device_id"),
        ({"idempotency_key": "a b"}, "idempotency_key"),
        ({"scanned_at": "yesterday"}, "scanned_at"),
        ({"scanned_at": "2020-02-12T10:00:00"}, "scanned_at"),
        ({"scanned_at": "2020-02-13T10:00:00+08:00"}, "scanned_at"),
        ({"scanned_at": "2019-12-01T10:00:00+08:00"}, "scanned_at"),
        ({"offline_decision": "maybe"}, "offline_decision"),
    ],
)
def test_bad_scan_is_a_field_error_and_writes_nothing(
    api_as, checkpoint_staff, checkpoint, person, change, field
):
    answer = scan(api_as(checkpoint_staff), checkpoint, scan_body(live(person(21)), **change))
    assert answer.status_code == 422, answer.content
    assert field in answer.json()["error"]["fields"]
    assert not Scan.objects.exists() and not Presence.objects.exists()


# --- scope ------------------------------------------------------------------------------------


def test_only_staff_of_the_operating_organization_and_scope_may_scan(
    api_as, checkpoint, person, other_org_staff, other_official, outsider, resident, county_official
):
    body = scan_body(live(person(22)))
    for user in (other_org_staff, other_official, outsider, resident, county_official):
        answer = scan(api_as(user), checkpoint, {**body, "idempotency_key": f"k-{user.pk}"})
        assert answer.status_code == 403, (user, answer.content)
    assert scan(api_as(None), checkpoint, body).status_code == 401
    assert not Scan.objects.exists()


def test_staff_of_another_county_are_refused(api_as, yuhang_checkpoint, checkpoint_staff, person):
    answer = scan(api_as(checkpoint_staff), yuhang_checkpoint, scan_body(live(person(23))))
    assert answer.status_code == 403


def test_every_checkpoint_endpoint_refuses_outsiders_and_other_counties(
    api_as, checkpoint, outsider, other_official
):
    paths = [
        ("get", f"/checkpoints/{checkpoint.pk}"),
        ("get", f"/checkpoints/{checkpoint.pk}/offline-bundle"),
        ("get", f"/checkpoints/{checkpoint.pk}/shifts"),
        ("get", f"/checkpoints/{checkpoint.pk}/stats"),
        ("post", f"/checkpoints/{checkpoint.pk}/scans/batch"),
        ("post", f"/checkpoints/{checkpoint.pk}/shifts/plan"),
        ("get", "/checkpoint-stats?region=330111"),
    ]
    for user in (outsider, other_official):
        client = api_as(user)
        for method, path in paths:
            if method == "get":
                answer = client.get(path)
            else:
                answer = client.post(path, {"scans": [], "date": "2020-02-12"})
            assert answer.status_code == 403, (user, path, answer.content)


# --- idempotency ------------------------------------------------------------------------------


def test_replayed_key_returns_the_first_answer_and_stores_once(
    api_as, checkpoint_staff, checkpoint, person
):
    someone = person(24)
    body = scan_body(live(someone))
    client = api_as(checkpoint_staff)
    first = scan(client, checkpoint, body).json()
    make_red(someone)  # even if the color changed since, the first answer stands
    again = scan(client, checkpoint, body).json()
    assert again["scan_id"] == first["scan_id"] and again["decision"] == "pass"
    assert again["replayed"] is True and first["replayed"] is False
    assert Scan.objects.count() == 1 and Presence.objects.count() == 1


def test_same_key_for_another_scan_is_a_conflict(api_as, checkpoint_staff, checkpoint, person):
    body = scan_body(live(person(25)))
    client = api_as(checkpoint_staff)
    scan(client, checkpoint, body)
    answer = scan(client, checkpoint, {**body, "temperature_c": "38.5"})
    assert answer.status_code == 409
    assert answer.json()["error"]["code"] == "idempotency_key_reused"
    assert Scan.objects.count() == 1 and not Task.objects.exists()


@pytest.mark.postgres_only
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_of_one_scan_store_it_once(api_as, checkpoint_staff, checkpoint, person):
    body = scan_body(live(person(26)), temperature_c="38.0")
    answers, barrier = [], threading.Barrier(8)

    def send():
        client = api_as(checkpoint_staff)
        barrier.wait()
        try:
            answers.append(scan(client, checkpoint, body))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert {a.status_code for a in answers} == {200}
    assert len({a.json()["scan_id"] for a in answers}) == 1
    assert Scan.objects.count() == 1 and Presence.objects.count() == 1
    assert Task.objects.filter(kind="fever_follow_up").count() == 1


@pytest.mark.postgres_only
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_concurrent_batches_with_the_same_keys_store_each_scan_once(
    api_as, checkpoint_staff, checkpoint, person
):
    people = [person(300 + i) for i in range(5)]
    scans = [scan_body(live(p), idempotency_key=f"batch-{i}") for i, p in enumerate(people)]
    answers, barrier = [], threading.Barrier(4)

    def send():
        client = api_as(checkpoint_staff)
        barrier.wait()
        try:
            answers.append(
                client.post(f"/checkpoints/{checkpoint.pk}/scans/batch", {"scans": scans})
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ids = {tuple(r["scan_id"] for r in a.json()["results"]) for a in answers}
    assert len(ids) == 1
    assert Scan.objects.count() == 5 and Presence.objects.count() == 5


# --- batches and offline devices ----------------------------------------------------------------


def test_batch_answers_in_order_and_a_bad_item_fails_alone(
    api_as, checkpoint_staff, checkpoint, person
):
    red = person(27)
    make_red(red)
    items = [
        scan_body(live(person(28))),
        scan_body(live(red, "red")),
        {"payload": "CP1:x", "direction": "sideways"},  # bad item
        "not even an object",
        scan_body(live(person(29)), temperature_c="39.1"),
    ]
    answer = api_as(checkpoint_staff).post(
        f"/checkpoints/{checkpoint.pk}/scans/batch", {"scans": items}
    )
    assert answer.status_code == 200, answer.content
    results = answer.json()["results"]
    assert [r["index"] for r in results] == [0, 1, 2, 3, 4]
    assert [r.get("decision") for r in results] == ["pass", "deny", None, None, "refer"]
    assert results[2]["status"] == 422 and "direction" in results[2]["error"]["fields"]
    assert results[3]["status"] == 422
    assert Scan.objects.count() == 3 and Presence.objects.count() == 3
    assert Task.objects.filter(kind="fever_follow_up").count() == 1


def test_batch_sent_again_is_answered_from_the_first_upload(
    api_as, checkpoint_staff, checkpoint, person
):
    items = [scan_body(live(person(30 + i))) for i in range(3)]
    client = api_as(checkpoint_staff)
    path = f"/checkpoints/{checkpoint.pk}/scans/batch"
    first = client.post(path, {"scans": items}).json()["results"]
    again = client.post(path, {"scans": items + [items[0]]}).json()["results"]
    assert [r["scan_id"] for r in again] == [r["scan_id"] for r in first] + [first[0]["scan_id"]]
    assert all(r["replayed"] for r in again)
    assert Scan.objects.count() == 3


def test_batch_of_more_than_1000_is_refused(api_as, checkpoint_staff, checkpoint):
    answer = api_as(checkpoint_staff).post(
        f"/checkpoints/{checkpoint.pk}/scans/batch", {"scans": [{}] * 1001}
    )
    assert answer.status_code == 422
    assert not Scan.objects.exists()


def test_late_upload_keeps_device_time_and_server_time(
    api_as, checkpoint_staff, checkpoint, person
):
    seen = NOW - dt.timedelta(hours=5)
    body = scan_body(live(person(33)), scanned_at=seen.isoformat(), offline_decision="pass")
    answer = api_as(checkpoint_staff).post(
        f"/checkpoints/{checkpoint.pk}/scans/batch", {"scans": [body]}
    )
    result = answer.json()["results"][0]
    stored = Scan.objects.get(pk=result["scan_id"])
    assert (
        stored.scanned_at == seen
        and stored.received_at == clock.now().replace(microsecond=0)
        or (abs((stored.received_at - NOW).total_seconds()) < 60)
    )
    assert stored.offline_decision == "pass" and result["offline_decision"] == "pass"
    assert Presence.objects.get().at == seen


def test_offline_bundle_lists_non_green_and_then_only_changes(
    api_as, checkpoint_staff, checkpoint, person
):
    red, yellow, later = person(34), person(35), person(36)
    make_red(red)
    make_yellow(yellow)
    live(red)  # the deployment's signing key exists once it has issued a code
    client = api_as(checkpoint_staff)
    bundle = client.get(f"/checkpoints/{checkpoint.pk}/offline-bundle").json()
    listed = {e["subject"]: e["color"] for e in bundle["non_green"]}
    assert listed == {red.public_id: "red", yellow.public_id: "yellow"}
    assert bundle["trust_list"]["keys"] and bundle["full"] is True
    assert bundle["checkpoint"]["kind"] == "residential_gate"
    clock.exercise_clock_set(moment=NOW + dt.timedelta(minutes=5), actor=None)
    make_red(later)
    since = bundle["generated_at"]
    delta = client.get(f"/checkpoints/{checkpoint.pk}/offline-bundle", data={"since": since}).json()
    assert [(e["subject"], e["color"]) for e in delta["non_green"]] == [(later.public_id, "red")]
    assert delta["full"] is False


def test_offline_bundle_marks_yellow_residents_of_the_gate_when_they_may_go_home(
    api_as, checkpoint_staff, checkpoint, person
):
    checkpoint_policy_set(
        checkpoint=checkpoint, actor=None, yellow_may_enter_own_gate=True, minimum_staff=1
    )
    here, elsewhere = person(37), person(38, area="330111001001002")
    make_yellow(here)
    make_yellow(elsewhere)
    bundle = api_as(checkpoint_staff).get(f"/checkpoints/{checkpoint.pk}/offline-bundle").json()
    home = {e["subject"]: e.get("home_here", False) for e in bundle["non_green"]}
    assert home == {here.public_id: True, elsewhere.public_id: False}


# --- visits -----------------------------------------------------------------------------------


def test_resident_records_a_visit_once(api_as, resident, checkpoint):
    payload = place_payload(checkpoint.place.code)
    client = api_as(resident)
    at = (NOW - dt.timedelta(minutes=3)).isoformat()
    first = client.post("/visits", {"place_payload": payload, "visited_at": at})
    assert first.status_code == 201, first.content
    again = client.post("/visits", {"place_payload": payload.lower(), "visited_at": at})
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    visit = Visit.objects.get()
    presence = Presence.objects.get(source=f"checkpoints.visit:{visit.pk}")
    assert presence.kind == "visit" and presence.place == checkpoint.place


def test_visit_needs_a_known_place_and_a_sane_time(api_as, resident, checkpoint):
    client = api_as(resident)
    bad_place = client.post("/visits", {"place_payload": "CPP:ZZZZZZZZZZZZ"})
    assert bad_place.status_code == 422 and "place_payload" in bad_place.json()["error"]["fields"]
    future = client.post(
        "/visits",
        {
            "place_payload": place_payload(checkpoint.place.code),
            "visited_at": (NOW + dt.timedelta(days=1)).isoformat(),
        },
    )
    assert future.status_code == 422 and "visited_at" in future.json()["error"]["fields"]
    assert not Visit.objects.exists() and not Presence.objects.exists()


def test_visits_only_for_oneself(api_as, resident, outsider, other_official, checkpoint, person):
    payload = place_payload(checkpoint.place.code)
    someone = person(39)
    assert api_as(outsider).post("/visits", {"place_payload": payload}).status_code == 403
    assert api_as(other_official).post("/visits", {"place_payload": payload}).status_code == 403
    answer = api_as(resident).post(
        "/visits", {"place_payload": payload, "resident": someone.public_id}
    )
    assert answer.status_code == 403
    assert not Visit.objects.exists()


# --- statistics -------------------------------------------------------------------------------


def test_statistics_per_hour_and_per_region(
    api_as, checkpoint_staff, county_official, checkpoint, person
):
    red = person(40)
    make_red(red)
    client = api_as(checkpoint_staff)
    scan(client, checkpoint, scan_body(live(person(41))))
    scan(client, checkpoint, scan_body(live(red, "red")))
    scan(client, checkpoint, scan_body(live(person(42)), temperature_c="38"))
    hours = api_as(county_official).get(f"/checkpoints/{checkpoint.pk}/stats").json()["hours"]
    ten = hours[10]
    assert (ten["scans"], ten["passed"], ten["denied"], ten["referred"], ten["fevers"]) == (
        3,
        1,
        1,
        1,
        1,
    )
    assert sum(h["scans"] for h in hours) == 3
    regions = api_as(county_official).get("/checkpoint-stats?region=330111").json()["regions"]
    assert regions == [
        {
            "region": "330111001",
            "name": "富春街道",
            "scans": 3,
            "passed": 1,
            "denied": 1,
            "referred": 1,
            "fevers": 1,
            "offline": 0,
        }
    ]


# --- rate limits ------------------------------------------------------------------------------


def test_scans_past_the_limit_are_refused_with_retry_after_and_store_nothing(
    api_as, checkpoint_staff, checkpoint, person, settings
):
    settings.SCAN_RATE_PER_MINUTE = 3
    settings.SCAN_BATCHES_PER_MINUTE = 1
    client = api_as(checkpoint_staff)
    someone = person(60)
    answers = [scan(client, checkpoint, scan_body(live(someone))) for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    refused = answers[-1]
    assert refused.json()["error"]["code"] == "rate_limited"
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert Scan.objects.count() == 3
    batch = f"/checkpoints/{checkpoint.pk}/scans/batch"
    assert client.post(batch, {"scans": [scan_body(live(someone))]}).status_code == 200
    assert client.post(batch, {"scans": [scan_body(live(someone))]}).status_code == 429
    assert Scan.objects.count() == 4


def test_uploads_older_than_the_log_retention_are_refused(
    api_as, checkpoint_staff, checkpoint, person, settings
):
    client = api_as(checkpoint_staff)
    someone = person(61)
    ten_days_ago = (clock.now() - dt.timedelta(days=10)).isoformat()
    assert (
        scan(client, checkpoint, scan_body(live(someone), scanned_at=ten_days_ago)).status_code
        == 200
    )
    settings.LOG_RETENTION_DAYS = 7
    refused = scan(client, checkpoint, scan_body(live(someone), scanned_at=ten_days_ago))
    assert refused.status_code == 422 and "scanned_at" in refused.json()["error"]["fields"]
