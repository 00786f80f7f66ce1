"""Scan keys are scoped to the device's organization (issue 18, point 7)."""

from hypothesis import given
from hypothesis import strategies as st

from conftest import _user
from coproduce.accounts.services import RoleSpec
from coproduce.checkpoints import rules
from coproduce.checkpoints.models import Scan
from coproduce.checkpoints.tests.conftest import live, scan_body


def scan(client, checkpoint, body):
    return client.post(f"/checkpoints/{checkpoint.pk}/scans", body)


def yuhang_staff(yuhang_org):
    return _user("yuhang_gate", RoleSpec("checkpoint_staff", "330110", yuhang_org.pk))


def test_another_organizations_device_reusing_a_key_is_another_scan(
    api_as, checkpoint_staff, checkpoint, yuhang_checkpoint, yuhang_org, person
):
    # Both organizations name their first device "gate-1" and number their scans from 0001.
    ours = api_as(checkpoint_staff)
    theirs = api_as(yuhang_staff(yuhang_org))
    first = scan(
        ours, checkpoint, scan_body(live(person(31)), device_id="gate-1", idempotency_key="0001")
    )
    assert first.status_code == 200, first.content
    other = scan(
        theirs,
        yuhang_checkpoint,
        scan_body(
            live(person(32, area="330110001001001")), device_id="gate-1", idempotency_key="0001"
        ),
    )
    assert other.status_code == 200, other.content
    assert other.json()["replayed"] is False
    assert other.json()["scan_id"] != first.json()["scan_id"]
    assert Scan.objects.count() == 2
    # Each organization's retry still answers with its own first answer.
    again = scan(ours, checkpoint, scan_body("x", device_id="gate-1", idempotency_key="0001"))
    assert again.status_code == 409  # the same key with another content, in our scope


def test_batches_of_two_organizations_with_the_same_keys_are_both_stored(
    api_as, checkpoint_staff, checkpoint, yuhang_checkpoint, yuhang_org, person
):
    ours = [
        scan_body(live(person(40 + i)), device_id="gate-1", idempotency_key=f"{i:04d}")
        for i in range(3)
    ]
    theirs = [
        scan_body(
            live(person(50 + i, area="330110001001001")),
            device_id="gate-1",
            idempotency_key=f"{i:04d}",
        )
        for i in range(3)
    ]
    a = api_as(checkpoint_staff).post(f"/checkpoints/{checkpoint.pk}/scans/batch", {"scans": ours})
    b = api_as(yuhang_staff(yuhang_org)).post(
        f"/checkpoints/{yuhang_checkpoint.pk}/scans/batch", {"scans": theirs}
    )
    assert a.status_code == 200 and b.status_code == 200, (a.content, b.content)
    assert all(not r.get("replayed") and "error" not in r for r in b.json()["results"]), b.json()
    assert Scan.objects.count() == 6


@given(st.integers(1, 2**62), st.integers(1, 2**62), st.integers(1, 2**62))
def test_key_scopes_of_distinct_organizations_differ(org_a, org_b, checkpoint_id):
    a = rules.scan_key_scope(operator_id=org_a, checkpoint_id=checkpoint_id)
    b = rules.scan_key_scope(operator_id=org_b, checkpoint_id=checkpoint_id)
    assert (a == b) == (org_a == org_b)
    # A checkpoint without an operator never shares an organization's scope.
    assert rules.scan_key_scope(operator_id=None, checkpoint_id=org_a) != a
