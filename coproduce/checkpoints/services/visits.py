"""Visits: a resident's own record of being at a place."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction

from coproduce.checkpoints import rules
from coproduce.checkpoints.models import Visit
from coproduce.checkpoints.retention import log_retention
from coproduce.core import clock
from coproduce.core.audit import audit_record
from coproduce.core.errors import ValidationFailed
from coproduce.people.models import Person
from coproduce.places.models import Presence
from coproduce.places.services import presence_record


def visit_record(*, person: Person, place, visited_at: datetime, actor) -> tuple[Visit, bool]:
    """Record that a resident was at a place (scanned its place code); (visit, created).

    The same person, place and moment again returns the visit already stored.
    """
    now = clock.now()
    if problem := rules.presence_time_problem(at=visited_at, now=now, retention=log_retention()):
        raise ValidationFailed.field("visited_at", problem)
    existing = Visit.objects.filter(person=person, place=place, visited_at=visited_at).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            visit = Visit.objects.create(
                person=person,
                place=place,
                visited_at=visited_at,
                received_at=now,
                recorded_by=actor,
            )
            presence_record(
                person=person,
                place=place,
                at=visited_at,
                kind=Presence.Kind.VISIT,
                source=f"checkpoints.visit:{visit.pk}",
            )
            audit_record(actor=actor, action="checkpoints.visit", target=visit)
    except IntegrityError:
        return Visit.objects.get(person=person, place=place, visited_at=visited_at), False
    return visit, True
