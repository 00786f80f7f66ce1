"""End to end: scans at a place -> a confirmed case -> its contacts -> round 1 tasks ->
quarantine -> red codes -> 14 daily reports -> green; closing the case starts observation."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from conftest import FUYANG_AREA, valid_national_id
from coproduce.core import clock
from coproduce.health_codes import selectors as codes
from coproduce.health_codes import services as code_services
from coproduce.orgs.services import organization_create
from coproduce.people.services import person_register
from coproduce.places.services import place_create, presence_record
from coproduce.regions.models import Region
from coproduce.tracing import services as tracing
from coproduce.tracing.models import QuarantineOrder

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def _set(day: dt.date, hour=10):
    clock.exercise_clock_set(
        moment=dt.datetime(day.year, day.month, day.day, hour, tzinfo=TZ), actor=None
    )


def test_from_scans_to_quarantine_to_green(api_as, county_official, tracer, regions, settings):
    settings.COPRODUCE_EXERCISE = True
    day0 = dt.date(2020, 2, 10)
    _set(day0, 9)
    area = Region.objects.get(code=FUYANG_AREA)
    organization_create(
        name="Qiuyue Village Officers",
        category="government_unit",
        home_region=area,
        service_regions=[area],
        actor=None,
        slug="qiuyue-officers",
        verified=True,
    )
    people = [
        person_register(
            national_id=valid_national_id(500 + i),
            name=f"P{i}",
            phone=f"1390000{i:04d}",
            home_region=FUYANG_AREA,
            actor=county_official,
        )
        for i in range(3)
    ]
    patient, shopper, passer_by = people
    market = place_create(name="Market", kind="supermarket", region=area, actor=None)
    # Scans at the market: the shopper 12 minutes after the patient, the passer-by 45 after.
    for person, minute in ((patient, 0), (shopper, 12), (passer_by, 45)):
        presence_record(
            person=person,
            place=market,
            kind="scan",
            source=f"scan:{person.pk}",
            at=dt.datetime(2020, 2, 9, 10, minute, tzinfo=TZ),
        )
    api = api_as(county_official)
    case = api.post(
        "/cases",
        {
            "resident": patient.public_id,
            "status": "confirmed",
            "onset_date": "2020-02-09",
            "isolated_at": "2020-02-10T08:00:00+08:00",
            "cluster": "E2E",
        },
    )
    assert case.status_code == 201, case.content
    case_id = case.json()["id"]
    assert codes.code_state(person=patient).color == "red"

    contacts = api.get(f"/cases/{case_id}/contacts").json()["contacts"]
    assert [c["person"] for c in contacts] == [shopper.public_id]
    assert contacts[0]["degree"] == 1 and contacts[0]["exposure_date"] == "2020-02-09"

    assert api.post(f"/cases/{case_id}/rounds").json() == {"round": 1, "tasks_created": 1}
    task = api_as(tracer).get("/tasks?kind=trace_contact").json()
    assert [t["person"] for t in task] == [shopper.public_id]
    done = api_as(tracer).patch(
        f"/tasks/{task[0]['id']}", {"status": "done", "outcome": "quarantined"}
    )
    assert done.status_code == 200, done.content

    site = api.post(
        "/quarantine-sites", {"name": "Fuchun Hotel", "region": "330111", "capacity": 10}
    ).json()
    order = api.post(
        "/quarantine-orders",
        {
            "resident": shopper.public_id,
            "kind": "centralized",
            "site": site["id"],
            "start_date": day0.isoformat(),
            "case": case_id,
        },
    )
    assert order.status_code == 201, order.content
    assert codes.code_state(person=shopper).color == "red"
    assert codes.colors_of(person_ids=[shopper.pk, passer_by.pk]).get(shopper.pk) == "red"

    # 14 consecutive normal daily reports from the order's start: green, and the sweep releases.
    for i in range(14):
        today = day0 + dt.timedelta(days=i)
        _set(today, 20)
        code_services.report_file(
            person=shopper,
            report=code_services.ReportInput(on=today, temperature_c=Decimal("36.6"), symptoms=[]),
            actor=shopper,
            by_proxy=False,
        )
        if i < 13:
            assert codes.code_state(person=shopper).color == "red", i
    _set(day0 + dt.timedelta(days=14), 8)
    assert codes.code_state(person=shopper).color == "green"
    assert tracing.orders_release_completed(actor=None) == 1
    released = QuarantineOrder.objects.get()
    assert released.status == "released" and released.site.occupied == 0

    # The patient recovers: the case closes and 14 days of centralized observation begin.
    closed = api.patch(f"/cases/{case_id}", {"status": "recovered"})
    assert closed.status_code == 200 and closed.json()["closed_on"] == "2020-02-24"
    state = codes.code_state(person=patient)
    assert state.color == "red"
    assert [r.code for r in state.reasons] == ["post_discharge"]
