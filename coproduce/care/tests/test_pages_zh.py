"""Care's pages in Simplified Chinese: no string of the catalogue left in English on them."""

from datetime import timedelta

import pytest
from django.test import Client

from coproduce.accounts.models import User
from coproduce.care.models import Alert
from coproduce.care.services import (
    ScreeningInput,
    booking_create,
    consultation_record,
    session_log,
    slot_offer,
)
from coproduce.care.tests.conftest import PHQ9_HIGH
from coproduce.core import clock
from coproduce.people.selectors import person_of_user
from tests.test_pages_in_chinese import English, english_on

pytestmark = pytest.mark.django_db


def test_care_pages_show_no_catalogue_string_in_english(
    counselor, care_supervisor, on_duty, clinician, resident, county_official
):
    session, screening = session_log(
        actor=counselor, group="quarantined", topic="isolation", callback_phone="13800001234",
        outcome="安全计划", follow_up="callback", screening=ScreeningInput("phq9", PHQ9_HIGH),
    )  # fmt: skip
    alert = Alert.objects.get()
    start = clock.now() + timedelta(hours=2)
    slot = slot_offer(
        actor=clinician, service="clinic", starts_at=start, ends_at=start + timedelta(minutes=20),
        specialty="呼吸科", mode="online",
    )  # fmt: skip
    booking = booking_create(slot=slot, resident=person_of_user(user=resident), actor=resident)
    consultation = consultation_record(booking=booking, summary="咳嗽", actor=clinician)
    pages = {
        "counselor": [
            "/care/",
            "/care/calls/new/",
            "/care/roster/",
            f"/care/sessions/{session.pk}/",
            f"/care/screenings/{screening.pk}/",
            f"/care/alerts/{alert.pk}/",
            "/care/cases/",
        ],
        on_duty.counselor.username: ["/care/", f"/care/alerts/{alert.pk}/"],
        "clinician": ["/care/", f"/care/consultations/{consultation.pk}/"],
        "resident": ["/care/"],
        "county_official": ["/care/counts/", "/care/credentials/", "/care/"],
    }
    msgids = English()
    data = set(User.objects.values_list("username", flat=True)) | {"PHQ-9", "GAD-7"}
    left = {}
    for username, paths in pages.items():
        client = Client(headers={"Accept-Language": "zh-hans"})
        client.force_login(User.objects.get(username=username))
        for path in paths:
            answer = client.get(path)
            assert answer.status_code == 200, (username, path)
            if found := english_on(answer.content.decode(), msgids, data):
                left[f"{username} {path}"] = sorted(found)
    assert not left, f"English left on care pages in Chinese: {left}"
