"""The audit trail is append-only in the database, whatever code runs against it."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from coproduce.core.audit import audit_record, audit_record_many
from coproduce.core.models import AuditEvent
from coproduce.core.origin import COMMAND_LINE, Origin, origin_get, origin_reset, origin_set

pytestmark = pytest.mark.django_db


def an_event() -> AuditEvent:
    return audit_record(actor=None, action="test.write", object_type="x.y", object_id="1")


def test_an_update_is_refused_by_the_database():
    event = an_event()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="test.rewritten")
    event.refresh_from_db()
    assert event.action == "test.write"


def test_saving_a_changed_event_is_refused_too():
    event = an_event()
    event.details = {"changed": True}
    with pytest.raises(DatabaseError), transaction.atomic():
        event.save()


@pytest.mark.postgres_only
def test_a_delete_is_refused_by_postgresql():
    event = an_event()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_the_triggers_exist_on_this_database():
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type='trigger' AND tbl_name='core_auditevent'"
            )
        else:
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = 'core_auditevent'::regclass "
                "AND NOT tgisinternal"
            )
        assert cursor.fetchall()


def test_outside_a_request_the_origin_is_the_command_line():
    event = an_event()
    assert origin_get() == COMMAND_LINE
    assert event.origin_agent == "coproduce command line" and event.origin_ip is None
    assert event.actor is None and event.actor_label == ""


def test_an_event_records_the_current_origin():
    token = origin_set(Origin(ip="192.0.2.7", agent="test agent", path="/somewhere"))
    try:
        event = an_event()
    finally:
        origin_reset(token)
    assert (event.origin_ip, event.origin_agent, event.origin_path) == (
        "192.0.2.7",
        "test agent",
        "/somewhere",
    )
    assert abs((timezone.now() - event.at).total_seconds()) < 60


def test_an_anonymous_actor_is_recorded_as_nobody():
    from django.contrib.auth.models import AnonymousUser

    event = audit_record(actor=AnonymousUser(), action="test.write", object_id="1")
    assert event.actor is None and event.actor_label == ""


def test_many_events_in_one_insert():
    targets = [an_event(), an_event()]
    assert audit_record_many(actor=None, action="test.listed", targets=targets) == 2
    listed = AuditEvent.objects.filter(action="test.listed")
    assert {e.object_id for e in listed} == {str(t.pk) for t in targets}
    assert {e.object_type for e in listed} == {"core.auditevent"}
