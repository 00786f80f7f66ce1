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
from coproduce.demo.seed import care as care_step
from coproduce.demo.seed import labor as labor_step
from coproduce.demo.seed import recovery as recovery_step
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


def test_stage_2_and_3_apps_contribute_their_modules():
    labels = {label for label, _ in sunset_modules()}
    assert {"recovery", "labor", "care"} <= labels


@pytest.fixture
def seeded_recovery_and_care(settings):
    settings.COPRODUCE_EXERCISE = True
    ctx = SeedContext(rng=random.Random(2020), scale=0.02)
    for step in (base, recovery_step, labor_step, care_step):
        step.run(ctx)
    return ctx


@pytest.mark.slow
def test_the_sunset_empties_care_recovery_and_labor_and_keeps_their_counts(
    seeded_recovery_and_care,
):
    from coproduce.care.models import (
        CaseVisit,
        Consultation,
        Credential,
        Practitioner,
        Screening,
        Session,
        SocialCase,
    )
    from coproduce.labor.models import Agreement, Posting
    from coproduce.recovery.models import (
        EnterpriseRepresentative,
        ResumptionReport,
        ServiceRequest,
    )

    # A resident known to the hotline and a caller who left a number for a callback, as the
    # hotline takes them; the demo holds the other kinds of personal data the sunset removes.
    first, second = Session.objects.order_by("pk")[:2]
    resident = Person.objects.order_by("pk").first()
    Session.objects.filter(pk=first.pk).update(resident=resident, outcome="talked about work")
    Session.objects.filter(pk=second.pk).update(callback_phone="13800000000")
    Screening.objects.filter(pk=Screening.objects.order_by("pk").first().pk).update(
        resident=resident
    )
    assert Practitioner.objects.exclude(phone="").exists()
    assert ServiceRequest.objects.exclude(description="").exists()
    assert EnterpriseRepresentative.objects.exists()
    counts = {
        model: model.objects.count()
        for model in (Session, Screening, SocialCase, Consultation, ResumptionReport, Agreement)
    }
    names = set(Practitioner.objects.values_list("display_name", flat=True))

    result = sunset_run(actor=None, confirmation=SUNSET_CONFIRMATION)

    assert not Session.objects.filter(resident__isnull=False).exists()
    assert not Session.objects.exclude(callback_phone="").exists()
    assert not Session.objects.exclude(outcome="").exists()
    assert not Screening.objects.filter(resident__isnull=False).exists()
    assert not SocialCase.objects.filter(person__isnull=False).exists()
    assert not CaseVisit.objects.exclude(note="").exists()
    assert not Consultation.objects.exclude(summary="").exists()
    assert not Practitioner.objects.exclude(phone="").exists()
    assert not Credential.objects.exclude(number__startswith="sunset:").exists()
    assert not names & set(Practitioner.objects.values_list("display_name", flat=True))
    assert not ServiceRequest.objects.exclude(description="").exists()
    assert not ResumptionReport.objects.exclude(note="").exists()
    assert not Posting.objects.exclude(note="").exists()
    assert not EnterpriseRepresentative.objects.exists()
    assert {model: model.objects.count() for model in counts} == counts
    assert result["care"]["sessions"] >= 1 and result["recovery"]["representatives"] >= 1
