"""Races on PostgreSQL: two acceptances that together would over-commit a surplus.

SQLite serializes writers, so this only means something on PostgreSQL; the suite skips it on
SQLite (conftest.py, postgres_only).
"""

import threading

import pytest
from django.db import connection

from coproduce.core.errors import Conflict
from coproduce.labor import services
from coproduce.labor.models import Agreement, Posting, Proposal

pytestmark = [pytest.mark.postgres_only, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def race(workers):
    """Run the callables at once; answer what each returned or raised."""
    barrier = threading.Barrier(len(workers))
    results = [None] * len(workers)

    def run(i, work):
        try:
            barrier.wait()
            results[i] = work()
        except Exception as exc:  # noqa: BLE001 - the outcome is what we test
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, w)) for i, w in enumerate(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_two_acceptances_that_would_over_commit_a_surplus_one_wins(
    surplus, borrower, enterprise_rep, fuyang_rep, province_admin, days
):
    for _ in range(2):
        services.posting_create(
            actor=fuyang_rep,
            enterprise_id=borrower.pk,
            kind="shortage",
            skill="welder",
            workers=3,
            start_date=days(2),
            end_date=days(9),
        )
    run = services.matching_run(actor=province_admin, region_code="330100")
    assert run.matched_workers == 6
    # The lender keeps 5 of its 6 workers on offer: the two proposals of 3 now over-commit it.
    services.posting_update(actor=enterprise_rep, posting_id=surplus.pk, workers=5)
    proposals = list(run.proposals.all())
    for p in proposals:
        services.proposal_accept(
            actor=enterprise_rep, proposal_id=p.pk, pay_terms="x", insurance_terms="y"
        )
    results = race(
        [
            lambda p=p: services.proposal_accept(actor=fuyang_rep, proposal_id=p.pk)
            for p in proposals
        ]
    )
    assert sum(isinstance(r, Proposal) for r in results) == 1, results
    assert sum(isinstance(r, Conflict) for r in results) == 1, results
    assert Agreement.objects.count() == 1
    posting = Posting.objects.get(pk=surplus.pk)
    assert (posting.workers, posting.committed) == (5, 3)
    assert sorted(Proposal.objects.values_list("state", flat=True)) == ["accepted", "lapsed"]


def test_many_acceptances_never_commit_more_than_the_surplus(
    surplus, borrower, enterprise_rep, fuyang_rep, province_admin, days
):
    # Six shortages of 1 against a surplus of 6, shrunk to 2 after the run.
    for _ in range(6):
        services.posting_create(
            actor=fuyang_rep,
            enterprise_id=borrower.pk,
            kind="shortage",
            skill="welder",
            workers=1,
            start_date=days(2),
            end_date=days(9),
        )
    run = services.matching_run(actor=province_admin, region_code="330100")
    services.posting_update(actor=enterprise_rep, posting_id=surplus.pk, workers=2)
    proposals = list(run.proposals.all())
    for p in proposals:
        services.proposal_accept(
            actor=enterprise_rep, proposal_id=p.pk, pay_terms="x", insurance_terms="y"
        )
    results = race(
        [
            lambda p=p: services.proposal_accept(actor=fuyang_rep, proposal_id=p.pk)
            for p in proposals
        ]
    )
    assert sum(isinstance(r, Proposal) for r in results) == 2, results
    assert Posting.objects.get(pk=surplus.pk).committed == 2
