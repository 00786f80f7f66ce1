"""The health-code endpoints: reports, the code, QR images, trust list, verify, risk, appeals."""

import datetime as dt

import pytest

from conftest import FUYANG_AREA, YUHANG_AREA, valid_national_id
from coproduce.core.models import AuditEvent
from coproduce.fieldwork.models import Task
from coproduce.health_codes.models import Appeal, HealthReport
from coproduce.health_codes.tests.conftest import DAY0, SHANGHAI
from coproduce.people.models import Person

ONE = dt.timedelta(days=1)


def _clock(api, day, hour=10):
    moment = dt.datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI)
    response = api.put("/exercise/clock", {"now": moment.isoformat()})
    assert response.status_code == 200, response.json()


@pytest.fixture
def admin(regions):
    from coproduce.accounts.services import RoleSpec, user_create

    return user_create(
        username="root",
        password="a-long-test-password",
        roles=[RoleSpec("admin", "330000")],
        is_superuser=True,
        check_password=False,
    )


@pytest.fixture
def own(resident):
    return Person.objects.get(user=resident)


def test_end_to_end_high_risk_travel_red_then_green_after_fourteen_reports(
    settings, api_as, admin, county_official
):
    """Register with high-risk travel → red; a fever on day 10 restarts; 14 normal → green."""
    settings.COPRODUCE_EXERCISE = True
    root, official = api_as(admin), api_as(county_official)
    _clock(root, DAY0)
    assert (
        root.put("/regions/330110/risk", {"level": "high", "effective_from": "2020-01-20"})
    ).status_code == 200
    response = official.post(
        "/residents",
        {
            "national_id": valid_national_id(77),
            "name": "Li Lei",
            "phone": "13800000077",
            "home_region": FUYANG_AREA,
            "declaration": {
                "travel": [{"region": YUHANG_AREA, "date": (DAY0 - 3 * ONE).isoformat()}],
                "case_contact": False,
                "symptoms": [],
            },
        },
    )
    assert response.status_code == 201, response.json()
    pid = response.json()["id"]
    code = official.get(f"/residents/{pid}/health-code").json()
    assert code["color"] == "red"
    assert code["reasons"][0]["code"] == "high_risk_travel"
    assert code["reasons"][0]["reports_remaining"] == 14
    assert code["payload"].startswith("CP1:")

    def report(day_index, temperature="36.5"):
        day = DAY0 + day_index * ONE
        _clock(root, day)
        answer = official.post(
            f"/residents/{pid}/reports",
            {"date": day.isoformat(), "temperature_c": temperature, "symptoms": []},
        )
        assert answer.status_code == 201, answer.json()
        return official.get(f"/residents/{pid}/health-code").json()

    for i in range(9):
        assert report(i)["color"] == "red"
    after_fever = report(9, temperature="38.1")  # day 10: a fever restarts the count
    assert after_fever["color"] == "red"
    assert after_fever["reasons"][0]["reports_remaining"] == 14
    assert Task.objects.filter(kind="fever_follow_up", person__public_id=pid).count() == 1
    for i in range(10, 23):  # 13 normal reports: still red
        assert report(i)["color"] == "red"
    last = report(23)  # the 14th consecutive normal report
    assert last["color"] == "green" and last["reasons"] == []
    verdict = api_as(None).post("/verify", {"payload": last["payload"]}).json()
    assert verdict["result"] == "valid" and verdict["claims"]["color"] == "green"


def test_thirteen_reports_keep_red_and_the_fourteenth_turns_green(
    settings, api_as, admin, county_official
):
    settings.COPRODUCE_EXERCISE = True
    root, official = api_as(admin), api_as(county_official)
    _clock(root, DAY0)
    pid = official.post(
        "/residents",
        {
            "national_id": valid_national_id(78),
            "name": "Han Mei",
            "phone": "13800000078",
            "home_region": FUYANG_AREA,
            "declaration": {"travel": [], "case_contact": True, "symptoms": []},
        },
    ).json()["id"]
    for i in range(14):
        day = DAY0 + i * ONE
        _clock(root, day)
        official.post(f"/residents/{pid}/reports", {"date": day.isoformat(), "temperature_c": 36.4})
        color = official.get(f"/residents/{pid}/health-code").json()["color"]
        assert color == ("green" if i == 13 else "red")


def test_resident_reports_and_sees_own_code(api_as, resident, own):
    me = api_as(resident)
    from coproduce.core import clock

    today = clock.today().isoformat()
    assert (
        me.post(
            f"/residents/{own.public_id}/reports", {"date": today, "temperature_c": 36.6}
        ).status_code
        == 201
    )
    again = me.post(f"/residents/{own.public_id}/reports", {"date": today, "temperature_c": 36.6})
    assert again.status_code == 409
    assert HealthReport.objects.count() == 1
    code = me.get(f"/residents/{own.public_id}/health-code")
    assert code.status_code == 200 and code.json()["color"] == "green"
    assert me.get(f"/residents/{own.public_id}/health-code?as_of=2020-01-01").status_code == 403
    svg = me.get(f"/residents/{own.public_id}/health-code.svg")
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml"
    assert me.get(f"/residents/{own.public_id}/card.svg").status_code == 200


@pytest.mark.parametrize(
    "body, field",
    [
        ({"temperature_c": 43.5}, "temperature_c"),
        ({"temperature_c": 33.9}, "temperature_c"),
        ({"temperature_c": "hot"}, "temperature_c"),
        ({"temperature_c": 36.5, "symptoms": ["sneezing"]}, "symptoms.0"),
        ({"temperature_c": 36.5, "date": "2999-01-01"}, "date"),
        ({"temperature_c": 36.5, "date": "yesterday"}, "date"),
    ],
)
def test_bad_report_is_a_field_error_and_writes_nothing(api_as, resident, own, body, field):
    from coproduce.core import clock

    body = {"date": clock.today().isoformat(), **body}
    response = api_as(resident).post(f"/residents/{own.public_id}/reports", body)
    assert response.status_code == 422
    assert field in response.json()["error"]["fields"]
    assert not HealthReport.objects.exists()


@pytest.mark.parametrize(
    "path, method",
    [
        ("/residents/{id}/reports", "post"),
        ("/residents/{id}/reports", "get"),
        ("/residents/{id}/health-code", "get"),
        ("/residents/{id}/health-code.svg", "get"),
        ("/residents/{id}/card.svg", "get"),
        ("/residents/{id}/code-history", "get"),
        ("/residents/{id}/conditions", "post"),
        ("/residents/{id}/appeals", "get"),
        ("/residents/{id}/proxies", "post"),
        ("/residents/{id}/proxies", "get"),
    ],
)
def test_outsider_and_other_county_are_refused(api_as, own, outsider, other_official, path, method):
    from coproduce.core import clock

    bodies = {
        "/residents/{id}/reports": {"date": clock.today().isoformat(), "temperature_c": 36.5},
        "/residents/{id}/conditions": {
            "kind": "home_quarantine",
            "reason": "official_order",
            "starts_on": clock.today().isoformat(),
            "why": "test",
        },
        "/residents/{id}/proxies": {"username": "outsider", "relation": "son", "consent": "x"},
    }
    for user in (outsider, other_official):
        client = api_as(user)
        url = path.format(id=own.public_id)
        response = client.post(url, bodies[path]) if method == "post" else client.get(url)
        assert response.status_code in (403, 404), (user, path, response.status_code)
    assert not HealthReport.objects.exists()


def test_risk_levels_only_by_officials_of_the_scope(
    api_as, county_official, other_official, outsider
):
    body = {"level": "medium", "effective_from": "2020-02-01"}
    assert api_as(outsider).put("/regions/330111001/risk", body).status_code == 403
    assert api_as(other_official).put("/regions/330111001/risk", body).status_code == 403
    assert (
        api_as(county_official)
        .put("/regions/330111001/risk", {"level": "extreme", "effective_from": "2020-02-01"})
        .status_code
        == 422
    )
    assert api_as(county_official).put("/regions/330111001/risk", body).status_code == 200
    api_as(county_official).put(
        "/regions/330111001/risk", {"level": "low", "effective_from": "2020-02-05"}
    )
    state = api_as(None).get("/regions/330111001001001/risk?on=2020-02-03").json()
    assert state["current"] == "medium"  # inherited from the township
    history = api_as(None).get("/regions/330111001/risk").json()["history"]
    assert [h["level"] for h in history] == ["low", "medium"]


def test_trust_list_and_verify_are_public_and_answer_six_results(api_as, resident, own):
    code = api_as(resident).get(f"/residents/{own.public_id}/health-code").json()
    keys = api_as(None).get("/trust-list").json()["keys"]
    assert len(keys) == 1 and keys[0]["alg"] == "ES256"
    anon = api_as(None)
    assert anon.post("/verify", {"payload": code["payload"]}).json()["result"] == "valid"
    assert anon.post("/verify", {"payload": "hello"}).json()["result"] == "malformed"
    tampered = code["payload"][:-3] + ("AAA" if code["payload"][-3:] != "AAA" else "BBB")
    assert anon.post("/verify", {"payload": tampered}).json()["result"] in {
        "malformed",
        "bad_signature",
    }
    assert anon.post("/verify", {"payload": 5}).status_code == 422


def test_appeal_filed_decided_and_seen_by_the_resident(
    api_as, resident, own, county_official, other_official
):
    official = api_as(county_official)
    official.post(
        f"/residents/{own.public_id}/conditions",
        {
            "kind": "centralized_quarantine",
            "reason": "close_contact",
            "starts_on": "2020-01-01",
            "why": "named by a case",
        },
    )
    me = api_as(resident)
    assert me.get(f"/residents/{own.public_id}/health-code").json()["color"] == "red"
    filed = me.post(f"/residents/{own.public_id}/appeals", {"reason": "I was abroad that week."})
    assert filed.status_code == 201
    assert me.post(f"/residents/{own.public_id}/appeals", {"reason": "again"}).status_code == 409
    appeal_id = filed.json()["id"]
    assert api_as(other_official).get("/appeals").json() == []
    decide = {"outcome": "corrected", "decision": "Travel records confirm the absence."}
    assert api_as(other_official).post(f"/appeals/{appeal_id}/decision", decide).status_code == 404
    assert official.post(f"/appeals/{appeal_id}/decision", decide).status_code == 200
    assert official.post(f"/appeals/{appeal_id}/decision", decide).status_code == 409
    assert me.get(f"/residents/{own.public_id}/health-code").json()["color"] == "green"
    mine = me.get(f"/residents/{own.public_id}/appeals").json()
    assert mine[0]["status"] == "corrected" and mine[0]["decision"]
    history = official.get(f"/residents/{own.public_id}/code-history").json()
    assert [c["action"] for c in history["conditions"][0]["changes"]] == ["imposed", "ended"]
    assert AuditEvent.objects.filter(action="health_codes.appeal_decide").count() == 1
    assert Appeal.objects.get().status == "corrected"


def test_family_proxy_files_reports_for_a_parent(api_as, county_official, resident, regions):
    from coproduce.core import clock
    from coproduce.people.services import person_register

    parent = person_register(
        national_id=valid_national_id(55, birth="19400101"),
        name="Old Wang",
        phone="",
        home_region=FUYANG_AREA,
        actor=county_official,
    )
    me = api_as(resident)
    body = {"date": clock.today().isoformat(), "temperature_c": 36.5}
    assert me.post(f"/residents/{parent.public_id}/reports", body).status_code == 404
    grant = api_as(county_official).post(
        f"/residents/{parent.public_id}/proxies",
        {"username": "resident", "relation": "daughter", "consent": "in person at the office"},
    )
    assert grant.status_code == 201
    assert me.post(f"/residents/{parent.public_id}/reports", body).status_code == 201
    assert HealthReport.objects.get().by_proxy is True
    assert me.get("/me/family").json() == [
        {"id": parent.public_id, "name": "Old Wang", "color": "green"}
    ]


def test_official_endpoints_refuse_outsiders_and_other_counties(
    api_as, resident, own, county_official, other_official, outsider
):
    condition = (
        api_as(county_official)
        .post(
            f"/residents/{own.public_id}/conditions",
            {
                "kind": "home_quarantine",
                "reason": "official_order",
                "starts_on": "2020-01-01",
                "why": "test",
            },
        )
        .json()
    )
    appeal = api_as(resident).post(f"/residents/{own.public_id}/appeals", {"reason": "x"}).json()
    for user in (outsider, other_official):
        client = api_as(user)
        patch = client.patch(
            f"/conditions/{condition['id']}", {"why": "x", "ends_on": "2020-01-02"}
        )
        assert patch.status_code in (403, 404)
        assert client.get("/appeals").status_code == 403 or client.get("/appeals").json() == []
        decision = client.post(
            f"/appeals/{appeal['id']}/decision", {"outcome": "refused", "decision": "no"}
        )
        assert decision.status_code in (403, 404)
        assert client.get("/me/family").json() == []
    assert (
        api_as(None)
        .put("/regions/330111/risk", {"level": "low", "effective_from": "2020-01-01"})
        .status_code
        == 401
    )
    assert api_as(None).get(f"/residents/{own.public_id}/health-code").status_code == 401
    assert (
        api_as(county_official).get(f"/residents/{own.public_id}/health-code").json()["color"]
        == "yellow"
    )


def test_official_lengthens_an_order_with_a_reason(api_as, own, county_official):
    official = api_as(county_official)
    created = official.post(
        f"/residents/{own.public_id}/conditions",
        {
            "kind": "centralized_quarantine",
            "reason": "close_contact",
            "starts_on": "2020-01-01",
            "why": "named",
        },
    )
    assert created.status_code == 201
    cid = created.json()["id"]
    assert (
        official.patch(f"/conditions/{cid}", {"why": "", "not_before": "2099-01-01"}).status_code
        == 422
    )
    changed = official.patch(
        f"/conditions/{cid}", {"why": "exposed again", "not_before": "2099-01-01"}
    )
    assert changed.status_code == 200
    assert [c["action"] for c in changed.json()["changes"]] == ["imposed", "adjusted"]


@pytest.fixture
def family(api_as, regions, county_official, resident, own):
    """Old Wang (registered by proxy) is managed by `resident` (his daughter) and by `son`;
    `own` (the resident's record) is managed by `son` too."""
    from coproduce.accounts.services import RoleSpec, user_create
    from coproduce.people.services import person_register

    son = user_create(
        username="son",
        password="a-long-test-password",
        roles=[RoleSpec("resident", FUYANG_AREA)],
        check_password=False,
    )
    parent = person_register(
        national_id=valid_national_id(56, birth="19400101"),
        name="Old Wang",
        phone="",
        home_region=FUYANG_AREA,
        actor=county_official,
    )
    staff = api_as(county_official)
    for username, relation in (("resident", "daughter"), ("son", "son")):
        body = {"username": username, "relation": relation, "consent": "in person"}
        assert staff.post(f"/residents/{parent.public_id}/proxies", body).status_code == 201
    body = {"username": "son", "relation": "brother", "consent": "from her account"}
    assert api_as(resident).post(f"/residents/{own.public_id}/proxies", body).status_code == 201
    return {"parent": parent, "son": son}


def test_the_person_revokes_a_proxy_who_loses_access_at_once(api_as, resident, own, family):
    son = api_as(family["son"])
    assert son.get(f"/residents/{own.public_id}/health-code").status_code == 200
    listed = api_as(resident).get(f"/residents/{own.public_id}/proxies").json()
    assert [(p["username"], p["relation"]) for p in listed] == [("son", "brother")]
    answer = api_as(resident).delete(f"/residents/{own.public_id}/proxies/son")
    assert answer.status_code == 200, answer.json()
    assert answer.json()["username"] == "son" and answer.json()["revoked_at"]
    assert son.get(f"/residents/{own.public_id}/health-code").status_code == 404
    assert api_as(resident).get(f"/residents/{own.public_id}/proxies").json() == []
    event = AuditEvent.objects.get(action="health_codes.proxy_revoke")
    assert event.actor_id == resident.pk and event.object_id == str(own.pk)
    assert event.details == {"user": "son", "relation": "brother"}
    # Gone now: a second withdrawal finds no live consent.
    again = api_as(resident).delete(f"/residents/{own.public_id}/proxies/son")
    assert again.status_code == 404 and again.json()["error"]["code"] == "proxy_not_found"


def test_a_proxy_gives_up_their_own_consent(api_as, own, family):
    parent, son = family["parent"], api_as(family["son"])
    assert {p["id"] for p in son.get("/me/family").json()} == {parent.public_id, own.public_id}
    # A proxy lists only their own consent, not the other relatives'.
    assert [p["username"] for p in son.get(f"/residents/{parent.public_id}/proxies").json()] == [
        "son"
    ]
    assert son.delete(f"/residents/{parent.public_id}/proxies/son").status_code == 200
    assert parent.public_id not in [p["id"] for p in son.get("/me/family").json()]
    assert son.get(f"/residents/{parent.public_id}/health-code").status_code == 404


def test_a_proxy_cannot_revoke_another_relatives_consent(api_as, resident, family):
    parent = family["parent"]
    answer = api_as(family["son"]).delete(f"/residents/{parent.public_id}/proxies/resident")
    assert answer.status_code == 403 and answer.json()["error"]["code"] == "permission_denied"
    assert api_as(resident).get(f"/residents/{parent.public_id}/health-code").status_code == 200


def test_someone_not_party_to_a_consent_is_refused(api_as, outsider, own, family):
    for public_id in (own.public_id, family["parent"].public_id, "NOSUCHPERSON0000"):
        # 403 whether or not the person and the consent exist: a stranger learns nothing.
        answer = api_as(outsider).delete(f"/residents/{public_id}/proxies/son")
        assert answer.status_code == 403, (public_id, answer.status_code)
    assert not AuditEvent.objects.filter(action="health_codes.proxy_revoke").exists()


def test_staff_in_scope_record_a_withdrawal_and_the_view_is_audited(api_as, coordinator, family):
    parent = family["parent"]
    answer = api_as(coordinator).delete(f"/residents/{parent.public_id}/proxies/son")
    assert answer.status_code == 200
    assert AuditEvent.objects.filter(
        action="people.view", actor_id=coordinator.pk, object_id=str(parent.pk)
    ).exists()
    assert AuditEvent.objects.filter(
        action="health_codes.proxy_revoke", actor_id=coordinator.pk
    ).exists()


def test_another_county_and_unknown_names_find_no_consent(
    api_as, county_official, other_official, family
):
    parent = family["parent"]
    # Another county's staff: out of scope looks like absent (docs/architecture.md).
    answer = api_as(other_official).delete(f"/residents/{parent.public_id}/proxies/son")
    assert answer.status_code == 404 and "Old Wang" not in answer.content.decode()
    staff = api_as(county_official)
    unknown_person = staff.delete("/residents/NOSUCHPERSON0000/proxies/son")
    assert unknown_person.status_code == 404
    assert unknown_person.json()["error"]["code"] == "person_not_found"
    unknown_user = staff.delete(f"/residents/{parent.public_id}/proxies/nobody")
    assert unknown_user.status_code == 404
    assert unknown_user.json()["error"]["code"] == "proxy_not_found"
    assert (
        api_as(family["son"]).get(f"/residents/{parent.public_id}/health-code").status_code == 200
    )
    assert not AuditEvent.objects.filter(action="health_codes.proxy_revoke").exists()
