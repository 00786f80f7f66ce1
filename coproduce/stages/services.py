"""Writes of response stages: an official sets a region's stage, accepts or dismisses a suggestion."""

from datetime import date

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from coproduce.accounts.models import User
from coproduce.core import clock
from coproduce.core.audit import audit_record
from coproduce.core.errors import Conflict, ValidationFailed
from coproduce.regions.models import Region
from coproduce.stages import rules
from coproduce.stages.models import RegionStage, SuggestionDecision
from coproduce.stages.selectors import suggestion_get


def _validate(stage: int, effective_from: date, note: str) -> None:
    fields: dict[str, list[str]] = {}
    if stage not in {s.value for s in rules.Stage}:
        fields["stage"] = [_("A stage is 1, 2 or 3.")]
    if len(note) > 300:
        fields["note"] = [_("A note has at most 300 characters.")]
    if not date(2000, 1, 1) <= effective_from <= date(2200, 12, 31):
        fields["effective_from"] = [_("Give a date between 2000 and 2200.")]
    if fields:
        raise ValidationFailed(next(iter(fields.values()))[0], fields=fields)


def stage_set(
    *, region: Region, stage: int, effective_from: date, actor: User, note: str = ""
) -> RegionStage:
    """Set a region's stage from a date on; earlier settings stay as history.

    The same stage from the same date again changes nothing (a retried request).
    """
    _validate(stage, effective_from, note)
    with transaction.atomic():
        latest = (
            RegionStage.objects.filter(region=region, effective_from=effective_from)
            .order_by("-id")
            .first()
        )
        if latest is not None and latest.stage == stage:
            return latest
        record = RegionStage.objects.create(
            region=region,
            stage=stage,
            effective_from=effective_from,
            note=note,
            set_by=actor,
            set_at=clock.now(),
        )
        audit_record(
            actor=actor,
            action="stages.set",
            target=region,
            details={"stage": stage, "effective_from": effective_from.isoformat()},
        )
    return record


def _decide(*, region: Region, actor: User, decision: str, stage: int) -> rules.Suggestion:
    """Record an official's answer to the suggestion in force today (one answer per suggestion)."""
    today = clock.today()
    suggestion = suggestion_get(region=region, on=today)
    if suggestion is None or suggestion.stage != stage:
        raise Conflict(
            _(
                "There is no such suggestion for this region today (it was answered, or the "
                "records changed)."
            ),
            code="no_suggestion",
        )
    try:
        with transaction.atomic():
            SuggestionDecision.objects.create(
                region=region,
                suggested_stage=suggestion.stage,
                reason=suggestion.reason.value,
                basis=suggestion.basis,
                decision=decision,
                decided_by=actor,
                decided_at=clock.now(),
                on_day=today,
            )
            audit_record(
                actor=actor,
                action=f"stages.suggestion_{decision}",
                target=region,
                details={"stage": suggestion.stage, "reason": suggestion.reason.value},
            )
    except IntegrityError:
        # Two officials answered at once: the first answer stands.
        raise Conflict(
            _("Someone answered this suggestion already."), code="no_suggestion"
        ) from None
    return suggestion


def suggestion_accept(*, region: Region, stage: int, actor: User) -> RegionStage:
    """Accept the suggested stage: it is set for the region from today."""
    with transaction.atomic():
        suggestion = _decide(region=region, actor=actor, decision="accepted", stage=stage)
        return stage_set(
            region=region,
            stage=suggestion.stage,
            effective_from=clock.today(),
            actor=actor,
            note=suggestion.text[:300],
        )


def suggestion_dismiss(*, region: Region, stage: int, actor: User) -> None:
    """Dismiss the suggested stage: not suggested again until the evidence changes."""
    _decide(region=region, actor=actor, decision="dismissed", stage=stage)
