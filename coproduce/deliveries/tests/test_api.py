"""Deliveries: ordering by the household or a proxy, runs with tasks, proof, feedback, report."""

from datetime import date
from decimal import Decimal

import pytest

from conftest import FUYANG_AREA
from coproduce.deliveries import services
from coproduce.deliveries.models import DeliveryOrder, OrderLine
from coproduce.deliveries.signals import delivery_run_completed
from coproduce.fieldwork.models import Task
from coproduce.people.selectors import person_of_user
from coproduce.people.services import household_create

pytestmark = pytest.mark.django_db

GROCERIES = {
    "kind": "groceries",
    "lines": [
        {"item": "pork", "quantity": "1.5", "unit_price": "48.00"},
        {"item": "cooking-oil", "quantity": "1", "unit_price": "78.50"},
    ],
}


@pytest.fixture
def household(resident, regions, coordinator):
    person = person_of_user(user=resident)
    return household_create(
        region=regions[FUYANG_AREA], label="3-1-502", members=[person], actor=coordinator
    )


def test_resident_orders_for_own_household_with_exact_amounts(api_as, resident, household):
    answer = api_as(resident).post("/deliveries/orders", GROCERIES)
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["total"] == "150.50" and not body["by_proxy"]
    assert body["lines"][0]["quantity"] == "1.5" and body["lines"][0]["amount"] == "72.00"
    assert len(body["handover_code"]) == 6


def test_a_price_that_makes_half_a_fen_is_refused(api_as, resident, household):
    bad = {
        "kind": "groceries",
        "lines": [{"item": "pork", "quantity": "0.5", "unit_price": "0.01"}],
    }
    answer = api_as(resident).post("/deliveries/orders", bad)
    assert answer.status_code == 422
    assert "lines.0.unit_price" in answer.json()["error"]["fields"]
    assert not DeliveryOrder.objects.exists() and not OrderLine.objects.exists()


def test_volunteer_orders_by_proxy_and_the_same_key_is_stored_once(api_as, volunteer, household):
    body = {**GROCERIES, "household": household.pk, "idempotency_key": "call-7"}
    first = api_as(volunteer).post("/deliveries/orders", body).json()
    again = api_as(volunteer).post("/deliveries/orders", body).json()
    assert first["id"] == again["id"] and first["by_proxy"]
    assert DeliveryOrder.objects.count() == 1


def test_run_delivery_with_code_closes_task_and_signals(
    api_as, resident, household, coordinator, volunteer, fuyang_org
):
    order = api_as(resident).post("/deliveries/orders", GROCERIES).json()
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
    task = Task.objects.get(pk=run.json()["task"])
    assert task.kind == "delivery" and task.assignee == volunteer
    # The volunteer never sees the household's code.
    seen = api_as(volunteer).get(f"/deliveries/orders/{order['id']}").json()
    assert seen["handover_code"] is None
    wrong = api_as(volunteer).post(
        f"/deliveries/orders/{order['id']}/deliver", {"handover_code": "000000x"}
    )
    assert wrong.status_code == 422
    received = []
    delivery_run_completed.connect(lambda **kw: received.append(kw), weak=False)
    try:
        with_code = {"handover_code": order["handover_code"]}
        done = api_as(volunteer).post(f"/deliveries/orders/{order['id']}/deliver", with_code)
    finally:
        delivery_run_completed.receivers.clear()
    assert done.status_code == 200 and done.json()["status"] == "delivered"
    task.refresh_from_db()
    assert task.status == "done" and task.outcome == "delivered"
    fb = api_as(resident).post(f"/deliveries/orders/{order['id']}/feedback", {"rating": 5})
    assert fb.status_code == 201
    again = api_as(resident).post(f"/deliveries/orders/{order['id']}/feedback", {"rating": 4})
    assert again.status_code == 409
    report = (
        api_as(coordinator)
        .get(f"/deliveries/report?region=330111&start={date.today()}&end={date.today()}")
        .json()
    )
    assert report["total"] == "150.50"
    assert {r["item"]: r["quantity"] for r in report["rows"]} == {"cooking-oil": "1", "pork": "1.5"}


def test_left_at_the_door_needs_a_note(household, resident, coordinator, fuyang_org, regions):
    order = services.order_place(
        household=household,
        kind="medicine",
        lines=[services.LineInput(description="ibuprofen", quantity=1, unit_price=Decimal("9.90"))],
        by_proxy=False,
        actor=resident,
    )
    services.run_create(
        region=regions[FUYANG_AREA], on=date.today(), organization=fuyang_org, actor=coordinator
    )
    order.refresh_from_db()
    with pytest.raises(Exception) as exc:
        services.order_deliver(order=order, left_at_door=True, actor=coordinator)
    assert "proof_note" in exc.value.fields
    order = services.order_deliver(
        order=order, left_at_door=True, proof_note="phoned at 10:02", actor=coordinator
    )
    assert order.proof == "door"


@pytest.mark.parametrize("who", ["outsider", "other_official"])
def test_every_endpoint_refuses_outsiders_and_other_counties(
    api_as, resident, household, coordinator, fuyang_org, who, request
):
    order = api_as(resident).post("/deliveries/orders", GROCERIES).json()
    run = (
        api_as(coordinator)
        .post(
            "/deliveries/runs",
            {"region": FUYANG_AREA, "date": str(date.today()), "organization": fuyang_org.slug},
        )
        .json()
    )
    client = api_as(request.getfixturevalue(who))
    oid = order["id"]
    calls = [
        ("post", "/deliveries/orders", {**GROCERIES, "household": household.pk}),
        ("get", "/deliveries/orders", None),
        ("get", f"/deliveries/orders/{oid}", None),
        ("post", f"/deliveries/orders/{oid}/cancel", None),
        ("post", f"/deliveries/orders/{oid}/feedback", {"rating": 1}),
        ("post", f"/deliveries/orders/{oid}/deliver", {"handover_code": order["handover_code"]}),
        ("post", f"/deliveries/orders/{oid}/fail", {"reason": "x"}),
        (
            "post",
            "/deliveries/runs",
            {"region": FUYANG_AREA, "date": str(date.today()), "organization": fuyang_org.slug},
        ),
        ("get", "/deliveries/runs", None),
        ("post", f"/deliveries/runs/{run['id']}/assign", {"assignee": "resident"}),
        ("get", "/deliveries/report?region=330111&start=2020-01-01", None),
    ]
    for method, path, body in calls:
        call = getattr(client, method)
        answer = call(path, body) if body is not None else call(path)
        if method == "get" and answer.status_code == 200:
            assert answer.json() == [], (who, path)
        else:
            assert answer.status_code in (403, 404), (who, method, path, answer.content)
    assert DeliveryOrder.objects.get(pk=oid).status == "scheduled"
    assert DeliveryOrder.objects.count() == 1


def test_a_finished_run_becomes_a_pending_service_record_of_its_volunteer(
    regions, volunteer, fuyang_org
):
    from datetime import timedelta

    from coproduce.core import clock
    from coproduce.deliveries.models import DeliveryRun
    from coproduce.deliveries.receivers import service_record_for_run
    from coproduce.volunteers.models import ServiceRecord, VolunteerProfile
    from coproduce.volunteers.services import volunteer_register

    profile = VolunteerProfile.objects.filter(user=volunteer).first() or volunteer_register(
        user=volunteer, name="Chen Jie", home_region=regions["330111001001001"], actor=volunteer
    )
    now = clock.now()
    run = DeliveryRun(pk=987654)
    for _ in range(2):  # a re-sent signal records nothing twice
        service_record_for_run(
            run=run,
            volunteer=volunteer,
            organization=fuyang_org,
            region=regions["330111001001001"],
            started_at=now - timedelta(hours=2),
            finished_at=now - timedelta(minutes=5),
        )
    record = ServiceRecord.objects.get(source="deliveries.run:987654")
    assert record.volunteer == profile and record.activity == "delivery"
    assert record.status == "pending"
    assert ServiceRecord.objects.filter(source="deliveries.run:987654").count() == 1
