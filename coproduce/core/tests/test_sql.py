"""core.sql: plain INSERTs and compiled reads give what the ORM would, on SQLite and PostgreSQL."""

import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from coproduce.core import sql
from coproduce.core.models import AuditEvent
from coproduce.core.sql import CompiledQuery, NewId, insert_rows, insert_with_dependents

AT = dt.datetime(2020, 2, 12, 2, 0, 0, 123456, tzinfo=dt.UTC)


def event(n: int, **extra) -> dict:
    return {
        "at": AT + dt.timedelta(seconds=n),
        "actor_id": None,
        "actor_label": "",
        "action": "test.sql",
        "object_type": "thing",
        "object_id": str(n),
        "origin_ip": "203.0.113.7" if n % 2 else None,
        "origin_agent": "",
        "origin_path": "",
        "details": {"n": n, "text": "体温 37.3", "list": [1, None]},
        **extra,
    }


@pytest.mark.django_db
def test_inserted_rows_read_back_as_the_orm_would_have_written_them():
    returned = insert_rows(AuditEvent, [event(1), event(2)], returning=("id", "object_id"))
    assert sorted(o for _, o in returned) == ["1", "2"]
    stored = AuditEvent.objects.filter(action="test.sql").order_by("object_id")
    assert [e.pk for e in stored] == sorted(pk for pk, _ in returned)
    first = stored[0]
    assert first.at == AT + dt.timedelta(seconds=1) and timezone.is_aware(first.at)
    assert first.details == {"n": 1, "text": "体温 37.3", "list": [1, None]}
    assert first.origin_ip == "203.0.113.7" and stored[1].origin_ip is None


@pytest.mark.django_db
def test_rows_that_break_a_unique_constraint_are_skipped_and_not_returned():
    ((pk,),) = insert_rows(AuditEvent, [event(1)], returning=("id",))
    again = insert_rows(
        AuditEvent,
        [{"id": pk, **event(9)}, {"id": pk + 1000, **event(10)}],
        unique=("id",),
        returning=("id",),
    )
    assert again == [(pk + 1000,)]
    assert AuditEvent.objects.get(pk=pk).object_id == "1"  # the first write stands


@pytest.mark.django_db
def test_many_rows_go_in_several_statements_within_the_parameter_limit(
    django_assert_max_num_queries,
):
    rows = [event(n) for n in range(2500)]
    with django_assert_max_num_queries(3 + 2):  # 1,000 rows a statement, at most
        returned = insert_rows(AuditEvent, rows, returning=("id",))
    assert len(returned) == len({pk for (pk,) in returned}) == 2500
    assert AuditEvent.objects.filter(action="test.sql").count() == 2500


@pytest.mark.django_db
def test_nothing_to_insert_runs_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert insert_rows(AuditEvent, [], returning=("id",)) == []


def _by_object(object_id):
    return AuditEvent.objects.filter(object_id=object_id, action="test.sql").values_list(
        "object_id", "at", "details"
    )


@pytest.mark.django_db
def test_a_compiled_query_answers_as_the_queryset_with_its_converters():
    insert_rows(AuditEvent, [event(1), event(2), event(2)])
    query = CompiledQuery(_by_object, object_id="\x00sample")
    for object_id in ("1", "2", "3"):
        assert query.rows(object_id=object_id) == list(_by_object(object_id))
    ((_, at, details),) = query.rows(object_id="1")
    assert timezone.is_aware(at) and details["text"] == "体温 37.3"


def test_a_sample_that_does_not_reach_the_sql_is_refused_when_first_used(db):
    query = CompiledQuery(lambda object_id: _by_object("1"), object_id="\x00unused")
    with pytest.raises(ImproperlyConfigured):
        query.rows(object_id="1")


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def fake_monotonic(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(sql, "monotonic", clock)
    return clock


@pytest.mark.django_db
def test_kept_rows_last_their_time_then_the_database_is_read_again(fake_monotonic):
    query = CompiledQuery(_by_object, fresh_for=1.0, object_id="\x00sample")
    assert query.rows(object_id="1") == []
    # Another process writes (no signal reaches this one): not seen within the second...
    insert_rows(AuditEvent, [event(1)])
    fake_monotonic.now += 0.9
    assert query.rows(object_id="1") == []
    # ...seen after it.
    fake_monotonic.now += 0.2
    assert len(query.rows(object_id="1")) == 1


@pytest.mark.django_db
def test_a_save_in_this_process_forgets_the_kept_rows_at_once(fake_monotonic):
    query = CompiledQuery(
        _by_object, fresh_for=60.0, forget_on=(AuditEvent,), object_id="\x00sample"
    )
    assert query.rows(object_id="5") == []
    AuditEvent.objects.create(**event(5))
    assert len(query.rows(object_id="5")) == 1
    insert_rows(AuditEvent, [event(5)])  # no signal: still the kept answer
    assert len(query.rows(object_id="5")) == 1
    CompiledQuery.forget_all()
    assert len(query.rows(object_id="5")) == 2


@pytest.mark.django_db
def test_kept_rows_are_bounded(fake_monotonic, monkeypatch):
    monkeypatch.setattr(CompiledQuery, "MAX_KEPT", 3)
    query = CompiledQuery(_by_object, fresh_for=60.0, object_id="\x00sample")
    for n in range(10):
        query.rows(object_id=str(n))
    assert len(query._kept) == 3


@pytest.mark.django_db
def test_dependent_rows_name_the_new_id_and_are_written_only_with_it():
    first = {"id": 424_242, **event(1)}
    dependents = [
        (AuditEvent, event(2, object_id=NewId(prefix="after:"))),
        (AuditEvent, event(3, object_id=NewId(prefix=""), origin_ip="2001:db8::1")),
    ]
    assert insert_with_dependents(AuditEvent, first, unique=("id",), dependents=dependents) == (
        424_242
    )
    stored = {e.details["n"]: e for e in AuditEvent.objects.filter(action="test.sql")}
    assert stored[2].object_id == "after:424242" and stored[3].object_id == "424242"
    assert stored[3].origin_ip == "2001:db8::1" and timezone.is_aware(stored[3].at)
    assert stored[2].details == event(2)["details"]
    # The same first row again is skipped, and so are its dependents.
    assert insert_with_dependents(AuditEvent, first, unique=("id",), dependents=dependents) is None
    assert AuditEvent.objects.filter(action="test.sql").count() == 3
