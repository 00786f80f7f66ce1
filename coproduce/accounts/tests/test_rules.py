"""The role table and scopes (no database)."""

import pytest

from coproduce.accounts.permissions import NO_ORGANIZATION, Grant, Scope
from coproduce.accounts.rules import PERMISSIONS, Role, home_modules, roles_granting

FUYANG = "/330000/330100/330111/"
YUHANG = "/330000/330100/330110/"
FUYANG_AREA = FUYANG + "330111001/330111001001/330111001001001/"


def scope(*grants):
    return Scope(everywhere=False, grants=tuple(grants))


def test_an_admin_holds_every_permission():
    for permission in PERMISSIONS:
        assert Role.ADMIN in roles_granting(permission)


def test_an_unknown_permission_is_a_programming_error():
    with pytest.raises(KeyError, match="accounts.rules"):
        roles_granting("people.teleport")


def test_only_officials_merge_people():
    assert roles_granting("people.merge") == {Role.HEALTH_OFFICIAL, Role.ADMIN}


def test_residents_and_outsiders_hold_no_staff_permission():
    for permission, holders in PERMISSIONS.items():
        assert Role.RESIDENT not in holders, permission


def test_home_modules_per_role():
    assert home_modules({Role.RESIDENT}) == [
        "resident",
        "deliveries",
        "care",
        "visits",
    ]
    assert "people" in home_modules({Role.HEALTH_OFFICIAL})
    assert "dashboard" in home_modules({Role.HEALTH_OFFICIAL})
    assert "admin" not in home_modules({Role.HEALTH_OFFICIAL})
    assert home_modules(set()) == []
    assert home_modules({Role.ADMIN})[-1] == "admin"
    assert len(home_modules({Role.ADMIN})) == len(set(home_modules({Role.ADMIN})))


def test_a_region_grant_covers_its_subtree_only():
    s = scope(Grant(Role.HEALTH_OFFICIAL, "330111", FUYANG, None))
    assert s.covers(FUYANG)
    assert s.covers(FUYANG_AREA)
    assert not s.covers(YUHANG)
    assert not s.covers("/330000/330100/")  # the city above


def test_a_code_prefix_is_not_a_subtree():
    s = scope(Grant(Role.HEALTH_OFFICIAL, "330111", FUYANG, None))
    assert not s.covers("/330000/330100/3301110/")


def test_an_organization_bound_grant_covers_its_organization_only():
    s = scope(Grant(Role.CBO_COORDINATOR, "330111", FUYANG, 7))
    assert s.covers(FUYANG_AREA, 7)
    assert not s.covers(FUYANG_AREA, 8)
    assert not s.covers(FUYANG_AREA, None)
    # Objects of no organization (a person): the region decides.
    assert s.covers(FUYANG_AREA, NO_ORGANIZATION)
    assert s.covers(FUYANG_AREA)


def test_a_region_wide_grant_covers_every_organization_there():
    s = scope(Grant(Role.HEALTH_OFFICIAL, "330111", FUYANG, None))
    assert s.covers(FUYANG_AREA, 7) and s.covers(FUYANG_AREA, None)


def test_grants_add_up():
    s = scope(
        Grant(Role.CBO_COORDINATOR, "330111", FUYANG, 7),
        Grant(Role.HEALTH_OFFICIAL, "330110", YUHANG, None),
    )
    assert s.covers(YUHANG, 9)
    assert s.covers(FUYANG, 7) and not s.covers(FUYANG, 9)


def test_everywhere_and_empty_scopes():
    assert Scope(everywhere=True, grants=()).covers("/anything/", 3)
    empty = scope()
    assert empty.empty and not empty.covers(FUYANG)
    assert not Scope(everywhere=True, grants=()).empty
