"""The audit trail: called by every service that writes personal data or shows a person to staff."""

from typing import Any

from django.db import models
from django.utils import timezone

from coproduce.core.models import AuditEvent
from coproduce.core.origin import origin_get
from coproduce.core.sql import insert_rows


def audit_row(
    *, actor, action: str, object_type: str, object_id: Any, details: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The columns of one audit event from the current origin (for a caller that inserts it
    together with the row it records, see core.sql.insert_with_dependents)."""
    origin = origin_get()
    user = actor if getattr(actor, "is_authenticated", False) else None
    return {
        "at": timezone.now(),  # real time, even in a drill: the trail records when it happened
        "actor_id": user.pk if user else None,
        "actor_label": user.get_username() if user else "",
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "origin_ip": origin.ip,
        "origin_agent": origin.agent,
        "origin_path": origin.path,
        "details": details or {},
    }


def audit_record(
    *,
    actor,
    action: str,
    target: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit event for `actor` doing `action` to `target`, from the current origin."""
    if target is not None:
        object_type = target._meta.label_lower
        object_id = str(target.pk)
    values = audit_row(
        actor=actor, action=action, object_type=object_type, object_id=object_id, details=details
    )
    # Written by nearly every request: a plain INSERT (core.sql) rather than the ORM's save.
    ((pk,),) = insert_rows(AuditEvent, [values], returning=("id",))
    return AuditEvent(pk=pk, **values)


def audit_record_many(*, actor, action: str, targets, details: dict[str, Any] | None = None) -> int:
    """Append one audit event per target in one insert (a staff list of people, a merge)."""
    origin = origin_get()
    user = actor if getattr(actor, "is_authenticated", False) else None
    now = timezone.now()
    events = [
        AuditEvent(
            at=now,
            actor=user,
            actor_label=user.get_username() if user else "",
            action=action,
            object_type=t._meta.label_lower,
            object_id=str(t.pk),
            origin_ip=origin.ip,
            origin_agent=origin.agent,
            origin_path=origin.path,
            details=details or {},
        )
        for t in targets
    ]
    AuditEvent.objects.bulk_create(events)
    return len(events)
