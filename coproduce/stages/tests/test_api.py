"""The stage endpoints of API.md: GET and PUT /regions/{code}/stage, suggestions answered."""

from datetime import date

import pytest

from coproduce.core.models import AuditEvent
from coproduce.stages.models import RegionStage

pytestmark = pytest.mark.django_db


def test_a_region_without_a_setting_is_in_stage_1_with_table_1_roles(api_as, regions):
    answer = api_as(None).get("/regions/330111/stage")
    assert answer.status_code == 200
    body = answer.json()
    assert body["stage"] == 1 and body["since"] is None
    assert body["roles"] == ["tracing", "donations_supplies", "community_services"]
    assert body["suggestion"] is None


def test_an_official_sets_the_stage_and_the_county_below_inherits_the_province(
    api_as, province_admin, county_official, clock_at
):
    clock_at(2020, 2, 12)
    answer = api_as(province_admin).put(
        "/regions/330000/stage", {"stage": 2, "effective_from": "2020-02-10"}
    )
    assert answer.status_code == 200, answer.content
    body = api_as(county_official).get("/regions/330111/stage").json()
    assert body["stage"] == 2 and body["since"] == "2020-02-10" and body["set_in"] == "330000"
    assert "production_resumption" in body["roles"]
    assert AuditEvent.objects.filter(action="stages.set").count() == 1


def test_the_same_setting_twice_is_stored_once(api_as, county_official, clock_at):
    clock_at(2020, 2, 12)
    for _ in range(2):
        api_as(county_official).put(
            "/regions/330111/stage", {"stage": 2, "effective_from": "2020-02-10"}
        )
    assert RegionStage.objects.count() == 1


def test_an_official_of_another_county_may_not_set_the_stage(api_as, other_official, regions):
    answer = api_as(other_official).put(
        "/regions/330111/stage", {"stage": 2, "effective_from": "2020-02-10"}
    )
    assert answer.status_code == 403
    assert RegionStage.objects.count() == 0


@pytest.mark.parametrize("user", ["outsider", "coordinator", "resident"])
def test_other_roles_may_not_set_the_stage(api_as, request, user, regions):
    answer = api_as(request.getfixturevalue(user)).put(
        "/regions/330111/stage", {"stage": 3, "effective_from": "2020-03-01"}
    )
    assert answer.status_code == 403
    assert api_as(None).put("/regions/330111/stage", {"stage": 3}).status_code == 401


@pytest.mark.parametrize(
    "body, field",
    [
        ({"stage": 4, "effective_from": "2020-02-10"}, "stage"),
        ({"stage": "two", "effective_from": "2020-02-10"}, "stage"),
        ({"stage": 2, "effective_from": "yesterday"}, "effective_from"),
        ({"stage": 2}, "effective_from"),
        ({"stage": 2, "effective_from": "2020-02-10", "note": "x" * 301}, "note"),
        ({"stage": 2, "effective_from": "0001-01-01"}, "effective_from"),
    ],
)
def test_bad_input_names_its_field_and_changes_nothing(api_as, county_official, body, field):
    answer = api_as(county_official).put("/regions/330111/stage", body)
    assert answer.status_code == 422, answer.content
    assert field in str(answer.json()["error"]["fields"])
    assert RegionStage.objects.count() == 0


def test_an_unknown_region_is_404(api_as, county_official):
    assert api_as(county_official).get("/regions/999999/stage").status_code == 404


def test_the_suggestion_is_shown_to_the_region_officials_only(
    api_as, county_official, other_official, confirmed_case, clock_at
):
    api_as(county_official).put(
        "/regions/330111/stage", {"stage": 2, "effective_from": "2020-02-10"}
    )
    confirmed_case(2020, 2, 16)
    clock_at(2020, 3, 1)
    mine = api_as(county_official).get("/regions/330111/stage").json()
    assert mine["suggestion"]["stage"] == 3 and mine["suggestion"]["reason"] == "no_case_long"
    assert api_as(other_official).get("/regions/330111/stage").json()["suggestion"] is None
    assert api_as(None).get("/regions/330111/stage").json()["suggestion"] is None


def test_accepting_a_suggestion_sets_the_stage_from_today_and_it_goes_away(
    api_as, county_official, confirmed_case, clock_at
):
    api_as(county_official).put(
        "/regions/330111/stage", {"stage": 2, "effective_from": "2020-02-10"}
    )
    confirmed_case(2020, 2, 16)
    clock_at(2020, 3, 1)
    answer = api_as(county_official).post(
        "/regions/330111/stage/suggestion", {"stage": 3, "decision": "accepted"}
    )
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["stage"] == 3 and body["since"] == "2020-03-01" and body["suggestion"] is None
    again = api_as(county_official).post(
        "/regions/330111/stage/suggestion", {"stage": 3, "decision": "accepted"}
    )
    assert again.status_code == 409


def test_a_dismissed_suggestion_returns_only_when_the_evidence_changes(
    api_as, county_official, confirmed_case, clock_at
):
    api_as(county_official).put(
        "/regions/330111/stage", {"stage": 3, "effective_from": "2020-03-01"}
    )
    confirmed_case(2020, 3, 5, cluster="F-2")
    confirmed_case(2020, 3, 6, cluster="F-2")
    clock_at(2020, 3, 6, hour=12)
    client = api_as(county_official)
    assert client.get("/regions/330111/stage").json()["suggestion"]["stage"] == 1
    dismissed = client.post(
        "/regions/330111/stage/suggestion", {"stage": 1, "decision": "dismissed"}
    )
    assert dismissed.status_code == 200
    assert dismissed.json()["suggestion"] is None
    assert client.get("/regions/330111/stage").json()["stage"] == 3
    confirmed_case(2020, 3, 8, cluster="F-3")
    confirmed_case(2020, 3, 8, cluster="F-3")
    confirmed_case(2020, 3, 8, cluster="F-3")
    back = client.get("/regions/330111/stage").json()["suggestion"]
    assert back["stage"] == 1 and "3" in back["text"]


def test_a_suggestion_not_in_force_cannot_be_answered(api_as, county_official, clock_at):
    clock_at(2020, 1, 25)
    answer = api_as(county_official).post(
        "/regions/330111/stage/suggestion", {"stage": 2, "decision": "accepted"}
    )
    assert answer.status_code == 409
    assert RegionStage.objects.count() == 0


def test_enterprises_resuming_and_seven_quiet_days_suggest_stage_2(
    api_as, county_official, province_admin, confirmed_case, clock_at, regions
):
    from coproduce.recovery.services.enterprises import enterprise_create
    from coproduce.recovery.services.reports import resumption_report_create

    confirmed_case(2020, 2, 3)
    clock_at(2020, 2, 10)
    made = [
        enterprise_create(
            actor=province_admin,
            name=f"Factory {i}",
            industry="textiles",
            size_class="small",
            workers_total=20,
            region=regions["330111001001001"],
        )
        for i in range(10)
    ]
    client = api_as(county_official)
    assert client.get("/regions/330111/stage").json()["suggestion"] is None  # nobody is open yet
    resumption_report_create(
        actor=province_admin,
        enterprise_id=made[0].pk,
        date=date(2020, 2, 10),
        open=True,
        workers_on_site=12,
    )
    suggestion = client.get("/regions/330111/stage").json()["suggestion"]
    assert suggestion["stage"] == 2 and suggestion["reason"] == "resumption_no_case"
