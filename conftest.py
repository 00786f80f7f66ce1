"""Shared test fixtures: a small region tree, the personas of STYLE.md, and API clients.

Personas hold their roles in Fuyang District (330111) unless named otherwise; `other_official`
holds the same role in Yuhang District (330110), for scope tests.
"""

import json
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.test import Client
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from coproduce.accounts.services import RoleSpec, token_create, user_create
from coproduce.orgs.services import organization_create
from coproduce.people.services import person_register
from coproduce.regions.services import regions_import

# Timing is not a property: under CI load a slow example must not fail a rule's test.
hypothesis_settings.register_profile(
    "coproduce", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("coproduce")


TREE = """code,name_zh,name_en,level,parent_code
330000,浙江省,Zhejiang Province,province,
330100,杭州市,Hangzhou City,city,330000
330111,富阳区,Fuyang District,county,330100
330110,余杭区,Yuhang District,county,330100
330111001,富春街道,Fuchun Subdistrict,township,330111
330111001001,秋月社区,Qiuyue Community,community,330111001
330111001001001,秋月一区,Qiuyue Area 1,residential_area,330111001001
330111001001002,秋月二区,Qiuyue Area 2,residential_area,330111001001
330110001,临平街道,Linping Subdistrict,township,330110
330110001001,东湖社区,Donghu Community,community,330110001
330110001001001,东湖一区,Donghu Area 1,residential_area,330110001001
"""
FUYANG_AREA = "330111001001001"
FUYANG_AREA_2 = "330111001001002"
YUHANG_AREA = "330110001001001"


def pytest_collection_modifyitems(config, items):
    """Skip tests marked postgres_only when the suite runs on SQLite, and say why."""
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        return
    skip = pytest.mark.skip(
        reason="postgres_only: holds only on PostgreSQL (row locks, concurrent writers, "
        "its triggers); run the suite with COPRODUCE_DATABASE_URL=postgres://..."
    )
    for item in items:
        if "postgres_only" in item.keywords:
            item.add_marker(skip)


# Reference data that data migrations seed. A flush (after a transactional test, or after the
# browser tests' shared demo) wipes it for every test that runs after it in the same worker, so
# each test with the database finds it loaded again if it is missing (each loader is idempotent).
REFERENCE_DATA = (
    "coproduce.relief.migrations.0002_catalog",  # the item catalog
    "coproduce.labor.migrations.0002_skill_catalogue",  # the skill catalogue
)


def reference_data_ensure():
    """Load the migrations' reference data again if a flush removed it."""
    import importlib

    from django.apps import apps

    from coproduce.labor.models import Skill
    from coproduce.relief.models import Item

    if Item.objects.exists() and Skill.objects.exists():
        return
    for module in REFERENCE_DATA:
        migration = importlib.import_module(module)
        (getattr(migration, "load", None) or migration.add)(apps, None)


@pytest.fixture(autouse=True)
def _reference_data(request, django_db_blocker):
    """Before a test with the database (once pytest-django has set it up, after a serialized
    rollback's restore too), the reference data is there."""
    if request.node.get_closest_marker("django_db") or {
        "db",
        "transactional_db",
        "live_server",
    } & set(request.fixturenames):
        request.getfixturevalue("_django_db_helper")
        with django_db_blocker.unblock():
            reference_data_ensure()


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing():
    """MD5 hashing in tests only: PBKDF2's 1M rounds would cost ~0.3 s per persona."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def valid_national_id(serial: int, birth: str = "19800101", area: str = "330111") -> str:
    """A national ID number with a correct check digit (GB 11643) for tests and the demo."""
    from coproduce.people.rules import national_id_check_char

    first17 = f"{area}{birth}{serial % 1000:03d}"
    return first17 + national_id_check_char(first17)


@pytest.fixture
def regions(db):
    """The small tree above: Fuyang and Yuhang with one community and areas each."""
    regions_import(text=TREE)
    from coproduce.regions.models import Region

    return {r.code: r for r in Region.objects.all()}


@pytest.fixture
def fuyang_org(regions):
    from coproduce.regions.models import Region

    return organization_create(
        name="Fuyang Volunteers",
        category="volunteer_team",
        home_region=Region.objects.get(code="330111"),
        actor=None,
        slug="fuyang-volunteers",
        verified=True,
    )


@pytest.fixture
def yuhang_org(regions):
    from coproduce.regions.models import Region

    return organization_create(
        name="Yuhang Volunteers",
        category="volunteer_team",
        home_region=Region.objects.get(code="330110"),
        actor=None,
        slug="yuhang-volunteers",
        verified=True,
    )


def _user(name: str, *specs: RoleSpec):
    return user_create(
        username=name, password="a-long-test-password", roles=list(specs), check_password=False
    )


@pytest.fixture
def province_admin(regions):
    return _user("province_admin", RoleSpec("admin", "330000"))


@pytest.fixture
def county_official(regions):
    return _user("county_official", RoleSpec("health_official", "330111"))


@pytest.fixture
def province_official(regions):
    """A health official of the whole province (the dashboard's widest viewer)."""
    return _user("province_official", RoleSpec("health_official", "330000"))


@pytest.fixture
def other_official(regions):
    return _user("other_official", RoleSpec("health_official", "330110"))


@pytest.fixture
def coordinator(regions, fuyang_org):
    return _user("coordinator", RoleSpec("cbo_coordinator", "330111", fuyang_org.pk))


@pytest.fixture
def checkpoint_staff(regions, fuyang_org):
    return _user("checkpoint_staff", RoleSpec("checkpoint_staff", "330111", fuyang_org.pk))


@pytest.fixture
def tracer(regions):
    return _user("tracer", RoleSpec("tracer", "330111"))


@pytest.fixture
def volunteer(regions, fuyang_org):
    return _user("volunteer", RoleSpec("volunteer", "330111", fuyang_org.pk))


@pytest.fixture
def resident(regions):
    """A resident with an account and their own registered record in Fuyang."""
    user = _user("resident", RoleSpec("resident", FUYANG_AREA))
    person_register(
        national_id=valid_national_id(1),
        name="Wang Fang",
        phone="13800000001",
        home_region=FUYANG_AREA,
        actor=user,
        own_account=user,
    )
    return user


def _practitioner(name, role, kind, org, supervisor=None):
    """A care practitioner of `org` holding `role` in Fuyang, with a verified credential."""
    from datetime import date

    from coproduce.care.services import (
        credential_record,
        credential_verify,
        practitioner_register,
    )

    user = _user(name, RoleSpec(role, "330111", org.pk))
    practitioner_register(
        user=user,
        organization=org,
        kind=kind,
        display_name=name,
        actor=None,
        supervisor=supervisor,
        phone=f"139{sum(map(ord, name)):08d}",
    )
    if kind in ("counselor", "clinician"):
        credential = credential_record(
            user=user,
            organization=org,
            actor=None,
            issuer="Zhejiang Health Commission",
            kind="counseling_certificate" if kind == "counselor" else "medical_licence",
            number=f"CERT-{name}",
            expires_on=date(2099, 12, 31),
        )
        credential_verify(credential=credential, state="verified", actor=None)
    return user


@pytest.fixture
def care_org(regions):
    """A mental-health organization of Fuyang (counseling, crisis duty, the clinic)."""
    from coproduce.regions.models import Region

    return organization_create(
        name="Fuyang Mental Health",
        category="mental_health",
        slug="fuyang-mental-health",
        home_region=Region.objects.get(code="330111"),
        actor=None,
        verified=True,
    )


@pytest.fixture
def care_supervisor(care_org):
    """The counselors' supervisor (a counselor too)."""
    return _practitioner("care_supervisor", "counselor", "counselor", care_org)


@pytest.fixture
def counselor(care_org, care_supervisor):
    """A certified counselor of care_org, supervised by care_supervisor."""
    return _practitioner("counselor", "counselor", "counselor", care_org, care_supervisor)


@pytest.fixture
def clinician(care_org):
    """A volunteer doctor of care_org with a verified licence."""
    return _practitioner("clinician", "clinician", "clinician", care_org)


@pytest.fixture
def yuhang_association(regions):
    """An industrial association of Yuhang (enterprise recovery, issue 13)."""
    from coproduce.regions.models import Region

    return organization_create(
        name="Yuhang Metal Products Industry Association",
        category="industrial_association",
        home_region=Region.objects.get(code="330110"),
        actor=None,
        slug="yuhang-metal",
        verified=True,
    )


@pytest.fixture
def association_staff(regions, yuhang_association):
    """Staff of the Yuhang association, in Yuhang."""
    return _user(
        "association_staff", RoleSpec("association_staff", "330110", yuhang_association.pk)
    )


@pytest.fixture
def enterprise_rep(regions):
    """An enterprise_rep role in Yuhang; the enterprises they act for are linked by the tests
    (recovery.EnterpriseRepresentative)."""
    return _user("enterprise_rep", RoleSpec("enterprise_rep", "330110"))


@pytest.fixture
def fuyang_rep(regions):
    """An enterprise_rep role in Fuyang (labor sharing, issue 14: the borrowing side)."""
    return _user("fuyang_rep", RoleSpec("enterprise_rep", "330111"))


@pytest.fixture
def outsider(regions):
    """An account with no role anywhere."""
    return _user("outsider")


@dataclass
class ApiClient:
    """A JSON client acting as one user through a bearer token (or anonymously)."""

    client: Client
    headers: dict

    def _send(self, method: str, path: str, body=None, **extra):
        kwargs = {"headers": self.headers, **extra}
        if body is not None:
            kwargs["data"] = (
                body if isinstance(body, (str, bytes)) else json.dumps(body, default=str)
            )
            kwargs["content_type"] = "application/json"
        return getattr(self.client, method)(f"/api/v1{path}", **kwargs)

    def get(self, path, **extra):
        return self._send("get", path, **extra)

    def post(self, path, body=None, **extra):
        return self._send("post", path, body if body is not None else {}, **extra)

    def put(self, path, body=None, **extra):
        return self._send("put", path, body if body is not None else {}, **extra)

    def patch(self, path, body=None, **extra):
        return self._send("patch", path, body if body is not None else {}, **extra)

    def delete(self, path, **extra):
        return self._send("delete", path, **extra)


@pytest.fixture
def api_as(db):
    """`api_as(user)` is a JSON client acting as `user`; `api_as(None)` is anonymous."""

    def make(user=None) -> ApiClient:
        headers = {}
        if user is not None:
            _, key = token_create(user=user, name="test")
            headers["Authorization"] = f"Bearer {key}"
        return ApiClient(Client(), headers)

    return make


@pytest.fixture(autouse=True)
def _fresh_exercise_clock():
    """Each test starts with no cached exercise-clock offset (the cache outlives transactions)."""
    from coproduce.core import clock

    clock._cache = None
    yield
    clock._cache = None


@pytest.fixture(autouse=True)
def _fresh_trust_list():
    """Each test starts with no cached signing keys, kept rows (core.sql) or rate counts: they
    outlive the test's transaction, and they look at the database only once a second."""
    from django.core.cache import cache

    from coproduce.core.sql import CompiledQuery
    from coproduce.health_codes.services import trust_cache_clear

    trust_cache_clear()
    CompiledQuery.forget_all()
    cache.clear()  # rate-limit counters (core.ratelimit) of earlier tests
    yield
    trust_cache_clear()
    CompiledQuery.forget_all()
