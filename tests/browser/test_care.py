"""Care in a real browser on a phone: a resident books a clinic slot; a counselor logs a call
with its PHQ-9; the on-duty counselor acknowledges the alert it raised."""

from datetime import timedelta

import pytest

from coproduce.care.models import Alert, Booking, Screening
from coproduce.care.services import duty_shift_add, slot_offer
from coproduce.core import clock

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def sign_in(page, url, username):
    page.context.clear_cookies()
    page.goto(f"{url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "a-long-test-password")
    page.click("button.primary")
    page.wait_for_url(f"{url}/")


def test_resident_books_a_clinic_slot_on_a_phone(
    live_server, clinician, resident, phone_page, screenshot
):
    start = clock.now() + timedelta(days=1)
    slot = slot_offer(
        actor=clinician,
        service="clinic",
        starts_at=start,
        ends_at=start + timedelta(minutes=20),
        specialty="respiratory",
        mode="online",
    )
    page, url = phone_page, live_server.url
    sign_in(page, url, "resident")
    page.goto(f"{url}/care/")
    page.click(f'[data-slot="{slot.pk}"] button.primary')
    page.wait_for_selector("#my-bookings [data-booking]")
    assert Booking.objects.get().slot == slot
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot("care-resident-booked-phone")


def test_counselor_logs_a_call_and_on_duty_acknowledges(
    live_server, counselor, care_supervisor, care_org, phone_page, screenshot
):
    now = clock.now()
    duty_shift_add(organization=care_org, counselor=care_supervisor, starts_at=now - timedelta(hours=1),
                   ends_at=now + timedelta(hours=8), actor=None)  # fmt: skip
    page, url = phone_page, live_server.url
    sign_in(page, url, "counselor")
    page.goto(f"{url}/care/calls/new/")
    page.check("input[name=group][value=quarantined]")
    page.select_option("#id_topic", "isolation")
    page.fill("#id_callback_phone", "13800001234")
    page.select_option("#id_instrument", "phq9")
    page.click("#phq9 summary")
    for n in range(1, 10):
        page.select_option(f"#id_phq{n}", "1")
    page.fill("#id_outcome", "safety plan, call back tonight")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot("care-call-form-phone")
    page.click("#call-form button.primary")
    page.wait_for_url(f"{url}/care/sessions/*/")
    screening = Screening.objects.get()
    assert (screening.total, screening.risk) == (9, "high")  # item 9 answered

    sign_in(page, url, "care_supervisor")
    page.goto(f"{url}/care/")
    alert = Alert.objects.get()
    page.click(f'[data-alert="{alert.pk}"] button.primary')
    page.wait_for_selector("#alert")
    alert.refresh_from_db()
    assert alert.acknowledged_by == care_supervisor
    screenshot("care-alert-acknowledged-phone")
