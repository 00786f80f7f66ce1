"""Appeals of a color and family proxies (PRODUCT.md 3.2: every color explained and correctable)."""

from django.db import IntegrityError, transaction

from coproduce.core import clock
from coproduce.core.audit import audit_record
from coproduce.core.errors import Conflict, ValidationFailed
from coproduce.health_codes.models import Appeal, Condition, ProxyConsent
from coproduce.health_codes.services.codes import _evaluate, _user, condition_end
from coproduce.people.models import Person


def _text(name: str, value: str, limit: int) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationFailed.field(name, "Say why, in a few words.")
    if len(value) > limit:
        raise ValidationFailed.field(name, f"At most {limit} characters.")
    return value


def appeal_file(*, person: Person, reason: str, actor) -> Appeal:
    """A resident (or their proxy) disputes their current color, with a reason."""
    reason = _text("reason", reason, 2000)
    color = _evaluate(person.pk, clock.today()).color
    try:
        with transaction.atomic():
            appeal = Appeal.objects.create(
                person=person,
                color=color.value,
                reason=reason,
                filed_by=_user(actor),
                filed_at=clock.now(),
            )
            audit_record(
                actor=actor,
                action="health_codes.appeal_file",
                target=appeal,
                details={"person": person.public_id, "color": color.value},
            )
    except IntegrityError:
        raise Conflict(
            "An appeal of this code is already waiting for a decision.", code="appeal_open"
        ) from None
    return appeal


def appeal_decide(
    *, appeal: Appeal, actor, outcome: str, decision: str, end_conditions=None
) -> Appeal:
    """An official corrects the code (ending the conditions named, or all active) or refuses.

    The decision's reason is recorded on the appeal and on every condition it ends; a decided
    appeal cannot be decided again (conditional update: two officials at once, one wins).
    """
    if outcome not in {Appeal.Status.CORRECTED, Appeal.Status.REFUSED}:
        raise ValidationFailed.field("outcome", "Choose corrected or refused.")
    decision = _text("decision", decision, 2000)
    today = clock.today()
    with transaction.atomic():
        updated = Appeal.objects.filter(pk=appeal.pk, status=Appeal.Status.OPEN).update(
            status=outcome, decided_by=_user(actor), decided_at=clock.now(), decision=decision
        )
        if updated != 1:
            raise Conflict("This appeal was decided already.", code="appeal_decided")
        ended = []
        if outcome == Appeal.Status.CORRECTED:
            active = [
                c
                for c in Condition.objects.filter(person_id=appeal.person_id).select_related(
                    "person"
                )
                if c.as_rule().applies_on(today)
            ]
            if end_conditions is not None:
                wanted = {int(i) for i in end_conditions}
                if unknown := wanted - {c.pk for c in active}:
                    raise ValidationFailed.field(
                        "end_conditions", f"Not active conditions of this person: {sorted(unknown)}"
                    )
                active = [c for c in active if c.pk in wanted]
            for condition in active:
                end_on = max(today, condition.starts_on)
                condition_end(
                    condition=condition,
                    ends_on=end_on,
                    actor=actor,
                    why=f"appeal {appeal.pk}: {decision}"[:500],
                )
                ended.append(condition.pk)
        appeal.refresh_from_db()
        audit_record(
            actor=actor,
            action="health_codes.appeal_decide",
            target=appeal,
            details={"outcome": outcome, "ended_conditions": ended},
        )
    return appeal


def proxy_grant(*, person: Person, user, relation: str, consent: str, actor) -> ProxyConsent:
    """Let `user` manage `person`'s code and reports (a family member), with recorded consent."""
    relation = _text("relation", relation, 40)
    consent = _text("consent", consent, 300)
    if person.user_id is not None and person.user_id == user.pk:
        raise ValidationFailed.field("user", "A person needs no proxy for themselves.")
    try:
        with transaction.atomic():
            record = ProxyConsent.objects.create(
                person=person,
                user=user,
                relation=relation,
                consent=consent,
                granted_at=clock.now(),
                granted_by=_user(actor),
            )
            audit_record(
                actor=actor,
                action="health_codes.proxy_grant",
                target=person,
                details={"user": user.get_username(), "relation": relation},
            )
    except IntegrityError:
        raise Conflict("This account manages this person already.", code="proxy_exists") from None
    return record


def proxy_revoke(*, consent: ProxyConsent, actor) -> ProxyConsent:
    """Withdraw a proxy's consent; the proxy loses access at once.

    The person, the proxy themselves or staff in scope withdraw it (the caller decides who may).
    A conditional update: withdrawn twice at once, one wins and the other gets 409.
    """
    with transaction.atomic():
        updated = ProxyConsent.objects.filter(pk=consent.pk, revoked_at__isnull=True).update(
            revoked_at=clock.now()
        )
        if updated != 1:
            raise Conflict("This consent was withdrawn already.", code="proxy_revoked")
        audit_record(
            actor=actor,
            action="health_codes.proxy_revoke",
            target=consent.person,
            details={"user": consent.user.get_username(), "relation": consent.relation},
        )
    consent.refresh_from_db()
    return consent
