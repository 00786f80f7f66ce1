"""/dashboard/{code} within the caller's scope, its exports, the public figures and pages."""

import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from openpyxl import load_workbook

from conftest import FUYANG_AREA, YUHANG_AREA, valid_national_id
from coproduce.core import clock
from coproduce.core.models import Tally, TallyMark
from coproduce.people.services import person_register
from coproduce.places.models import Presence
from coproduce.places.services import place_create, presence_record
from coproduce.regions.models import Region
from coproduce.scheduler.figures import tallies_refresh, tallies_refresh_due
from coproduce.tracing.services import case_report

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def outbreak(settings, regions, province_admin):
    """Three confirmed cases in Fuyang (two on 3 Feb, one on 5 Feb), one in Yuhang (5 Feb)."""
    settings.COPRODUCE_EXERCISE = True
    serial = 500
    for day, area in ((3, FUYANG_AREA), (3, FUYANG_AREA), (5, FUYANG_AREA), (5, YUHANG_AREA)):
        clock.exercise_clock_set(moment=datetime(2020, 2, day, 9, tzinfo=TZ), actor=province_admin)
        serial += 1
        person = person_register(
            national_id=valid_national_id(serial, area=area[:6]),
            name=f"Case {serial}",
            phone=f"139{serial:08d}",
            home_region=area,
            actor=None,
        )
        case_report(
            person=person, status="confirmed", test_date=date(2020, 2, day), actor=province_admin
        )
    clock.exercise_clock_set(moment=datetime(2020, 2, 6, 10, tzinfo=TZ), actor=province_admin)
    tallies_refresh(settled=True)


def test_the_county_official_sees_the_curve_of_their_county(outbreak, api_as, county_official):
    r = api_as(county_official).get("/dashboard/330111?date=2020-02-06")
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["region"]["code"] == "330111"
    cases = body["panels"]["cases"]
    assert (cases["new"], cases["cumulative"]) == (3, 3)
    by_day = {p["date"]: (p["new"], p["cumulative"]) for p in cases["series"]}
    assert by_day["2020-02-03"] == (2, 2)
    assert by_day["2020-02-05"] == (1, 3)
    assert set(body["panels"]["codes"]) >= {"green", "yellow", "red"}
    assert {"checkpoints", "tracing", "volunteers", "relief", "deliveries", "coproduction"} <= set(
        body["panels"]
    )


def test_the_province_sees_every_county_and_a_date_cuts_the_curve(
    outbreak, api_as, province_official
):
    cases = api_as(province_official).get("/dashboard/330000?date=2020-02-04").json()
    assert cases["panels"]["cases"]["cumulative"] == 2
    cases = api_as(province_official).get("/dashboard/330000?date=2020-02-06").json()
    assert cases["panels"]["cases"]["cumulative"] == 4


@pytest.mark.parametrize("code", ["330110", "330000", "330100", "999999"])
def test_an_official_sees_nothing_outside_their_scope(outbreak, api_as, county_official, code):
    client = api_as(county_official)
    assert client.get(f"/dashboard/{code}").status_code == 404
    assert client.get(f"/dashboard/{code}/cases.csv").status_code == 404
    assert client.get(f"/dashboard/{code}/cases.xlsx").status_code == 404


def test_others_are_refused(outbreak, api_as, other_official, outsider, volunteer):
    assert api_as(other_official).get("/dashboard/330111").status_code == 404
    assert api_as(outsider).get("/dashboard/330111").status_code == 404
    assert api_as(volunteer).get("/dashboard/330111").status_code == 404
    assert api_as(None).get("/dashboard/330111").status_code == 401


def test_a_panel_downloads_as_csv_and_xlsx_with_its_zone(outbreak, api_as, county_official):
    client = api_as(county_official)
    r = client.get("/dashboard/330111/cases.csv?date=2020-02-06")
    assert r.status_code == 200
    lines = r.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "key,label,unit,date (Asia/Shanghai),value"
    assert "cumulative,Cumulative confirmed cases,count,2020-02-05,3" in lines
    r = client.get("/dashboard/330111/coproduction.xlsx?date=2020-02-06")
    assert r.status_code == 200
    sheet = load_workbook(io.BytesIO(r.content)).active
    assert next(sheet.iter_rows(values_only=True))[:4] == ("stage", "role", "table_1", "measure")
    assert client.get("/dashboard/330111/nothing.csv").status_code == 404


def test_public_figures_need_no_sign_in_and_hide_small_counts(outbreak, api_as):
    body = api_as(None).get("/public/regions/330111").json()
    assert body["risk"] in {"low", "medium", "high"}
    assert body["stage"] in {1, 2, 3}
    counts = body["counts"]
    assert counts["cases"]["cumulative"] == "<5"
    for panel in counts.values():
        for value in panel.values():
            assert not isinstance(value, int) or value >= 5
    assert api_as(None).get("/public/regions/999999").status_code == 404


def test_the_region_page_drills_down_and_exports(outbreak, province_official):
    client = Client()
    client.force_login(province_official)
    r = client.get("/dashboard/", follow=True)
    assert r.redirect_chain[-1][0] == "/dashboard/330000/"
    page = r.content.decode()
    assert 'href="/dashboard/330100/' in page
    assert 'id="curve"' in page and 'id="map"' in page
    assert "/regions/330000/children.geojson" in page  # one boundary source: regions.geo
    r = client.get("/dashboard/330111/?date=2020-02-06")
    assert r.status_code == 200
    assert "/dashboard/330111/cases.csv" not in r.content.decode()  # the curve has its own card
    assert client.get("/dashboard/330111/codes.csv").status_code == 200
    assert client.get("/dashboard/330111/relief.xlsx").status_code == 200


def test_the_region_page_is_404_outside_the_scope(outbreak, county_official, outsider):
    client = Client()
    client.force_login(county_official)
    assert client.get("/dashboard/330110/").status_code == 404
    assert client.get("/dashboard/330110/codes.csv").status_code == 404
    client.force_login(outsider)
    assert client.get("/dashboard/330111/").status_code == 404


def test_visitors_see_the_public_figures_and_signed_in_people_their_home(outbreak, county_official):
    page = Client().get("/").content.decode()
    assert "/relief/transparency/" in page
    assert 'action="/login/"' in page
    assert "&lt;5" in page
    public = Client().get("/public/regions/330111/")
    assert public.status_code == 200 and "&lt;5" in public.content.decode()
    client = Client()
    client.force_login(county_official)
    home = client.get("/").content.decode()
    assert "/dashboard/" in home and 'action="/login/"' not in home


def test_a_log_is_counted_once_its_writers_have_surely_committed(outbreak, province_admin):
    """Unsettled, a refresh counts up to the highest id seen at the refresh before."""
    place = place_create(
        name="Market", kind="supermarket", region=Region.objects.get(code=FUYANG_AREA), actor=None
    )
    person = person_register(
        national_id=valid_national_id(900),
        name="P",
        phone="13900000900",
        home_region=FUYANG_AREA,
        actor=None,
    )
    moment = datetime(2020, 2, 6, 9, tzinfo=TZ)
    for i in range(3):
        presence_record(
            person=person,
            place=place,
            at=moment + timedelta(minutes=i),
            kind="visit",
            source=f"t{i}",
        )

    def counted():
        row = Tally.objects.filter(region="330111", key="places.presences", day="2020-02-06")
        return int(row.values_list("value", flat=True).first() or 0)

    tallies_refresh()
    assert counted() == 0  # seen, not yet counted
    tallies_refresh()
    assert counted() == 3
    tallies_refresh()
    assert counted() == 3  # never twice
    assert Presence.objects.count() == 3


def test_the_scheduler_refreshes_once_per_interval(outbreak, settings):
    settings.TALLY_REFRESH_SECONDS, settings.TALLY_GAUGE_SECONDS = 60, 600
    TallyMark.objects.filter(source__in=["refresh", "refresh-gauges"]).delete()
    first = tallies_refresh_due()
    assert "coproduce.places.tallies" in first
    assert "equity.people.registered" in {
        t.key for t in Tally.objects.filter(region="330111", key__startswith="equity.people.")
    }
    assert tallies_refresh_due() is None
