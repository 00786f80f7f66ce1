"""Staff pages for people: the list in scope, one record (audited), duplicates and merge."""

import pytest

from conftest import FUYANG_AREA, YUHANG_AREA
from coproduce.core.models import AuditEvent
from coproduce.people.models import Person
from coproduce.people.services import person_record_unregistered

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(regions):
    return {
        "fuyang": person_record_unregistered(
            name="Fuyang Person", phone="13800000001", home_region=FUYANG_AREA, actor=None
        ),
        "yuhang": person_record_unregistered(
            name="Yuhang Person", home_region=YUHANG_AREA, actor=None
        ),
    }


def test_the_list_shows_only_people_in_scope(client, county_official, people):
    client.force_login(county_official)
    html = client.get("/people/").content.decode()
    assert "Fuyang Person" in html and "Yuhang Person" not in html


def test_the_list_of_another_county(client, other_official, people):
    client.force_login(other_official)
    html = client.get("/people/").content.decode()
    assert "Yuhang Person" in html and "Fuyang Person" not in html


def test_the_search_answers_htmx_with_rows_only(client, county_official, people):
    client.force_login(county_official)
    answer = client.get("/people/?q=Fuyang", headers={"HX-Request": "true"})
    html = answer.content.decode()
    assert "Fuyang Person" in html
    assert "<html" not in html and "<tr>" in html


def test_the_list_is_refused_to_residents_and_outsiders(client, resident, outsider):
    for user in (resident, outsider):
        client.force_login(user)
        answer = client.get("/people/")
        assert answer.status_code == 403
        assert "This page is not for you" in answer.content.decode()


def test_the_list_asks_an_anonymous_visitor_to_sign_in(client, regions):
    answer = client.get("/people/")
    assert answer.status_code == 302 and "/login/" in answer["Location"]


def test_opening_a_record_is_audited(client, county_official, people):
    client.force_login(county_official)
    person = people["fuyang"]
    answer = client.get(f"/people/{person.public_id}/", REMOTE_ADDR="10.0.0.9")
    assert answer.status_code == 200
    assert "Fuyang Person" in answer.content.decode()
    event = AuditEvent.objects.get(action="people.view")
    assert (event.actor, event.object_id) == (county_official, str(person.pk))
    assert event.origin_ip == "10.0.0.9"
    assert event.origin_path == f"/people/{person.public_id}/"


def test_a_record_of_another_county_is_not_found_and_not_audited(client, county_official, people):
    client.force_login(county_official)
    answer = client.get(f"/people/{people['yuhang'].public_id}/")
    assert answer.status_code == 404
    assert "Yuhang Person" not in answer.content.decode()
    assert not AuditEvent.objects.filter(action="people.view").exists()


def test_duplicates_page_lists_and_merges(client, county_official, people):
    twin = person_record_unregistered(
        name="Fuyang Person", phone="13800000001", home_region=FUYANG_AREA, actor=None
    )
    client.force_login(county_official)
    html = client.get("/people/duplicates/").content.decode()
    assert "same phone" in html and "Merge these records" in html
    answer = client.post(
        "/people/duplicates/", {"keep": people["fuyang"].public_id, "remove": twin.public_id}
    )
    assert answer.status_code == 302
    twin.refresh_from_db()
    assert twin.status == Person.Status.MERGED
    html = client.get("/people/duplicates/").content.decode()
    assert "were merged" in html and "No possible duplicates" in html


def test_a_coordinator_cannot_merge_from_the_page(client, coordinator, people):
    twin = person_record_unregistered(
        name="Fuyang Person", phone="13800000001", home_region=FUYANG_AREA, actor=None
    )
    client.force_login(coordinator)
    assert client.get("/people/duplicates/").status_code == 200
    answer = client.post(
        "/people/duplicates/", {"keep": people["fuyang"].public_id, "remove": twin.public_id}
    )
    assert answer.status_code == 403
    twin.refresh_from_db()
    assert twin.status == Person.Status.UNREGISTERED


def test_a_failed_merge_is_shown_as_a_message(client, county_official, people):
    client.force_login(county_official)
    person = people["fuyang"].public_id
    answer = client.post("/people/duplicates/", {"keep": person, "remove": person}, follow=True)
    assert "cannot be merged into itself" in answer.content.decode()
