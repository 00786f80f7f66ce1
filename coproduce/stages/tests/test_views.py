"""The stage pages: an official sees the stage with Table 1, answers a suggestion, sets a stage;
the home page puts the current stage's modules first."""

import pytest

from coproduce.accounts.services import RoleSpec, user_create
from coproduce.stages.models import RegionStage, SuggestionDecision

pytestmark = pytest.mark.django_db


def test_the_official_sees_the_stage_and_table_1(client, county_official, clock_at):
    clock_at(2020, 2, 12)
    client.force_login(county_official)
    page = client.get("/stages/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-stage="1"' in html and "Assisting enterprises with production resumption" in html


def test_a_region_outside_the_scope_is_not_found(client, county_official, regions):
    client.force_login(county_official)
    assert client.get("/stages/330110/").status_code == 404
    assert client.post("/stages/330110/set/", {"stage": 2}).status_code == 404
    assert RegionStage.objects.count() == 0


@pytest.mark.parametrize("user", ["coordinator", "resident", "outsider"])
def test_other_roles_are_refused(client, request, user, regions):
    client.force_login(request.getfixturevalue(user))
    assert client.get("/stages/").status_code == 403


def test_setting_a_stage_through_the_page(client, county_official, clock_at):
    clock_at(2020, 2, 12)
    client.force_login(county_official)
    answer = client.post("/stages/330111/set/", {"stage": 2, "effective_from": "2020-02-10"})
    assert answer.status_code == 302
    assert RegionStage.objects.get().stage == 2
    bad = client.post("/stages/330111/set/", {"stage": 7, "effective_from": "soon"})
    assert bad.status_code == 422
    html = bad.content.decode()
    assert "Select a valid choice" in html and 'value="soon"' in html
    assert RegionStage.objects.count() == 1


def test_answering_a_suggestion_through_the_page(client, county_official, confirmed_case, clock_at):
    clock_at(2020, 2, 10)
    client.force_login(county_official)
    client.post("/stages/330111/set/", {"stage": 2, "effective_from": "2020-02-10"})
    confirmed_case(2020, 2, 16)
    clock_at(2020, 3, 1)
    page = client.get("/stages/330111/").content.decode()
    assert "No new local confirmed case for 14 days." in page
    client.post("/stages/330111/suggestion/", {"stage": 3, "decision": "accepted"})
    assert SuggestionDecision.objects.get().decision == "accepted"
    after = client.get("/stages/330111/").content.decode()
    assert 'class="card suggestion"' not in after and 'data-stage="3"' in after


def test_the_page_speaks_chinese(client, county_official, clock_at):
    clock_at(2020, 2, 12)
    client.force_login(county_official)
    html = client.get("/stages/", headers={"accept-language": "zh-hans"}).content.decode()
    assert "协助企业复工复产" in html


def test_home_puts_the_modules_of_the_current_stage_first(client, regions, clock_at):
    clock_at(2020, 3, 2)
    user = user_create(
        username="both",
        password="a-long-test-password",
        roles=[RoleSpec("health_official", "330111"), RoleSpec("cbo_coordinator", "330111")],
        check_password=False,
    )
    client.force_login(user)

    def position(html, name):
        return html.index(f'data-module="{name}"')

    html = client.get("/").content.decode()
    assert position(html, "relief") < position(html, "people")  # stage 1: donations come first
    client.post("/stages/330111/set/", {"stage": 3, "effective_from": "2020-03-01"})
    html = client.get("/").content.decode()
    assert position(html, "people") < position(html, "relief")  # stage 3: relief is not its role
    assert position(html, "tracing") < position(html, "people")
    assert 'class="card stage-banner" data-stage="3"' in html
