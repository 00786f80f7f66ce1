"""Every write service leaves exactly its audit events, in the same transaction."""

import pytest

from conftest import FUYANG_AREA, valid_national_id
from coproduce.accounts.services import (
    RoleSpec,
    role_grant,
    token_create,
    token_revoke,
    user_create,
)
from coproduce.core.models import AuditEvent
from coproduce.orgs.services import member_add, organization_create, organization_verify
from coproduce.people.services import (
    household_create,
    person_link_account,
    person_merge,
    person_open,
    person_record_unregistered,
    person_register,
    person_update,
)
from coproduce.regions.services import regions_import

pytestmark = pytest.mark.django_db


def _person(actor=None):
    return person_register(
        national_id=valid_national_id(1),
        name="Li Wei",
        phone="",
        home_region=FUYANG_AREA,
        actor=actor,
    )


def _unregistered(actor=None):
    return person_record_unregistered(name="Li Wei", home_region=FUYANG_AREA, actor=actor)


# (action, how many events, a call that sets up its objects and returns the write to audit)
WRITES = {
    "regions.import": (
        1,
        lambda ctx: lambda: regions_import(
            text="code,name_zh,name_en,level,parent_code\n330112,临安区,Lin'an,county,330100\n",
            actor=ctx["actor"],
        ),
    ),
    "accounts.user_create": (
        3,  # the user and each of its two roles
        lambda ctx: lambda: user_create(
            username="new",
            password=None,
            roles=[RoleSpec("tracer", "330111"), RoleSpec("tracer", "330110")],
            actor=ctx["actor"],
        ),
    ),
    "accounts.role_grant": (
        1,
        lambda ctx: lambda: role_grant(
            user=ctx["outsider"], spec=RoleSpec("tracer", "330111"), actor=ctx["actor"]
        ),
    ),
    "accounts.token_create": (
        1,
        lambda ctx: lambda: token_create(user=ctx["outsider"], name="x", actor=ctx["actor"]),
    ),
    "accounts.token_revoke": (
        1,
        lambda ctx: (
            lambda token: lambda: token_revoke(token=token, actor=ctx["actor"])
        )(token_create(user=ctx["outsider"], name="x")[0]),
    ),
    "orgs.create": (
        1,
        lambda ctx: lambda: organization_create(
            name="Charity", category="charity", home_region=ctx["regions"]["330111"],
            actor=ctx["actor"],
        ),
    ),
    "orgs.verify": (
        1,
        lambda ctx: lambda: organization_verify(
            organization=ctx["org"], verified=True, actor=ctx["actor"]
        ),
    ),
    "orgs.member_add": (
        1,
        lambda ctx: lambda: member_add(
            organization=ctx["org"], user=ctx["outsider"], kind="volunteer", actor=ctx["actor"]
        ),
    ),
    "people.register": (1, lambda ctx: lambda: _person(ctx["actor"])),
    "people.record_unregistered": (1, lambda ctx: lambda: _unregistered(ctx["actor"])),
    "people.update": (
        1,
        lambda ctx: (lambda p: lambda: person_update(person=p, name="Li", actor=ctx["actor"]))(
            _person()
        ),
    ),
    "people.view": (
        1,
        lambda ctx: (lambda p: lambda: person_open(person=p, actor=ctx["actor"]))(_person()),
    ),
    "people.household_create": (
        1,
        lambda ctx: lambda: household_create(
            region=ctx["regions"][FUYANG_AREA], label="Door 1", actor=ctx["actor"]
        ),
    ),
    "people.merge": (
        1,
        lambda ctx: (
            lambda a, b: lambda: person_merge(keep=a, remove=b, actor=ctx["actor"])
        )(_person(), _unregistered()),
    ),
    "people.link_account": (
        1,
        lambda ctx: (
            lambda p: lambda: person_link_account(person=p, user=ctx["outsider"], actor=ctx["actor"])
        )(_person()),
    ),
}  # fmt: skip


@pytest.mark.parametrize("action", list(WRITES))
def test_each_write_service_audits_itself(action, regions, fuyang_org, outsider, county_official):
    count, prepare = WRITES[action]
    write = prepare(
        {"regions": regions, "org": fuyang_org, "outsider": outsider, "actor": county_official}
    )
    before = AuditEvent.objects.count()
    write()
    new = list(AuditEvent.objects.order_by("id")[before:])
    assert len(new) == count, [e.action for e in new]
    assert action in {e.action for e in new}
    assert all(e.actor == county_official for e in new)
    assert all(e.object_type and e.object_id for e in new)
