"""The 24-hour staffing plan: shifts, volunteers of the operating organization, coverage gaps."""

import datetime as dt
import threading

import pytest
from django.db import connection

from conftest import _user
from coproduce.accounts.services import RoleSpec
from coproduce.checkpoints import selectors, services
from coproduce.checkpoints.models import Shift, ShiftAssignment
from coproduce.checkpoints.tests.conftest import NOW, SHANGHAI
from coproduce.core.errors import Conflict, PermissionDenied, ValidationFailed
from coproduce.orgs.services import member_add

pytestmark = pytest.mark.django_db
DAY = NOW.date()


@pytest.fixture
def members(fuyang_org, county_official):
    """Three volunteers of Fuyang Volunteers, who may staff the checkpoint."""
    users = []
    for n in range(3):
        user = _user(f"vol{n}", RoleSpec("volunteer", "330111", fuyang_org.pk))
        member_add(organization=fuyang_org, user=user, actor=county_official, kind="volunteer")
        users.append(user)
    return users


def at(hour: int, day: dt.date = DAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=SHANGHAI) + dt.timedelta(hours=hour)


def test_an_empty_day_is_one_24_hour_gap(checkpoint):
    coverage = selectors.coverage_for_day(checkpoint=checkpoint, day=DAY)
    assert coverage.uncovered_hours == 24
    assert [(g.start, g.end, g.staffed) for g in coverage.gaps] == [(at(0), at(24), 0)]


def test_plan_lays_even_shifts_once(checkpoint, county_official):
    made = services.shift_plan_day(
        checkpoint=checkpoint, day=DAY, hours=8, capacity=2, actor=county_official
    )
    assert [(s.starts_at, s.ends_at) for s in made] == [
        (at(0), at(8)),
        (at(8), at(16)),
        (at(16), at(24)),
    ]
    again = services.shift_plan_day(
        checkpoint=checkpoint, day=DAY, hours=8, capacity=2, actor=county_official
    )
    assert again == [] and Shift.objects.count() == 3
    with pytest.raises(ValidationFailed):
        services.shift_plan_day(checkpoint=checkpoint, day=DAY, hours=7, capacity=2, actor=None)


def test_coverage_shows_the_hours_nobody_is_on_duty(checkpoint, county_official, members):
    night, morning, _ = services.shift_plan_day(
        checkpoint=checkpoint, day=DAY, hours=8, capacity=2, actor=county_official
    )
    services.shift_assign(shift=night, user=members[0], actor=county_official)
    services.shift_assign(shift=morning, user=members[1], actor=county_official)
    coverage = selectors.coverage_for_day(checkpoint=checkpoint, day=DAY)
    assert coverage.uncovered_hours == 8
    assert [(g.start, g.end) for g in coverage.gaps] == [(at(16), at(24))]
    assert [h.staffed for h in coverage.hours][:17] == [1] * 16 + [0]


def test_only_members_of_the_operating_organization_fill_shifts(
    checkpoint, county_official, volunteer
):
    shift = services.shift_create(
        checkpoint=checkpoint, starts_at=at(8), ends_at=at(16), capacity=1, actor=county_official
    )
    with pytest.raises(PermissionDenied):
        services.shift_assign(shift=shift, user=volunteer, actor=county_official)  # no membership
    assert not ShiftAssignment.objects.exists()


def test_no_double_booking_and_no_overfilling(checkpoint, county_official, members):
    first = services.shift_create(
        checkpoint=checkpoint, starts_at=at(8), ends_at=at(16), capacity=1, actor=county_official
    )
    overlapping = services.shift_create(
        checkpoint=checkpoint, starts_at=at(12), ends_at=at(20), capacity=3, actor=county_official
    )
    services.shift_assign(shift=first, user=members[0], actor=county_official)
    with pytest.raises(Conflict):
        services.shift_assign(shift=overlapping, user=members[0], actor=county_official)
    with pytest.raises(Conflict):
        services.shift_assign(shift=first, user=members[1], actor=county_official)  # full
    first.refresh_from_db()
    assert first.filled == 1 and ShiftAssignment.objects.count() == 1


def test_bad_shift_is_a_field_error(checkpoint, county_official):
    with pytest.raises(ValidationFailed) as err:
        services.shift_create(
            checkpoint=checkpoint, starts_at=at(8), ends_at=at(8), capacity=1, actor=None
        )
    assert "ends_at" in err.value.fields
    with pytest.raises(ValidationFailed) as err:
        services.shift_create(
            checkpoint=checkpoint, starts_at=at(0), ends_at=at(30), capacity=0, actor=None
        )
    assert set(err.value.fields) == {"ends_at", "capacity"}
    assert not Shift.objects.exists()


def test_served_shift_is_recorded_once_after_it_ends(checkpoint, county_official, members):
    shift = services.shift_create(
        checkpoint=checkpoint,
        starts_at=at(0),
        ends_at=at(8),
        capacity=1,
        actor=county_official,
    )
    assignment = services.shift_assign(shift=shift, user=members[0], actor=county_official)
    services.shift_complete(assignment=assignment, actor=county_official)
    assert ShiftAssignment.objects.get().status == "completed"
    with pytest.raises(Conflict):
        services.shift_complete(assignment=assignment, actor=county_official)
    future = services.shift_create(
        checkpoint=checkpoint, starts_at=at(20), ends_at=at(23), capacity=1, actor=None
    )
    later = services.shift_assign(shift=future, user=members[1], actor=county_official)
    with pytest.raises(ValidationFailed):
        services.shift_complete(assignment=later, actor=county_official)


def test_shift_endpoints_plan_assign_and_show_gaps(api_as, coordinator, checkpoint, members):
    client = api_as(coordinator)
    made = client.post(
        f"/checkpoints/{checkpoint.pk}/shifts/plan", {"date": "2020-02-12", "hours": 12}
    )
    assert made.status_code == 201, made.content
    shift_id = made.json()["created"][0]["id"]
    assigned = client.post(f"/shifts/{shift_id}/assignments", {"user": members[0].username})
    assert assigned.status_code == 201, assigned.content
    plan = client.get(f"/checkpoints/{checkpoint.pk}/shifts?day=2020-02-12").json()
    assert plan["uncovered_hours"] == 12 and len(plan["shifts"]) == 2
    assert plan["shifts"][0]["assignments"][0]["user"] == members[0].username
    bad = client.post(f"/checkpoints/{checkpoint.pk}/shifts", {"starts_at": "x", "ends_at": "y"})
    assert bad.status_code == 422


def test_shift_endpoints_refuse_other_organizations_and_counties(
    api_as, checkpoint, other_official, outsider, other_org_staff, county_official
):
    shift = services.shift_create(
        checkpoint=checkpoint, starts_at=at(8), ends_at=at(16), capacity=1, actor=county_official
    )
    for user in (other_official, outsider, other_org_staff):
        client = api_as(user)
        assert client.post(f"/shifts/{shift.pk}/assignments", {"user": "x"}).status_code == 403
        assert (
            client.post(
                f"/checkpoints/{checkpoint.pk}/shifts",
                {"starts_at": at(1).isoformat(), "ends_at": at(2).isoformat()},
            ).status_code
            == 403
        )
    assert Shift.objects.count() == 1


@pytest.mark.postgres_only
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_concurrent_sign_ups_never_overfill_a_shift(checkpoint, county_official, members):
    shift = services.shift_create(
        checkpoint=checkpoint, starts_at=at(8), ends_at=at(16), capacity=2, actor=county_official
    )
    outcomes, barrier = [], threading.Barrier(3)

    def assign(user):
        barrier.wait()
        try:
            services.shift_assign(shift=shift, user=user, actor=county_official)
            outcomes.append("ok")
        except Conflict:
            outcomes.append("full")
        finally:
            connection.close()

    threads = [threading.Thread(target=assign, args=(u,)) for u in members]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["full", "ok", "ok"]
    shift.refresh_from_db()
    assert shift.filled == 2 == ShiftAssignment.objects.count()


def test_served_shift_becomes_a_confirmed_service_record_once(
    checkpoint, coordinator, fuyang_org, regions
):
    from coproduce.regions.models import Region
    from coproduce.volunteers.models import ServiceRecord
    from coproduce.volunteers.services import volunteer_register

    user = _user("guard", RoleSpec("volunteer", "330111", fuyang_org.pk))
    member_add(organization=fuyang_org, user=user, actor=coordinator, kind="volunteer")
    volunteer_register(
        actor=user, user=user, name="Guard", home_region=Region.objects.get(code="330111")
    )
    shift = services.shift_create(
        checkpoint=checkpoint, starts_at=at(0), ends_at=at(8), capacity=1, actor=coordinator
    )
    assignment = services.shift_assign(shift=shift, user=user, actor=coordinator)
    services.shift_complete(assignment=assignment, actor=coordinator)
    record = ServiceRecord.objects.get()
    assert record.source == f"checkpoints.shift:{assignment.pk}"
    assert record.activity == "checkpoint" and record.place == checkpoint.place
    assert (record.start, record.end) == (at(0), at(8))
    assert record.status != "pending"  # the coordinator confirmed it as a second party


def test_shift_refusals_read_in_the_callers_language(checkpoint, county_official, members):
    from django.utils import translation

    shift = services.shift_create(
        checkpoint=checkpoint, starts_at=at(8), ends_at=at(16), capacity=1, actor=county_official
    )
    services.shift_assign(shift=shift, user=members[0], actor=county_official)
    with translation.override("zh-hans"), pytest.raises(Conflict) as full:
        services.shift_assign(shift=shift, user=members[1], actor=county_official)
    assert full.value.message == "该班次已满员。" and full.value.code == "shift_full"
    with translation.override("zh-hans"), pytest.raises(ValidationFailed) as bad:
        services.shift_plan_day(
            checkpoint=checkpoint, day=NOW.date(), hours=5, capacity=1, actor=county_official
        )
    assert bad.value.fields["hours"] == ["按 4, 6, 8, 12, 24 小时一班排班，才能均分一天。"]
