"""Concurrent awards of one purchase and concurrent reports of one park, on PostgreSQL.

SQLite serializes whole write transactions (IMMEDIATE), so races cannot happen there; these tests
need PostgreSQL's concurrent writers (COPRODUCE_DATABASE_URL=postgres://...).
"""

import threading

import pytest
from django.db import connection

from coproduce.accounts.permissions import scope_for
from coproduce.core import clock
from coproduce.core.errors import Conflict
from coproduce.recovery.models import ProcurementLine
from coproduce.recovery.selectors.resumption import resumption_on
from coproduce.recovery.services import (
    enterprise_create,
    procurement_award,
    procurement_create,
    procurement_need_add,
    procurement_quote_add,
    resumption_report_create,
)

pytestmark = [pytest.mark.postgres_only, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def race(fns):
    """Run each fn in its own thread, released at once; return (results, conflicts)."""
    barrier = threading.Barrier(len(fns))
    results, conflicts, errors = [], [], []

    def worker(fn):
        try:
            barrier.wait()
            results.append(fn())
        except Conflict as exc:
            conflicts.append(exc)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(fn,)) for fn in fns]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    return results, conflicts


def test_two_awards_of_one_purchase_at_once_exactly_one_wins(
    association_staff, yuhang_association, member
):
    p = procurement_create(
        actor=association_staff,
        association=yuhang_association,
        item="Masks",
        unit="piece",
        needed_by=clock.today(),
    )
    procurement_need_add(
        actor=association_staff, procurement_id=p.pk, enterprise_id=member.pk, quantity=100
    )
    a = procurement_quote_add(
        actor=association_staff, procurement_id=p.pk, supplier="A", tiers=[(1, "0.50")]
    )
    b = procurement_quote_add(
        actor=association_staff, procurement_id=p.pk, supplier="B", tiers=[(1, "0.45")]
    )
    won, lost = race(
        [
            lambda: procurement_award(actor=association_staff, procurement_id=p.pk, quote_id=a.pk),
            lambda: procurement_award(actor=association_staff, procurement_id=p.pk, quote_id=b.pk),
        ]
    )
    assert len(won) == 1 and len(lost) == 1
    assert lost[0].code == "already_awarded"
    assert ProcurementLine.objects.filter(procurement=p).count() == 1


def test_simultaneous_reports_in_one_park_keep_the_aggregates_exact(province_admin, park, regions):
    ents = [
        enterprise_create(
            actor=province_admin,
            name=f"E{i}",
            industry="other",
            size_class="micro",
            workers_total=10,
            region=regions["330110"],
            park=park,
        )
        for i in range(6)
    ]
    today = clock.today()
    race(
        [
            (
                lambda e=e: resumption_report_create(
                    actor=province_admin,
                    enterprise_id=e.pk,
                    date=today,
                    open=True,
                    workers_on_site=5,
                )
            )
            for e in ents
        ]
    )
    r = resumption_on(
        scope=scope_for(province_admin, "recovery.aggregates"), region=regions["330000"], on=today
    )
    assert (r.parks_reopened, r.enterprises_open, r.workers_on_site) == (1, 6, 30)
