"""Who sees which enterprise: representatives their own, association staff their members,
officials their region."""

import pytest

from coproduce.core.errors import NotFound
from coproduce.recovery.scope import enterprise_scope
from coproduce.recovery.selectors import enterprise_get, enterprise_list


@pytest.mark.django_db
def test_each_role_sees_its_own_enterprises(
    member, stranger, enterprise_rep, association_staff, county_official, other_official
):
    def visible(user):
        return set(enterprise_list(scope=enterprise_scope(user, "recovery.view")))

    assert visible(enterprise_rep) == {member}
    assert visible(association_staff) == {member}
    assert visible(other_official) == {member}  # Yuhang
    assert visible(county_official) == {stranger}  # Fuyang


@pytest.mark.django_db
def test_out_of_scope_is_absent(member, stranger, enterprise_rep, outsider):
    with pytest.raises(NotFound):
        enterprise_get(
            enterprise_id=stranger.pk, scope=enterprise_scope(enterprise_rep, "recovery.view")
        )
    with pytest.raises(NotFound):
        enterprise_get(enterprise_id=member.pk, scope=enterprise_scope(outsider, "recovery.view"))
