"""The checkpoint pages: each renders for the right role, refuses others, and its forms write."""

import pytest

from conftest import _user
from coproduce.accounts.services import RoleSpec
from coproduce.checkpoints import services
from coproduce.checkpoints.models import Checkpoint, Shift, ShiftAssignment
from coproduce.checkpoints.tests.conftest import NOW
from coproduce.orgs.services import member_add

pytestmark = pytest.mark.django_db


def signed_in(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "path",
    ["", "{id}/", "{id}/place-code/", "{id}/shifts/", "{id}/stats/", "stats/?region=330111"],
)
def test_official_pages_render(client, county_official, checkpoint, path):
    answer = signed_in(client, county_official).get("/checkpoints/" + path.format(id=checkpoint.pk))
    assert answer.status_code == 200
    assert b"Qiuyue Area 1 gate" in answer.content or b"330111" in answer.content


def test_scanner_page_is_for_the_operating_staff(client, checkpoint_staff, checkpoint):
    answer = signed_in(client, checkpoint_staff).get(f"/checkpoints/{checkpoint.pk}/scanner/")
    assert answer.status_code == 200
    assert b"scanner-config" in answer.content and b"jsQR.js" in answer.content
    assert b"2020-02-12T02:0" in answer.content  # the platform's clock, not the device's


def test_pages_refuse_outsiders_other_counties_and_other_organizations(
    client, checkpoint, outsider, other_official, other_org_staff
):
    assert signed_in(client, outsider).get("/checkpoints/").status_code == 403
    assert (
        signed_in(client, other_official).get(f"/checkpoints/{checkpoint.pk}/").status_code == 404
    )
    assert (
        signed_in(client, other_org_staff).get(f"/checkpoints/{checkpoint.pk}/scanner/").status_code
        == 404
    )
    listed = signed_in(client, other_official).get("/checkpoints/")
    assert b"Qiuyue Area 1 gate" not in listed.content


def test_place_code_page_shows_a_readable_qr(client, county_official, checkpoint):
    answer = signed_in(client, county_official).get(f"/checkpoints/{checkpoint.pk}/place-code/")
    assert f"CPP:{checkpoint.place.code}".encode() in answer.content
    assert b"<svg" in answer.content


def test_coordinator_opens_a_checkpoint_from_the_page(client, coordinator, fuyang_org):
    answer = signed_in(client, coordinator).post(
        "/checkpoints/",
        {
            "name": "Market gate",
            "kind": "supermarket",
            "region": "330111001001001",
            "operator_org": fuyang_org.pk,
            "minimum_staff": "2",
        },
    )
    checkpoint = Checkpoint.objects.get()
    assert answer.status_code == 302 and answer.url == f"/checkpoints/{checkpoint.pk}/"
    assert checkpoint.minimum_staff == 2 and checkpoint.place.operator == fuyang_org
    bad = client.post("/checkpoints/", {"name": "", "kind": "castle", "region": "330111"})
    assert bad.status_code == 302 and Checkpoint.objects.count() == 1


def test_shift_page_plans_and_assigns(client, coordinator, checkpoint, fuyang_org):
    member = _user("helper", RoleSpec("volunteer", "330111", fuyang_org.pk))
    member_add(organization=fuyang_org, user=member, actor=coordinator, kind="volunteer")
    page = signed_in(client, coordinator)
    url = f"/checkpoints/{checkpoint.pk}/shifts/?day={NOW.date().isoformat()}"
    page.post(url, {"action": "plan", "hours": "12", "capacity": "1"})
    assert Shift.objects.count() == 2
    shift = Shift.objects.first()
    page.post(url, {"action": "assign", "shift": shift.pk, "user": member.pk})
    assert ShiftAssignment.objects.get().user == member
    html = page.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "helper" in html and "12 hours short" in html
    assert "<html" not in html  # the htmx partial


def test_resident_visit_page_renders(client, resident):
    answer = signed_in(client, resident).get("/checkpoints/visit/")
    assert answer.status_code == 200 and b"visit-config" in answer.content


def test_shift_assignment_endpoints_refuse_outsiders_and_other_counties(
    api_as, checkpoint, county_official, coordinator, fuyang_org, outsider, other_official
):
    member = _user("helper", RoleSpec("volunteer", "330111", fuyang_org.pk))
    member_add(organization=fuyang_org, user=member, actor=coordinator, kind="volunteer")
    shift = services.shift_create(
        checkpoint=checkpoint,
        starts_at=NOW.replace(hour=0),
        ends_at=NOW.replace(hour=8),
        capacity=1,
        actor=county_official,
    )
    assignment = services.shift_assign(shift=shift, user=member, actor=coordinator)
    for user in (outsider, other_official):
        client = api_as(user)
        path = f"/shift-assignments/{assignment.pk}"
        assert client.patch(path, {"status": "completed"}).status_code == 403
        assert client.delete(path).status_code == 403
    assert api_as(coordinator).patch(
        f"/shift-assignments/{assignment.pk}", {"status": "completed"}
    ).json() == {"id": assignment.pk, "status": "completed"}
