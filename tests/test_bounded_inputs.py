"""Zero server errors (issue 18, point 4): out-of-range ids, offsets and dates answer a 4xx.

Every case the fuzzer found gave a 500 before the bounded types of core.api; the generic tests
walk the OpenAPI schema so that an endpoint added later is covered as well.
"""

from datetime import date

import pytest

from conftest import FUYANG_AREA
from coproduce.checkpoints.services import checkpoint_create
from coproduce.regions.models import Region
from tests.test_error_shape import assert_error_shape

pytestmark = pytest.mark.django_db

HUGE = 2**63
ANCIENT, FAR = "0001-01-01", "9999-12-31"


def assert_4xx(answer):
    assert 400 <= answer.status_code < 500, (answer.status_code, answer.content)
    assert_error_shape(answer, answer.status_code, answer.json()["error"]["code"])


def operations():
    from config.api import api

    schema = api.get_openapi_schema()
    for path, ops in schema["paths"].items():
        for method, op in ops.items():
            yield path.removeprefix("/api/v1"), method, op


@pytest.fixture
def checkpoint(regions, fuyang_org, county_official):
    return checkpoint_create(
        name="Gate",
        kind="residential_gate",
        region=Region.objects.get(code=FUYANG_AREA),
        operator=fuyang_org,
        actor=county_official,
    )


def test_offset_of_two_to_the_63_on_every_paged_list(api_as, province_admin):
    client = api_as(province_admin)
    paged = [
        path
        for path, method, op in operations()
        if method == "get"
        and "{" not in path
        and any(p["name"] == "offset" for p in op.get("parameters", []))
    ]
    assert len(paged) >= 10, paged
    for path in paged:
        assert_4xx(client.get(f"{path}?offset={HUGE}"))
        assert_4xx(client.get(f"{path}?offset=-1"))


def test_ids_of_two_to_the_63_in_every_path(api_as, province_admin):
    """Every operation with an integer in its path, given 2^63 there (and an empty body)."""
    client = api_as(province_admin)
    seen = 0
    for path, method, op in operations():
        ints = [
            p["name"]
            for p in op.get("parameters", [])
            if p["in"] == "path" and p["schema"].get("type") == "integer"
        ]
        if not ints:
            continue
        seen += 1
        url = path.format(**{name: HUGE for name in ints})
        url = url.format(**{p["name"]: "x" for p in op.get("parameters", []) if p["in"] == "path"})
        assert_4xx(client._send(method, url, {} if method != "get" else None))
    assert seen >= 30


def test_the_checkpoint_and_call_ids_the_fuzzer_found(api_as, province_admin, checkpoint):
    client = api_as(province_admin)
    scan = {
        "payload": "x",
        "direction": "in",
        "device_id": "d",
        "idempotency_key": "k",
        "scanned_at": "2020-02-12T10:00:00+08:00",
    }
    for answer in (
        client.get(f"/checkpoints/{HUGE}"),
        client.get(f"/checkpoints/{HUGE}/offline-bundle"),
        client.get(f"/checkpoints/{HUGE}/shifts"),
        client.get(f"/checkpoints/{HUGE}/stats"),
        client.post(f"/checkpoints/{HUGE}/scans", scan),
        client.post(f"/checkpoints/{HUGE}/scans/batch", {"scans": [scan]}),
        client.delete(f"/calls/{HUGE}/signups/mine"),
    ):
        assert_4xx(answer)


@pytest.mark.parametrize("when", [ANCIENT, FAR])
def test_dates_at_year_1_or_9999(api_as, province_admin, checkpoint, when):
    client = api_as(province_admin)
    moment = f"{when}T00:00:00+08:00" if when == ANCIENT else f"{when}T23:59:59-12:00"
    for answer in (
        client.get(f"/checkpoints/{checkpoint.pk}/stats?day={when}"),
        client.get(f"/checkpoints/{checkpoint.pk}/shifts?day={when}"),
        client.get(f"/checkpoint-stats?region={FUYANG_AREA}&start={when}"),
        client.get(f"/checkpoints/{checkpoint.pk}/offline-bundle?since={moment}"),
    ):
        assert_4xx(answer)


@pytest.mark.parametrize("when", [ANCIENT, FAR])
def test_a_donation_and_a_case_at_year_1_or_9999(api_as, province_admin, tracer, fuyang_org, when):
    moment = f"{when}T00:00:00+08:00" if when == ANCIENT else f"{when}T23:59:59-12:00"
    donation = {
        "organization": fuyang_org.slug,
        "amount": "10.00",
        "channel": "bank",
        "received_at": moment,
    }
    assert_4xx(api_as(province_admin).post("/relief/donations", donation))
    case = {"name": "Case", "home_region": FUYANG_AREA, "isolated_at": moment}
    answer = api_as(tracer).post("/cases", case)
    assert_4xx(answer)
    assert "isolated_at" in answer.json()["error"]["fields"]


def test_a_donation_refuses_nul_characters(api_as, province_admin, fuyang_org):
    donation = {
        "organization": fuyang_org.slug,
        "amount": "10.00",
        "channel": "bank",
        "donor_name": "Li\x00Wei",
    }
    answer = api_as(province_admin).post("/relief/donations", donation)
    assert answer.status_code == 422, answer.content
    assert "donor_name" in answer.json()["error"]["fields"]


def test_a_non_ascii_handover_code_is_refused(
    api_as, resident, coordinator, volunteer, regions, fuyang_org
):
    from coproduce.people.selectors import person_of_user
    from coproduce.people.services import household_create

    household_create(
        region=regions[FUYANG_AREA],
        label="3-1-502",
        members=[person_of_user(user=resident)],
        actor=coordinator,
    )
    order = api_as(resident).post(
        "/deliveries/orders",
        {"kind": "groceries", "lines": [{"item": "rice", "quantity": "1", "unit_price": "5.00"}]},
    )
    assert order.status_code == 201, order.content
    run = api_as(coordinator).post(
        "/deliveries/runs",
        {
            "region": FUYANG_AREA,
            "date": str(date.today()),
            "organization": fuyang_org.slug,
            "assignee": "volunteer",
        },
    )
    assert run.status_code == 201, run.content
    answer = api_as(volunteer).post(
        f"/deliveries/orders/{order.json()['id']}/deliver", {"handover_code": "码码码"}
    )
    assert answer.status_code == 422, answer.content
    assert "handover_code" in answer.json()["error"]["fields"]


def test_an_order_id_of_two_to_the_63_in_a_run(api_as, coordinator, fuyang_org):
    answer = api_as(coordinator).post(
        "/deliveries/runs",
        {
            "region": FUYANG_AREA,
            "date": "2020-02-12",
            "organization": fuyang_org.slug,
            "assignee": "coordinator",
            "orders": [HUGE],
        },
    )
    assert_4xx(answer)
