"""The person and region pickers: found by name, phone or the ID's last four, only in scope."""

import pytest
from django.test import Client

from conftest import FUYANG_AREA, YUHANG_AREA, valid_national_id
from coproduce.people.services import person_register

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def people(regions, county_official):
    near = person_register(
        national_id=valid_national_id(21),
        name="Zhou Ming",
        phone="13911112222",
        home_region=FUYANG_AREA,
        actor=county_official,
    )
    far = person_register(
        national_id=valid_national_id(22, area="330110"),
        name="Zhou Far",
        phone="13933334444",
        home_region=YUHANG_AREA,
        actor=None,
    )
    return near, far


def pick(user, q, perm="tracing.cases.manage"):
    return client_for(user).get("/people/pick/", {"perm": perm, "name": "person", "person_q": q})


def test_a_person_is_found_by_name_phone_or_the_ids_last_four(people, county_official):
    near, far = people
    for query in ("Zhou", "1391111", near.national_id_last4):
        text = pick(county_official, query).content.decode()
        assert f'data-person="{near.public_id}"' in text, query
        assert far.public_id not in text, query


def test_the_other_county_finds_only_its_own(people, other_official):
    near, far = people
    text = pick(other_official, "Zhou").content.decode()
    assert far.public_id in text and near.public_id not in text


def test_choosing_shows_the_person_and_refuses_one_out_of_scope(people, county_official):
    near, far = people
    c = client_for(county_official)
    chosen = c.get(
        "/people/pick/",
        {"perm": "tracing.cases.manage", "name": "person", "chosen": near.public_id},
    )
    assert chosen.status_code == 200 and f'value="{near.public_id}"' in chosen.content.decode()
    refused = c.get(
        "/people/pick/", {"perm": "tracing.cases.manage", "name": "person", "chosen": far.public_id}
    )
    assert refused.status_code == 404


def test_the_picker_is_refused_without_the_permission_or_for_an_unlisted_one(
    people, checkpoint_staff, outsider, county_official
):
    assert pick(outsider, "Zhou").status_code == 403
    assert pick(checkpoint_staff, "Zhou", perm="checkpoints.scan").status_code == 403
    assert pick(county_official, "Zhou", perm="nonsense").status_code == 403
    bad_name = client_for(county_official).get(
        "/people/pick/", {"perm": "people.view", "name": 'a"b'}
    )
    assert bad_name.status_code == 404


def region_pick(user, **params):
    return client_for(user).get(
        "/regions/pick/", {"perm": "regions.set_risk", "name": "region", **params}
    )


def test_regions_drill_down_from_the_callers_own_and_search_by_name(regions, county_official):
    start = region_pick(county_official, chosen="").content.decode()
    assert 'data-region="330111"' in start and 'data-region="330110"' not in start
    down = region_pick(county_official, chosen="330111").content.decode()
    assert 'data-region="330111001"' in down
    found = region_pick(county_official, region_q="Qiuyue").content.decode()
    assert 'data-region="330111001001"' in found
    assert "Donghu" not in region_pick(county_official, region_q="Donghu").content.decode()
    assert region_pick(county_official, chosen="330110").status_code == 404
    found_zh = region_pick(county_official, region_q="秋月").content.decode()
    assert 'data-region="330111001001001"' in found_zh


def test_region_picker_refuses_callers_without_the_permission(regions, outsider, tracer):
    assert region_pick(outsider, chosen="").status_code == 403
    assert region_pick(tracer, chosen="").status_code == 403
