"""Teams and their members, and voiding a confirmed record, through the pages; scope refusals."""

import pytest
from django.test import Client

from coproduce.volunteers import services
from coproduce.volunteers.models import ServiceRecord, Team
from coproduce.volunteers.tests.conftest import make_volunteer

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_coordinator_makes_a_team_and_adds_a_member(coordinator, fuyang_org, vol):
    c = client_for(coordinator)
    made = c.post(
        "/volunteers/teams/",
        {"organization": fuyang_org.pk, "name": "Gate squad", "region": "330111"},
    )
    assert made.status_code == 302
    team = Team.objects.get()
    added = c.post(f"/volunteers/teams/{team.pk}/members/", {"volunteer": vol.public_id})
    assert added.status_code == 302 and list(team.members.all()) == [vol]
    assert "Chen Jie" in c.get("/volunteers/teams/").content.decode()


def test_a_team_outside_the_scope_is_refused(
    coordinator, fuyang_org, yuhang_org, other_official, outsider, vol
):
    c = client_for(coordinator)
    refused = c.post(
        "/volunteers/teams/", {"organization": fuyang_org.pk, "name": "Far", "region": "330110"}
    )
    assert refused.status_code == 422 and not Team.objects.exists()
    assert 'value="Far"' in refused.content.decode()
    team = services.team_create(
        organization=yuhang_org, name="Yuhang squad", region=yuhang_org.home_region, actor=None
    )
    assert (
        c.post(f"/volunteers/teams/{team.pk}/members/", {"volunteer": vol.public_id}).status_code
        == 404
    )
    assert client_for(outsider).get("/volunteers/teams/").status_code == 403
    assert "Yuhang squad" not in c.get("/volunteers/teams/").content.decode()


def test_a_volunteer_of_another_organization_cannot_be_added(
    coordinator, fuyang_org, yuhang_org, vol
):
    team = services.team_create(
        organization=fuyang_org, name="Squad", region=fuyang_org.home_region, actor=coordinator
    )
    from coproduce.accounts.services import RoleSpec, user_create
    from coproduce.regions.models import Region

    user = user_create(
        username="far",
        password="a-long-test-password",
        roles=[RoleSpec("volunteer", "330110", yuhang_org.pk)],
        check_password=False,
    )
    far = services.volunteer_register(
        actor=user,
        user=user,
        name="Far Away",
        home_region=Region.objects.get(code="330110001001001"),
        skills=[],
        organization=yuhang_org,
    )
    client_for(coordinator).post(
        f"/volunteers/teams/{team.pk}/members/", {"volunteer": far.public_id}
    )
    assert not team.members.exists()


def test_an_official_voids_a_confirmed_record_after_giving_a_reason(
    pending_record, coordinator, county_official, other_official
):
    services.service_record_confirm(record=pending_record, actor=coordinator)
    c = client_for(county_official)
    listing = c.get("/volunteers/records/confirmed/")
    assert (
        listing.status_code == 200
        and f'data-record="{pending_record.pk}"' in listing.content.decode()
    )
    assert client_for(coordinator).get("/volunteers/records/confirmed/").status_code == 403
    assert (
        client_for(other_official).get(f"/volunteers/records/{pending_record.pk}/void/").status_code
        == 404
    )
    empty = c.post(f"/volunteers/records/{pending_record.pk}/void/", {"reason": ""})
    assert empty.status_code == 422
    pending_record.refresh_from_db()
    assert pending_record.status == "confirmed"
    done = c.post(f"/volunteers/records/{pending_record.pk}/void/", {"reason": "Never came"})
    assert done.status_code == 302
    pending_record.refresh_from_db()
    assert pending_record.status == ServiceRecord.Status.VOIDED


def test_member_choices_hold_only_the_scope(coordinator, fuyang_org, vol):
    make_volunteer("li", fuyang_org)
    page = client_for(coordinator).get("/volunteers/teams/")
    assert page.status_code == 200
