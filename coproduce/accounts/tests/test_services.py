"""Accounts: users with scoped roles, hashed API tokens, and the one permission helper."""

import pytest
from django.utils import timezone

from conftest import FUYANG_AREA, YUHANG_AREA
from coproduce.accounts.models import ApiToken, RoleAssignment
from coproduce.accounts.permissions import authorize, scope_for, scoped, user_roles
from coproduce.accounts.rules import Role
from coproduce.accounts.services import (
    RoleSpec,
    role_grant,
    token_authenticate,
    token_create,
    token_revoke,
    user_create,
)
from coproduce.core.errors import Conflict, NotAuthenticated, PermissionDenied, ValidationFailed
from coproduce.core.models import AuditEvent
from coproduce.regions.models import Region

pytestmark = pytest.mark.django_db


def test_user_create_grants_each_role_and_audits(regions, province_admin):
    user = user_create(
        username="official",
        password="a-long-test-password",
        roles=[RoleSpec("health_official", "330111"), RoleSpec("tracer", "330110")],
        actor=province_admin,
    )
    assert set(RoleAssignment.objects.filter(user=user).values_list("role", "region")) == {
        ("health_official", "330111"),
        ("tracer", "330110"),
    }
    assert user.check_password("a-long-test-password")
    assert AuditEvent.objects.filter(action="accounts.user_create", object_id=str(user.pk)).exists()
    grants = AuditEvent.objects.filter(action="accounts.role_grant", object_id=str(user.pk))
    assert grants.count() == 2 and {e.actor for e in grants} == {province_admin}
    assert RoleAssignment.objects.filter(user=user).first().granted_by == province_admin


def test_user_create_refuses_a_weak_password_an_unknown_role_or_region(regions):
    with pytest.raises(ValidationFailed) as failure:
        user_create(username="u1", password="123", roles=[])
    assert "password" in failure.value.fields
    with pytest.raises(ValidationFailed) as failure:
        user_create(username="u2", password=None, roles=[RoleSpec("mayor", "330111")])
    assert "role" in failure.value.fields
    with pytest.raises(ValidationFailed) as failure:
        user_create(username="u3", password=None, roles=[RoleSpec("tracer", "999")])
    assert "region" in failure.value.fields
    from coproduce.accounts.models import User

    assert not User.objects.filter(username__in=["u1", "u2", "u3"]).exists()


def test_a_taken_username_is_a_conflict(regions, county_official):
    with pytest.raises(Conflict):
        user_create(username="county_official", password=None, roles=[])


def test_an_admin_role_makes_a_staff_account(regions):
    user = user_create(username="boss", password=None, roles=[RoleSpec("admin", "330000")])
    assert user.is_staff and not user.has_usable_password()


def test_granting_a_role_twice_keeps_one(regions, tracer):
    role_grant(user=tracer, spec=RoleSpec("tracer", "330111"))
    assert RoleAssignment.objects.filter(user=tracer).count() == 1


def test_tokens_are_stored_hashed(regions, county_official):
    token, key = token_create(user=county_official, name="scanner")
    assert key.startswith("cpt_") and len(key) > 40
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert key not in " ".join(str(v) for v in stored.values())
    assert token.prefix == key[:10] and token.key_hash != key
    assert token_authenticate(key) == county_official


def test_a_revoked_or_wrong_token_does_not_authenticate(regions, county_official):
    token, key = token_create(user=county_official, name="scanner")
    assert token_authenticate(key + "x") is None
    assert token_authenticate("not-a-token") is None
    assert token_authenticate("cpt_" + "x" * 200) is None
    token_revoke(token=token)
    assert token_authenticate(key) is None
    assert AuditEvent.objects.filter(action="accounts.token_revoke").count() == 1


def test_a_token_revoked_by_another_process_stops_working_within_a_second(
    regions, county_official, monkeypatch
):
    from coproduce.core import sql

    now = [1000.0]
    monkeypatch.setattr(sql, "monotonic", lambda: now[0])
    token, key = token_create(user=county_official, name="scanner")
    assert token_authenticate(key) == county_official  # writes last_used_at, reads again next
    assert token_authenticate(key) == county_official
    # Another worker process revokes it: no signal reaches this one.
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    now[0] += 0.5
    assert token_authenticate(key) == county_official  # kept for at most a second
    now[0] += 0.6
    assert token_authenticate(key) is None


def test_a_token_of_a_deactivated_user_does_not_authenticate(regions, county_official):
    _, key = token_create(user=county_official, name="scanner")
    county_official.is_active = False
    county_official.save()
    assert token_authenticate(key) is None


def test_token_use_is_stamped(regions, county_official):
    token, key = token_create(user=county_official, name="scanner")
    token_authenticate(key)
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_authorize_refuses_a_permission_not_held(regions, resident, outsider):
    with pytest.raises(PermissionDenied):
        authorize(resident, "people.view")
    with pytest.raises(PermissionDenied):
        authorize(outsider, "people.register")


def test_authorize_refuses_a_region_outside_the_scope(regions, county_official):
    fuyang, yuhang = Region.objects.get(code=FUYANG_AREA), Region.objects.get(code=YUHANG_AREA)
    assert authorize(county_official, "people.view", region=fuyang)
    with pytest.raises(PermissionDenied) as failure:
        authorize(county_official, "people.view", region=yuhang)
    assert failure.value.status == 403


def test_authorize_refuses_another_organization(regions, coordinator, fuyang_org):
    area = Region.objects.get(code=FUYANG_AREA)
    authorize(coordinator, "orgs.manage", region=area, organization_id=fuyang_org.pk)
    with pytest.raises(PermissionDenied):
        authorize(coordinator, "orgs.manage", region=area, organization_id=fuyang_org.pk + 1)


def test_an_anonymous_caller_is_not_authenticated(regions):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(NotAuthenticated):
        scope_for(AnonymousUser(), "people.view")


def test_a_superuser_acts_everywhere(regions):
    root = user_create(username="root", password=None, roles=[], is_superuser=True)
    assert scope_for(root, "people.merge").everywhere
    assert Role.ADMIN in user_roles(root)


def test_a_province_admin_covers_every_county(regions, province_admin):
    yuhang = Region.objects.get(code=YUHANG_AREA)
    assert authorize(province_admin, "people.merge", region=yuhang)


# Scopes applied to a model with a region and an organization: role assignments themselves.


def test_region_q_keeps_queries_in_the_scope(regions, county_official, other_official):
    for user, expected in ((county_official, "330111"), (other_official, "330110")):
        q = scope_for(user, "people.view").region_q("region")
        assert set(RoleAssignment.objects.filter(q).values_list("region", flat=True)) == {expected}


def test_an_empty_scope_matches_nothing(regions, county_official, resident):
    q = scope_for(resident, "people.view").region_q("region")
    assert not RoleAssignment.objects.filter(q).exists()


def test_org_bound_grants_filter_on_region_and_organization(
    regions, fuyang_org, yuhang_org, coordinator, volunteer
):
    # The volunteer's grant is bound to Fuyang's team; a second one to another team is not seen.
    role_grant(user=volunteer, spec=RoleSpec("volunteer", "330111", yuhang_org.pk))
    scope = scope_for(coordinator, "orgs.manage")
    q = scope.q(region_field="region", org_field="organization")
    orgs = set(RoleAssignment.objects.filter(q).values_list("organization", flat=True))
    assert orgs == {fuyang_org.pk}
    # region_q ignores the organization: used for objects of no organization.
    orgs = set(
        RoleAssignment.objects.filter(scope.region_q("region")).values_list(
            "organization", flat=True
        )
    )
    assert orgs == {fuyang_org.pk, yuhang_org.pk}


def test_scoped_narrows_a_queryset(regions, county_official, other_official):
    regions_held = scoped(
        RoleAssignment.objects.all(), county_official, "people.view", region_field="region"
    ).values_list("region", flat=True)
    assert list(regions_held) == ["330111"]
