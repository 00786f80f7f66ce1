"""Idempotent stock issues and transfers (issue 18, point 7): a retry never takes units twice."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from coproduce.core.errors import Conflict
from coproduce.regions.models import Region
from coproduce.relief import services
from coproduce.relief.models import Item, LedgerEntry, Lot, StockRequestKey

pytestmark = pytest.mark.django_db


@pytest.fixture
def gift(warehouse, coordinator):
    mask, _ = Item.objects.get_or_create(
        slug="surgical-mask",
        defaults={"name": "Surgical mask", "category": "medical", "unit": "piece"},
    )
    return services.stock_receive(
        warehouse=warehouse,
        item=mask,
        quantity=Decimal("10"),
        value=Decimal("0"),
        donor_kind="organization",
        donor_name="Factory",
        actor=coordinator,
    )


@pytest.fixture
def depot(fuyang_org, coordinator, regions):
    return services.warehouse_create(
        organization=fuyang_org,
        region=Region.objects.get(code="330111"),
        name="Second depot",
        actor=coordinator,
    )


def issue_body(gift, **changes):
    return {
        "lot": gift.lot_id,
        "quantity": "4",
        "region": "330111",
        "recipient": "Gate 3",
        "idempotency_key": "issue-7",
    } | changes


def test_a_retried_issue_takes_the_units_once(api_as, coordinator, gift):
    client = api_as(coordinator)
    first = client.post("/relief/stock/issues", issue_body(gift))
    again = client.post("/relief/stock/issues", issue_body(gift))
    assert first.status_code == again.status_code == 201, (first.content, again.content)
    assert first.json() == again.json()
    assert Lot.objects.get(pk=gift.lot_id).quantity == 6
    assert LedgerEntry.objects.filter(kind="issue").count() == 1


def test_the_same_key_for_another_issue_is_a_conflict(api_as, coordinator, gift):
    client = api_as(coordinator)
    client.post("/relief/stock/issues", issue_body(gift))
    answer = client.post("/relief/stock/issues", issue_body(gift, quantity="5"))
    assert answer.status_code == 409
    assert answer.json()["error"]["code"] == "idempotency_key_reused"
    assert Lot.objects.get(pk=gift.lot_id).quantity == 6


def test_a_retried_transfer_moves_the_units_once(api_as, coordinator, gift, depot):
    client = api_as(coordinator)
    body = {"lot": gift.lot_id, "to_warehouse": depot.pk, "quantity": "3", "idempotency_key": "t1"}
    first = client.post("/relief/stock/transfers", body)
    again = client.post("/relief/stock/transfers", body)
    assert first.status_code == again.status_code == 201, (first.content, again.content)
    assert first.json()["id"] == again.json()["id"]
    assert Lot.objects.get(pk=gift.lot_id).quantity == 7
    assert Lot.objects.get(pk=first.json()["id"]).quantity == 3


def test_without_a_key_each_issue_is_its_own(api_as, coordinator, gift):
    client = api_as(coordinator)
    for _ in range(2):
        assert (
            client.post("/relief/stock/issues", issue_body(gift, idempotency_key=None)).status_code
            == 201
        )
    assert Lot.objects.get(pk=gift.lot_id).quantity == 2
    assert not StockRequestKey.objects.exists()


@pytest.mark.postgres_only
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_of_one_issue_take_the_units_once(coordinator, gift, regions):
    """Eight simultaneous sends of one keyed issue (PostgreSQL: the test database of SQLite is a
    shared in-memory one whose table locks fail at once instead of queueing; the SQLite file
    serializes writers with IMMEDIATE transactions, where the retries above run one by one)."""
    workers = 8
    barrier = threading.Barrier(workers)
    answers, errors = [], []

    def send():
        try:
            barrier.wait()
            entry = services.stock_issue(
                lot=Lot.objects.get(pk=gift.lot_id),
                quantity=Decimal("4"),
                region=regions["330111"],
                recipient="Gate 3",
                actor=coordinator,
                idempotency_key="issue-race",
            )
            answers.append(entry.seq)
        except Conflict as exc:
            errors.append(exc)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert len(set(answers)) == 1 and len(answers) == workers
    assert Lot.objects.get(pk=gift.lot_id).quantity == 6
    assert LedgerEntry.objects.filter(kind="issue").count() == 1
