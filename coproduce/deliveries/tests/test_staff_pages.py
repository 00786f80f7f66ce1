"""Runs given to volunteers, the volunteer's own runs, and the household's feedback, through
the pages; other organizations and other households are refused."""

from decimal import Decimal

import pytest
from django.test import Client

from conftest import FUYANG_AREA
from coproduce.accounts.services import RoleSpec, user_create
from coproduce.deliveries import services
from coproduce.deliveries.models import DeliveryOrder, Feedback
from coproduce.people.selectors import person_of_user
from coproduce.people.services import household_create

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def order(resident, regions, coordinator):
    household = household_create(
        region=regions[FUYANG_AREA],
        label="1-1-101",
        members=[person_of_user(user=resident)],
        actor=coordinator,
    )
    return services.order_place(
        household=household,
        kind="groceries",
        by_proxy=False,
        actor=resident,
        lines=[services.LineInput(item="eggs", quantity=Decimal(2), unit_price=Decimal("12.00"))],
    )


@pytest.fixture
def run(order, coordinator, fuyang_org, regions):
    return services.run_create(
        region=regions["330111"], on=order.needed_on, organization=fuyang_org, actor=coordinator
    )


def test_coordinator_gives_a_run_to_a_volunteer_who_sees_it_in_their_runs(
    run, coordinator, volunteer
):
    c = client_for(coordinator)
    listing = c.get("/deliveries/runs/all/")
    assert listing.status_code == 200 and f'data-run="{run.pk}"' in listing.content.decode()
    assert (
        c.post(f"/deliveries/runs/{run.pk}/assign/", {"assignee": "volunteer"}).status_code == 302
    )
    run.refresh_from_db()
    assert run.assignee == volunteer
    mine = client_for(volunteer).get("/deliveries/runs/mine/")
    assert mine.status_code == 200 and f'data-run="{run.pk}"' in mine.content.decode()


def test_another_organization_cannot_give_the_run(run, yuhang_org, outsider, volunteer):
    yuhang = user_create(
        username="yuhang_coord",
        password="a-long-test-password",
        roles=[RoleSpec("cbo_coordinator", "330110", yuhang_org.pk)],
        check_password=False,
    )
    assert (
        client_for(yuhang)
        .post(f"/deliveries/runs/{run.pk}/assign/", {"assignee": "volunteer"})
        .status_code
        == 404
    )
    assert client_for(outsider).get("/deliveries/runs/all/").status_code == 403
    assert client_for(outsider).get("/deliveries/runs/mine/").status_code == 403
    # A volunteer may not give runs out.
    assert (
        client_for(volunteer)
        .post(f"/deliveries/runs/{run.pk}/assign/", {"assignee": "volunteer"})
        .status_code
        == 403
    )


def test_only_accounts_of_the_scope_can_take_a_run(run, coordinator, yuhang_org):
    user_create(
        username="far_volunteer",
        password="a-long-test-password",
        roles=[RoleSpec("volunteer", "330110", yuhang_org.pk)],
        check_password=False,
    )
    client_for(coordinator).post(
        f"/deliveries/runs/{run.pk}/assign/", {"assignee": "far_volunteer"}
    )
    run.refresh_from_db()
    assert run.assignee is None


def test_household_rates_a_delivered_order_once(
    run, order, resident, volunteer, coordinator, county_official
):
    services.order_deliver(order=order, handover_code=order.handover_code, actor=coordinator)
    home = client_for(resident).get("/deliveries/").content.decode()
    assert f"/deliveries/orders/{order.pk}/feedback/" in home
    assert (
        client_for(county_official).get(f"/deliveries/orders/{order.pk}/feedback/").status_code
        == 404
    )
    missing = client_for(resident).post(
        f"/deliveries/orders/{order.pk}/feedback/", {"comment": "Kind"}
    )
    assert missing.status_code == 422 and "Kind" in missing.content.decode()
    done = client_for(resident).post(
        f"/deliveries/orders/{order.pk}/feedback/", {"rating": "5", "comment": "Kind"}
    )
    assert done.status_code == 302 and Feedback.objects.get().rating == 5
    again = client_for(resident).post(f"/deliveries/orders/{order.pk}/feedback/", {"rating": "4"})
    assert again.status_code == 422 and Feedback.objects.count() == 1
    assert DeliveryOrder.objects.get().status == "delivered"


def test_a_volunteer_orders_for_a_household_found_with_the_picker(
    resident, regions, coordinator, volunteer
):
    household_create(
        region=regions[FUYANG_AREA],
        label="2-1-201",
        members=[person_of_user(user=resident)],
        actor=coordinator,
    )
    person = person_of_user(user=resident)
    c = client_for(volunteer)
    found = c.get(
        "/people/pick/", {"perm": "deliveries.proxy", "name": "person", "person_q": "Wang"}
    )
    assert person.public_id in found.content.decode()
    done = c.post(
        "/deliveries/orders/for/",
        {"person": person.public_id, "kind": "groceries", "qty-eggs": "2"},
    )
    assert done.status_code == 302, done.content.decode()[:3000]
    order = DeliveryOrder.objects.get()
    assert order.by_proxy and order.household_id == person.household_id


def test_ordering_for_someone_outside_the_scope_is_refused(
    resident, regions, coordinator, yuhang_org
):
    household_create(
        region=regions[FUYANG_AREA],
        label="2-1-202",
        members=[person_of_user(user=resident)],
        actor=coordinator,
    )
    far = user_create(
        username="far_vol",
        password="a-long-test-password",
        roles=[RoleSpec("volunteer", "330110", yuhang_org.pk)],
        check_password=False,
    )
    page = client_for(far).post(
        "/deliveries/orders/for/",
        {"person": person_of_user(user=resident).public_id, "kind": "groceries", "qty-eggs": "1"},
    )
    assert page.status_code == 422 and not DeliveryOrder.objects.exists()
