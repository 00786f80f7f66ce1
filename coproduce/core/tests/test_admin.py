"""The audit trail in the back office: listed for a superuser, never editable."""

import pytest
from django.contrib.auth import get_user_model

from coproduce.core.audit import audit_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser():
    return get_user_model().objects.create_superuser("root", "", "a-long-test-password")


def test_the_audit_list_loads_for_a_superuser(client, superuser):
    audit_record(actor=superuser, action="people.view", object_type="people.person", object_id="7")
    client.force_login(superuser)
    answer = client.get("/admin/core/auditevent/")
    assert answer.status_code == 200
    html = answer.content.decode()
    assert "people.view" in html and "root" in html


def test_an_audit_event_cannot_be_changed_or_deleted_in_the_admin(client, superuser):
    event = audit_record(actor=superuser, action="x.y", object_type="a.b", object_id="1")
    client.force_login(superuser)
    assert client.get(f"/admin/core/auditevent/{event.pk}/change/").status_code == 200
    assert client.post(f"/admin/core/auditevent/{event.pk}/change/", {}).status_code == 403
    assert client.get(f"/admin/core/auditevent/{event.pk}/delete/").status_code == 403
    assert client.get("/admin/core/auditevent/add/").status_code == 403


def test_the_audit_list_is_not_for_others(client):
    staff = get_user_model().objects.create_user("staff", password="x", is_staff=True)
    client.force_login(staff)
    assert client.get("/admin/core/auditevent/").status_code == 403
