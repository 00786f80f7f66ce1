"""Services of health codes: conditions with history, reports, declarations, recompute, keys."""

import datetime as dt
from decimal import Decimal

import pytest

from coproduce.core.errors import Conflict, ValidationFailed
from coproduce.fieldwork.models import Task
from coproduce.health_codes import rules, selectors, services
from coproduce.health_codes.models import Condition, HealthCode, HealthReport
from coproduce.health_codes.tests.conftest import DAY0
from coproduce.people.models import Person
from coproduce.regions.models import Region
from coproduce.regions.services import region_risk_set

ONE = dt.timedelta(days=1)


def _report(person, day, temp="36.6", symptoms=(), actor=None):
    return services.report_file(
        person=person,
        report=services.ReportInput(on=day, temperature_c=Decimal(temp), symptoms=list(symptoms)),
        actor=actor,
        by_proxy=False,
    )


def test_registration_without_declaration_gives_a_green_code(exercise, register):
    person = register(1)
    assert HealthCode.objects.get(person=person).color == "green"
    assert selectors.code_state(person=person).color is rules.Color.GREEN


def test_high_risk_travel_on_the_travel_date_makes_red(exercise, register, county_official):
    hangzhou = Region.objects.get(code="330110")
    region_risk_set(
        region=hangzhou, level="high", effective_from=DAY0 - 5 * ONE, actor=county_official
    )
    region_risk_set(region=hangzhou, level="low", effective_from=DAY0 - ONE, actor=county_official)
    red = register(1, travel=[("330110001001001", DAY0 - 3 * ONE)])
    green = register(2, travel=[("330110001001001", DAY0 - ONE)])
    assert selectors.colors_of(person_ids=[red.pk, green.pk]) == {red.pk: "red", green.pk: "green"}
    condition = Condition.objects.get(person=red)
    assert condition.reason == "high_risk_travel"
    assert condition.changes.get().action == "imposed"


def test_unknown_declared_symptom_refuses_the_registration(exercise, register):
    with pytest.raises(ValidationFailed) as exc:
        register(1, symptoms=["cough", "hiccups"])
    assert "declaration.symptoms.1" in exc.value.fields
    assert not Person.objects.exists()


def test_impose_is_idempotent_per_source(exercise, register, county_official):
    person = register(1)
    args = dict(
        person=person,
        kind="home_quarantine",
        reason="secondary_contact",
        starts_on=DAY0,
        actor=county_official,
        source="tracing.order:1",
    )
    first = services.condition_impose(**args)
    assert services.condition_impose(**args) == first
    assert Condition.objects.count() == 1
    assert HealthCode.objects.get(person=person).color == "yellow"


def test_seven_normal_reports_end_a_home_order_and_a_fever_restarts(
    exercise, register, county_official
):
    person = register(1)
    services.condition_impose(
        person=person,
        kind="home_quarantine",
        reason="secondary_contact",
        starts_on=DAY0,
        actor=county_official,
        source="tracing.order:1",
    )
    for i in range(6):
        exercise(DAY0 + i * ONE)
        _report(person, DAY0 + i * ONE, temp="37.5" if i == 2 else "36.5")
    assert HealthCode.objects.get(person=person).color == "yellow"
    task = Task.objects.get(kind="fever_follow_up")
    assert task.person == person and task.region.code == "330111001001"
    day = DAY0 + 6 * ONE
    for i in range(7):
        exercise(day + i * ONE)
        _report(person, day + i * ONE)
    assert HealthCode.objects.get(person=person).color == "green"


def test_second_report_same_day_is_a_conflict(exercise, register):
    person = register(1)
    _report(person, DAY0)
    with pytest.raises(Conflict):
        _report(person, DAY0)
    assert HealthReport.objects.count() == 1


def test_report_out_of_range_or_unknown_symptom_writes_nothing(exercise, register):
    person = register(1)
    with pytest.raises(ValidationFailed) as exc:
        _report(person, DAY0, temp="44.0", symptoms=["cough", "sneezing"])
    assert set(exc.value.fields) == {"temperature_c", "symptoms.1"}
    assert not HealthReport.objects.exists()


def test_condition_end_and_adjust_record_who_when_why(exercise, register, county_official):
    person = register(1)
    c = services.condition_impose(
        person=person,
        kind="centralized_quarantine",
        reason="close_contact",
        starts_on=DAY0,
        actor=county_official,
        source="tracing.order:7",
    )
    c = services.condition_adjust(
        condition=c, actor=county_official, why="exposure repeated", not_before=DAY0 + 20 * ONE
    )
    assert selectors.code_state(person=person).green_on == DAY0 + 20 * ONE
    with pytest.raises(ValidationFailed):
        services.condition_end(condition=c, ends_on=DAY0, actor=county_official, why="")
    services.condition_end(condition=c, ends_on=DAY0, actor=county_official, why="wrong person")
    assert HealthCode.objects.get(person=person).color == "green"
    assert [ch.action for ch in c.changes.all()] == ["imposed", "adjusted", "ended"]
    assert c.changes.last().why == "wrong person"


def test_recompute_all_catches_date_driven_changes(exercise, register, county_official):
    person = register(1)
    services.condition_impose(
        person=person,
        kind="centralized_quarantine",
        reason="official_order",
        starts_on=DAY0 + 2 * ONE,
        actor=county_official,
        source="test:future",
    )
    assert HealthCode.objects.get(person=person).color == "green"
    exercise(DAY0 + 2 * ONE)
    result = services.health_codes_recompute_all()
    assert (result.people, result.changed) == (1, 1)
    assert HealthCode.objects.get(person=person).color == "red"


def test_non_green_changes_include_those_turned_green(exercise, register, county_official):
    person = register(1)
    before = selectors.non_green_changes(since=None)
    assert before[0] == []
    c = services.condition_impose(
        person=person,
        kind="home_quarantine",
        reason="official_order",
        starts_on=DAY0,
        actor=county_official,
        source="test:1",
    )
    rows, generated_at = selectors.non_green_changes(since=None)
    assert rows == [{"subject": person.public_id, "color": "yellow"}]
    exercise(DAY0, hour=11)
    services.condition_end(condition=c, ends_on=DAY0, actor=county_official, why="lifted")
    rows, _ = selectors.non_green_changes(since=generated_at)
    assert rows == [{"subject": person.public_id, "color": "green"}]


def test_tokens_verify_against_the_trust_list_across_a_rotation(exercise, register):
    person = register(1)
    token = services.token_issue_for(person=person, kind="live", color=rules.Color.GREEN)
    assert services.payload_verify(payload=token.payload).result.value == "valid"
    services.keys_rotate(actor=None)
    assert services.payload_verify(payload=token.payload).result.value == "valid"
    assert len(selectors.trust_list_entries()) == 2
    card = services.token_issue_for(person=person, kind="card")
    assert services.payload_verify(payload=card.payload).claims.color is None
    assert services.payload_verify(payload="CP1:xyz").result.value == "malformed"


def test_a_code_signed_by_a_key_another_process_just_made_verifies_at_once(exercise, register):
    from coproduce.health_codes.services import keys

    person = register(1)
    old = services.token_issue_for(person=person, kind="live", color=rules.Color.GREEN)
    before = keys._cache
    services.keys_rotate(actor=None)
    newer = services.token_issue_for(person=person, kind="live", color=rules.Color.GREEN)
    assert keys._cache.signing is not before.signing
    # This worker still holds the keys from before the rotation, checked a moment ago: the new
    # kid is unknown to it, so it looks at the key tables again instead of refusing the code.
    keys._cache, keys._checked_at = before, keys.time.monotonic()
    assert services.payload_verify(payload=newer.payload).result.value == "valid"
    keys._cache, keys._checked_at = before, keys.time.monotonic()
    results = services.payload_verify_many(payloads=[old.payload, newer.payload, "CP1:xyz"])
    assert [r.result.value for r in results] == ["valid", "valid", "malformed"]
    # A kid that exists nowhere stays unknown.
    forged = newer.payload[:8] + ("A" if newer.payload[8] != "A" else "B") + newer.payload[9:]
    assert services.payload_verify(payload=forged).result.value != "valid"


def test_a_consent_is_withdrawn_once(exercise, register, resident, county_official):
    from coproduce.core.models import AuditEvent

    person = register(2)
    consent = services.proxy_grant(
        person=person,
        user=resident,
        relation="daughter",
        consent="in person",
        actor=county_official,
    )
    services.proxy_revoke(consent=consent, actor=county_official)
    assert consent.revoked_at is not None
    assert not selectors.managed_people(user=resident).exists()
    with pytest.raises(Conflict):
        services.proxy_revoke(consent=consent, actor=county_official)
    assert AuditEvent.objects.filter(action="health_codes.proxy_revoke").count() == 1


def test_condition_rows_say_which_conditions_hold_the_code(exercise, register, county_official):
    person = register(1)
    home = services.condition_impose(
        person=person,
        kind="home_quarantine",
        reason="secondary_contact",
        starts_on=DAY0,
        actor=county_official,
        source="test:home",
    )
    red = services.condition_impose(
        person=person,
        kind="centralized_quarantine",
        reason="close_contact",
        starts_on=DAY0,
        not_before=DAY0 + 20 * ONE,
        actor=county_official,
        source="test:red",
    )
    services.condition_end(condition=home, ends_on=DAY0, actor=county_official, why="lifted")
    rows = {r.condition.pk: r for r in selectors.condition_rows(person=person)}
    assert rows[home.pk].holds is None and not rows[home.pk].open
    assert rows[red.pk].open and rows[red.pk].holds.color is rules.Color.RED
    assert rows[red.pk].holds.green_on == DAY0 + 20 * ONE
