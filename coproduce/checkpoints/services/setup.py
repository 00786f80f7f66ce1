"""Writes of checkpoints themselves: open one (with its place code), change its policy."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from coproduce.checkpoints import rules, selectors
from coproduce.checkpoints.models import Checkpoint
from coproduce.core.audit import audit_record
from coproduce.core.errors import ValidationFailed
from coproduce.places.services import place_create


def checkpoint_create(
    *,
    name: str,
    kind: str,
    region,
    actor,
    operator=None,
    lat: Decimal | None = None,
    lon: Decimal | None = None,
    yellow_may_enter_own_gate: bool = False,
    minimum_staff: int = 1,
) -> Checkpoint:
    """Open a checkpoint: a place with a printable place code, its kind and its policy."""
    if kind not in {k.value for k in rules.CheckpointKind}:
        raise ValidationFailed.field(
            "kind", f"{kind!r} is not one of {', '.join(k.value for k in rules.CheckpointKind)}."
        )
    if not 0 <= minimum_staff <= 50:
        raise ValidationFailed.field("minimum_staff", _("Between 0 and 50 staff on duty."))
    with transaction.atomic():
        place = place_create(
            name=name, kind=kind, region=region, actor=actor, operator=operator, lat=lat, lon=lon
        )
        checkpoint = Checkpoint.objects.create(
            place=place,
            kind=kind,
            yellow_may_enter_own_gate=yellow_may_enter_own_gate,
            minimum_staff=minimum_staff,
        )
        audit_record(
            actor=actor,
            action="checkpoints.create",
            target=checkpoint,
            details={"kind": kind, "region": region.code},
        )
    return checkpoint


def checkpoint_policy_set(
    *, checkpoint: Checkpoint, actor, yellow_may_enter_own_gate: bool, minimum_staff: int
) -> Checkpoint:
    """Change a checkpoint's policy (own-gate exception, staff needed on duty)."""
    if not 0 <= minimum_staff <= 50:
        raise ValidationFailed.field("minimum_staff", _("Between 0 and 50 staff on duty."))
    with transaction.atomic():
        Checkpoint.objects.filter(pk=checkpoint.pk).update(
            yellow_may_enter_own_gate=yellow_may_enter_own_gate, minimum_staff=minimum_staff
        )
        checkpoint.yellow_may_enter_own_gate = yellow_may_enter_own_gate
        checkpoint.minimum_staff = minimum_staff
        selectors.checkpoint_forget()
        audit_record(
            actor=actor,
            action="checkpoints.policy_set",
            target=checkpoint,
            details={
                "yellow_may_enter_own_gate": yellow_may_enter_own_gate,
                "minimum_staff": minimum_staff,
            },
        )
    return checkpoint


def checkpoint_policy(checkpoint: Checkpoint) -> rules.CheckpointPolicy:
    """The decision settings of one checkpoint."""
    return rules.CheckpointPolicy(yellow_may_enter_own_gate=checkpoint.yellow_may_enter_own_gate)
