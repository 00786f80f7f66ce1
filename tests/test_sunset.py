"""The sunset: personal data anonymized, aggregates and the public ledger kept, audited."""

import io
import random

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from coproduce.accounts.models import User
from coproduce.core.anonymization import SUNSET_CONFIRMATION, sunset_modules, sunset_run
from coproduce.core.errors import ValidationFailed
from coproduce.core.models import AuditEvent
from coproduce.demo.seed import SeedContext, base
from coproduce.demo.seed import relief as relief_step
from coproduce.people.models import Person
from coproduce.relief.models import Donation, LedgerEntry
from coproduce.relief.services import ledger_verify

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(settings):
    settings.COPRODUCE_EXERCISE = True
    ctx = SeedContext(rng=random.Random(2020), scale=0.02)
    base.run(ctx)
    relief_step.run(ctx)
    return ctx


def test_every_app_with_personal_data_contributes_its_module():
    labels = {label for label, _ in sunset_modules()}
    assert {"people", "accounts", "health_codes", "tracing", "relief", "volunteers"} <= labels


@pytest.mark.slow
def test_the_sunset_anonymizes_and_keeps_the_aggregates_and_the_ledger(seeded):
    names = set(Person.objects.values_list("name", flat=True))
    people, donations = Person.objects.count(), Donation.objects.count()
    ledger = list(LedgerEntry.objects.order_by("seq").values_list("hash", flat=True))
    admin = User.objects.get(username="admin")

    out = io.StringIO()
    call_command("sunset", "--confirm", SUNSET_CONFIRMATION, "--actor", "admin", stdout=out)

    assert not names & set(Person.objects.values_list("name", flat=True))
    assert not Person.objects.exclude(phone="").exists()
    assert (
        not Person.objects.filter(national_id_hash__isnull=False)
        .exclude(national_id_hash__startswith="sunset:")
        .exists()
    )
    assert not Donation.objects.exclude(donor_name="").exists()
    resident = User.objects.get(person__isnull=False, person__public_id=seeded.people[0].public_id)
    assert resident.username.startswith("resident-") and not resident.has_usable_password()
    # Counts, totals and the public ledger as they were.
    assert Person.objects.count() == people and Donation.objects.count() == donations
    assert list(LedgerEntry.objects.order_by("seq").values_list("hash", flat=True)) == ledger
    assert ledger_verify().ok
    event = AuditEvent.objects.get(action="core.sunset")
    assert event.actor == admin and event.details["counts"]["people"]["people"] == people
    assert "people: people" in out.getvalue()


def test_the_sunset_refuses_without_the_words(seeded):
    with pytest.raises(CommandError, match="--confirm"):
        call_command("sunset")
    with pytest.raises(ValidationFailed):
        sunset_run(actor=None, confirmation="yes")
    assert not AuditEvent.objects.filter(action="core.sunset").exists()
    assert Person.objects.exclude(phone="").exists()
