"""Proposals accepted or refused by the two enterprises; both acceptances make an agreement.

Over-commitment: two proposals (of different runs, or after a posting shrank) may together ask
more workers of a surplus than it has. The acceptance that completes an agreement raises the
postings' `committed` with one conditional UPDATE each (`committed + n <= workers`); the
database applies them one after the other, so of two acceptances racing for the same workers
exactly one succeeds and the other is refused with a conflict (its proposal lapses).
"""

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from coproduce.core import clock
from coproduce.core.audit import audit_record
from coproduce.core.errors import Conflict, PermissionDenied, ValidationFailed
from coproduce.labor.models import Agreement, Posting, Proposal
from coproduce.labor.rules import PostingState, ProposalState
from coproduce.labor.selectors import proposal_get
from coproduce.recovery.models import Enterprise
from coproduce.recovery.scope import enterprise_scope

LENDER, BORROWER = "lender", "borrower"
MAX_TERMS = 2000


class _OverCommitted(Exception):
    """Raised inside the transaction to roll it back when a posting lacks the workers."""


def _side(actor, proposal: Proposal, side: str | None, permission: str) -> str:
    """Which enterprise of the proposal the caller acts for."""
    scope = enterprise_scope(actor, permission)
    if scope.empty:
        raise PermissionDenied(_("Your roles do not allow answering proposals."))
    mine = set(
        Enterprise.objects.filter(scope.q())
        .filter(pk__in=[proposal.surplus.enterprise_id, proposal.shortage.enterprise_id])
        .values_list("pk", flat=True)
    )
    sides = []
    if proposal.surplus.enterprise_id in mine:
        sides.append(LENDER)
    if proposal.shortage.enterprise_id in mine:
        sides.append(BORROWER)
    if not sides:
        raise PermissionDenied(_("You do not act for either enterprise of this proposal."))
    if side is None:
        if len(sides) > 1:
            raise ValidationFailed.field("side", _("Say whether you accept as lender or borrower."))
        return sides[0]
    if side not in sides:
        raise ValidationFailed.field("side", _("You do not act for that enterprise."))
    return side


def _commit(posting_id: int, workers: int) -> bool:
    """Add agreed workers to a posting if it still has them open (one conditional UPDATE)."""
    return bool(
        Posting.objects.filter(
            pk=posting_id,
            state=PostingState.OPEN,
            committed__lte=F("workers") - workers,
        ).update(committed=F("committed") + workers)
    )


def _close_if_full(posting_id: int, *, actor, now) -> None:
    """A posting whose workers are all agreed is matched; its other pending proposals lapse."""
    posting = Posting.objects.get(pk=posting_id)
    if posting.committed == posting.workers:
        Posting.objects.filter(pk=posting_id).update(state=PostingState.MATCHED)
    left = posting.workers - posting.committed
    # skip_locked: a proposal another acceptance holds is left to that acceptance, whose own
    # conditional update then fails and lapses it; waiting for it here could deadlock (it waits
    # for this posting's row, which this transaction holds).
    stale = list(
        Proposal.objects.select_for_update(skip_locked=True)
        .filter(state=ProposalState.PENDING, workers__gt=left, **{posting.kind: posting_id})
        .values_list("pk", flat=True)
    )
    Proposal.objects.filter(pk__in=stale).update(
        state=ProposalState.LAPSED, closed_by=actor, closed_at=now, reason="workers taken"
    )


def _make_agreement(proposal: Proposal, *, actor, now) -> Agreement:
    """Commit both postings' workers and sign the agreement (inside the caller's transaction)."""
    if not (_commit(proposal.surplus_id, proposal.workers)):
        raise _OverCommitted
    if not (_commit(proposal.shortage_id, proposal.workers)):
        raise _OverCommitted
    surplus, shortage = proposal.surplus, proposal.shortage
    agreement = Agreement.objects.create(
        proposal=proposal,
        surplus=surplus,
        shortage=shortage,
        lender_id=surplus.enterprise_id,
        borrower_id=shortage.enterprise_id,
        skill_id=shortage.skill_id,
        workers=proposal.workers,
        start_date=shortage.start_date,
        end_date=shortage.end_date,
        distance_km=proposal.distance_km,
        pay_terms=proposal.pay_terms,
        insurance_terms=proposal.insurance_terms,
        lender_signatory=proposal.lender_accepted_by,
        borrower_signatory=proposal.borrower_accepted_by,
        signed_at=now,
    )
    proposal.state = ProposalState.ACCEPTED
    proposal.closed_at = now
    proposal.save(update_fields=["state", "closed_at"])
    _close_if_full(surplus.pk, actor=actor, now=now)
    _close_if_full(shortage.pk, actor=actor, now=now)
    audit_record(
        actor=actor,
        action="labor.agreement.sign",
        target=agreement,
        details={"proposal": proposal.pk, "workers": proposal.workers},
    )
    return agreement


def proposal_accept(
    *,
    actor,
    proposal_id: int,
    side: str | None = None,
    pay_terms: str = "",
    insurance_terms: str = "",
) -> Proposal:
    """Accept a proposal for one's enterprise. The first acceptance states the pay and
    insurance terms; the second accepts them and signs the agreement (both postings shrink)."""
    scope = enterprise_scope(actor, "labor.accept")
    if scope.empty:
        raise PermissionDenied(_("Your roles do not allow answering proposals."))
    proposal = proposal_get(proposal_id=proposal_id, scope=scope)
    mine = _side(actor, proposal, side, "labor.accept")
    pay_terms, insurance_terms = pay_terms.strip(), insurance_terms.strip()
    try:
        with transaction.atomic():
            # Row lock: the lender's and the borrower's acceptance must see each other.
            locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
            locked.surplus, locked.shortage = proposal.surplus, proposal.shortage
            if locked.state != ProposalState.PENDING:
                raise Conflict(_("This proposal is no longer waiting for an answer."))
            if getattr(locked, f"{mine}_accepted_at") is not None:
                raise Conflict(_("Your enterprise already accepted this proposal."))
            other = BORROWER if mine == LENDER else LENDER
            first = getattr(locked, f"{other}_accepted_at") is None
            now = clock.now()
            if first:
                errors = {}
                if not pay_terms:
                    errors["pay_terms"] = [_("State the pay: who pays the workers, how much.")]
                if not insurance_terms:
                    errors["insurance_terms"] = [_("State who insures the workers.")]
                for name, text in (("pay_terms", pay_terms), ("insurance_terms", insurance_terms)):
                    if len(text) > MAX_TERMS:
                        errors[name] = [_("At most %(n)s characters.") % {"n": MAX_TERMS}]
                if errors:
                    raise ValidationFailed(_("The terms are missing."), fields=errors)
                locked.pay_terms, locked.insurance_terms = pay_terms, insurance_terms
            elif (pay_terms and pay_terms != locked.pay_terms) or (
                insurance_terms and insurance_terms != locked.insurance_terms
            ):
                raise ValidationFailed.field(
                    "pay_terms",
                    _("The other enterprise set the terms: accept them, or refuse the proposal."),
                )
            setattr(locked, f"{mine}_accepted_by", actor)
            setattr(locked, f"{mine}_accepted_at", now)
            locked.save()
            audit_record(
                actor=actor,
                action="labor.proposal.accept",
                target=locked,
                details={"side": mine},
            )
            if not first:
                _make_agreement(locked, actor=actor, now=now)
    except _OverCommitted:
        with transaction.atomic():
            Proposal.objects.filter(pk=proposal.pk, state=ProposalState.PENDING).update(
                state=ProposalState.LAPSED,
                closed_by=actor,
                closed_at=clock.now(),
                reason="workers taken",
            )
            audit_record(actor=actor, action="labor.proposal.lapse", target=proposal)
        raise Conflict(
            _("These workers were agreed elsewhere meanwhile: the proposal has lapsed."),
            code="over_committed",
        ) from None
    return locked


def proposal_refuse(*, actor, proposal_id: int, reason: str = "") -> Proposal:
    """Refuse a pending proposal for one's enterprise; its workers are offered again."""
    scope = enterprise_scope(actor, "labor.accept")
    if scope.empty:
        raise PermissionDenied(_("Your roles do not allow answering proposals."))
    # Found through the scope: it involves one of the caller's enterprises (else 404).
    proposal = proposal_get(proposal_id=proposal_id, scope=scope)
    if len(reason) > 300:
        raise ValidationFailed.field("reason", _("At most 300 characters."))
    with transaction.atomic():
        done = Proposal.objects.filter(pk=proposal.pk, state=ProposalState.PENDING).update(
            state=ProposalState.REFUSED,
            closed_by=actor,
            closed_at=clock.now(),
            reason=reason.strip(),
        )
        if not done:
            raise Conflict(_("This proposal is no longer waiting for an answer."))
        audit_record(actor=actor, action="labor.proposal.refuse", target=proposal)
    proposal.refresh_from_db()
    return proposal
