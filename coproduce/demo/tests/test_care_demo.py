"""The demo's care: Deqing's hotline and roster, Xiaoci's 21, Wenling's clinic, stage 3 records."""

import random

import pytest

from coproduce.care import selectors, services
from coproduce.care.models import Alert, Booking, Consultation, Practitioner, Session, Slot
from coproduce.core import clock
from coproduce.demo.seed import SeedContext, base
from coproduce.demo.seed import care as care_step

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture
def demo(settings):
    settings.COPRODUCE_EXERCISE = True
    ctx = SeedContext(rng=random.Random(2020), scale=0.05)
    for step in (base, care_step):
        step.run(ctx)
    return ctx


def test_demo_care_as_the_paper_tells_it(demo):
    xiaoci = demo.orgs["jiaxing-xiaoci"]
    assert Practitioner.objects.filter(organization=xiaoci).count() == 21
    assert Session.objects.filter(started_at__date__gte="2020-03-01").exists()
    assert Consultation.objects.exists() and Booking.objects.filter(by_proxy=True).exists()
    closed = Alert.objects.get(state="closed")
    assert closed.escalated_to == demo.users["care_supervisor"] and closed.follow_up
    # On the demo's day: the `counselor` is on duty, with one alert to acknowledge
    counselor, clinician = demo.users["counselor"], demo.users["clinician"]
    assert (
        selectors.on_duty_now(organization_id=demo.orgs["deqing-mental-health"].pk) == counselor.pk
    )
    waiting = Alert.objects.get(state="open")
    assert waiting.on_duty == counselor
    services.alert_acknowledge(alert=waiting, actor=counselor)
    # the demo logins can do their jobs
    services.practitioner_active(user=counselor, kind="counselor")
    services.practitioner_active(user=clinician, kind="clinician")
    assert Slot.objects.filter(service="clinic", starts_at__gt=clock.now()).exists()
