"""Concurrent issues of the last units and concurrent ledger appends, on PostgreSQL.

SQLite serializes whole write transactions (IMMEDIATE), so races cannot happen there; these tests
need PostgreSQL's concurrent writers (COPRODUCE_DATABASE_URL=postgres://...).
"""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from coproduce.core.errors import Conflict
from coproduce.relief import services
from coproduce.relief.models import Item, LedgerEntry, Lot

pytestmark = [pytest.mark.postgres_only, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

WORKERS = 8


def race(fn):
    """Run fn(i) in WORKERS threads released at once; return (results, conflicts)."""
    barrier = threading.Barrier(WORKERS)
    results, conflicts, errors = [], [], []

    def worker(i):
        try:
            barrier.wait()
            results.append(fn(i))
        except Conflict as exc:
            conflicts.append(exc)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(WORKERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    return results, conflicts


@pytest.fixture
def mask(db):
    item, _ = Item.objects.get_or_create(
        slug="surgical-mask",
        defaults={"name": "Surgical mask", "category": "medical", "unit": "piece"},
    )
    return item


def test_simultaneous_issues_of_the_last_units_never_go_below_zero(
    warehouse, mask, coordinator, regions
):
    gift = services.stock_receive(
        warehouse=warehouse,
        item=mask,
        quantity=Decimal("3"),
        value=Decimal("0"),
        donor_kind="organization",
        donor_name="Factory",
        actor=coordinator,
    )

    def issue(i):
        return services.stock_issue(
            lot=gift.lot,
            quantity=Decimal("1"),
            region=regions["330111"],
            recipient=f"Gate {i}",
            actor=coordinator,
        )

    issued, refused = race(issue)
    assert len(issued) == 3 and len(refused) == WORKERS - 3
    assert Lot.objects.get(pk=gift.lot_id).quantity == 0
    assert services.ledger_verify().ok


def test_simultaneous_ledger_appends_never_share_a_predecessor(fuyang_org, coordinator):
    def donate(i):
        return services.donation_record(
            organization=fuyang_org,
            amount=Decimal(i + 1),
            channel="online",
            donor_kind="individual",
            donor_name=f"Donor {i}",
            actor=coordinator,
        )

    done, refused = race(donate)
    assert len(done) == WORKERS and not refused
    seqs = sorted(LedgerEntry.objects.values_list("seq", flat=True))
    assert seqs == list(range(1, WORKERS + 1))
    assert services.ledger_verify().ok
