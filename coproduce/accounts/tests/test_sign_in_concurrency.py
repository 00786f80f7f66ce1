"""Concurrent failed sign-ins, as from several web processes at once, on PostgreSQL.

SQLite serializes whole write transactions (IMMEDIATE), so nothing races there; these tests need
PostgreSQL's concurrent writers (COPRODUCE_DATABASE_URL=postgres://...).
"""

import threading

import pytest
from django.db import connection

from coproduce.accounts.models import SignInFailure
from coproduce.accounts.rules import SignInLimit
from coproduce.accounts.services import sign_in_check, sign_in_failure_record
from coproduce.core.models import AuditEvent

pytestmark = [pytest.mark.postgres_only, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

WORKERS = 8
ADDRESS = "203.0.113.9"


def test_simultaneous_failures_are_all_counted_and_the_lock_is_audited(county_official):
    barrier = threading.Barrier(WORKERS)
    errors = []

    def attempt():
        try:
            before = sign_in_check(username="county_official", address=ADDRESS)
            barrier.wait()  # every attempt passed the check before any failure is recorded
            sign_in_failure_record(username="county_official", address=ADDRESS, before=before)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(WORKERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert not errors, errors
    # None lost: a row per key (pair, address, username) and failure.
    assert SignInFailure.objects.count() == 3 * WORKERS
    verdict = sign_in_check(username="county_official", address=ADDRESS)
    assert verdict.limits == (SignInLimit.PAIR,)
    # The last failure to commit counts them all: the lock is audited at least once.
    assert AuditEvent.objects.filter(action="accounts.sign_in_lock", details__limit="pair").exists()
