"""Writes to the Voluntary Bank: postings (earn, gift, redeem, refund, reversal), partners, offers,
redemptions. Every posting goes through `rules.posting_apply` inside one transaction that locks
the accounts it moves (in id order, so two postings never deadlock), so that two redemptions of
the same hours cannot both pass the balance check; the unique posting key stores a retry once.
"""

from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from coproduce.core import clock
from coproduce.core.audit import audit_record
from coproduce.core.errors import Conflict, PermissionDenied, ValidationFailed
from coproduce.timebank import rules, selectors
from coproduce.timebank.models import Account, Entry, Offer, Partner, Posting, Redemption

MAX_KEY = 120

# Refusals that are a collision with the ledger's state (409) rather than bad input (422).
_CONFLICTS = {
    rules.Refusal.INSUFFICIENT_BALANCE,
    rules.Refusal.ALREADY_UNDONE,
    rules.Refusal.IDEMPOTENCY_CONFLICT,
}


# --- accounts ------------------------------------------------------------------------------


def _account(kind: rules.AccountKind, key: str, **links) -> Account:
    account = Account.objects.filter(kind=kind, key=key).first()
    if account is not None:
        return account
    try:
        with transaction.atomic():
            return Account.objects.create(kind=kind, key=key, created_at=clock.now(), **links)
    except IntegrityError:
        return Account.objects.get(kind=kind, key=key)  # opened at the same moment elsewhere


def account_issuance() -> Account:
    """The system account every earned hour comes from (its balance is minus all hours earned)."""
    return _account(rules.AccountKind.ISSUANCE, rules.ISSUANCE_KEY)


def account_of_volunteer(*, volunteer) -> Account:
    """The volunteer's account, opened on first use."""
    return _account(
        rules.AccountKind.VOLUNTEER,
        volunteer.public_id,
        volunteer=volunteer,
        region_id=volunteer.home_region_id,
    )


def account_of_person(*, person) -> Account:
    """A resident's account (the elderly neighbour given hours), opened on first use."""
    return _account(
        rules.AccountKind.RESIDENT, person.public_id, person=person, region_id=person.home_region_id
    )


def account_of_partner(*, partner: Partner) -> Account:
    """The account a partner's redemptions go to."""
    return _account(
        rules.AccountKind.PARTNER, partner.slug, partner=partner, region_id=partner.region_id
    )


# --- postings ------------------------------------------------------------------------------


def _rule_account(account: Account) -> rules.Account:
    return rules.Account(rules.AccountKind(account.kind), account.key)


def posting_as_rule(posting: Posting) -> rules.Posting:
    """A stored posting as the rules see it."""
    entries = tuple(
        rules.Entry(_rule_account(e.account), e.minutes)
        for e in posting.entries.select_related("account").order_by("id")
    )
    return rules.Posting(
        key=posting.key,
        kind=rules.PostingKind(posting.kind),
        entries=entries,
        at=posting.at,
        reverses=posting.reverses.key if posting.reverses_id else None,
        reference=posting.reference,
        memo=posting.memo,
    )


def _refuse(problems: tuple[rules.Problem, ...]) -> None:
    first = problems[0]
    if first.code is rules.Refusal.INSUFFICIENT_BALANCE:
        # The one refusal a person causes (giving or redeeming more than they hold): in their
        # words. The others are the caller's mistakes and keep the rule's English original.
        raise Conflict(_("The account does not hold enough hours for this."), code=first.code.value)
    if first.code in _CONFLICTS:
        raise Conflict(first.message, code=first.code.value)
    field = "minutes" if first.line is not None else "posting"
    raise ValidationFailed(first.message, fields={field: [first.message]}, code=first.code.value)


def posting_record(
    *,
    key: str,
    kind: rules.PostingKind,
    lines: list[tuple[Account, int]],
    actor,
    reverses: Posting | None = None,
    reference: str = "",
    memo: str = "",
) -> tuple[Posting, bool]:
    """Post once: (posting, True) when applied now, (the stored posting, False) on a replay.

    Refused postings raise: a balance that would go negative or a reused key is a Conflict,
    anything else a ValidationFailed with the rule's reason code.
    """
    if not key or len(key) > MAX_KEY:
        raise ValidationFailed.field("key", f"An idempotency key of 1 to {MAX_KEY} characters.")
    if len(memo) > 200:
        raise ValidationFailed.field("memo", _("At most 200 characters."))
    now = clock.now()
    wanted = rules.Posting(
        key=key,
        kind=kind,
        entries=tuple(rules.Entry(_rule_account(a), m) for a, m in lines),
        at=now,
        reverses=reverses.key if reverses else None,
        reference=reference,
        memo=memo,
    )
    try:
        with transaction.atomic():
            ids = sorted({a.pk for a, _ in lines})
            locked = {
                a.pk: a
                for a in Account.objects.select_for_update().filter(pk__in=ids).order_by("pk")
            }
            seen: dict[str, rules.Posting] = {}
            stored = Posting.objects.filter(key=key).first()
            if stored is not None:
                seen[key] = posting_as_rule(stored)
            undone: set[str] = set()
            if reverses is not None:
                seen[reverses.key] = posting_as_rule(reverses)
                if Posting.objects.filter(reverses=reverses).exists():
                    undone.add(reverses.key)
            result = rules.posting_apply(
                balances={_rule_account(a): a.balance for a in locked.values()},
                posting=wanted,
                seen=seen,
                undone=undone,
            )
            if result.outcome is rules.Outcome.REPLAYED:
                return stored, False
            if result.outcome is rules.Outcome.REFUSED:
                _refuse(result.problems)
            posting = Posting.objects.create(
                key=key,
                kind=kind.value,
                at=now,
                reverses=reverses,
                reference=reference,
                memo=memo,
                actor=actor if getattr(actor, "is_authenticated", False) else None,
            )
            Entry.objects.bulk_create(
                [Entry(posting=posting, account=a, minutes=m, at=now) for a, m in lines]
            )
            by_rule = {_rule_account(a): a for a in locked.values()}
            for rule_account, balance in result.balances.items():
                account = by_rule[rule_account]
                # Conditional on the balance read under the lock: a change we did not see
                # (a writer that skipped the lock) makes this fail rather than lose an update.
                changed = Account.objects.filter(pk=account.pk, balance=account.balance).update(
                    balance=balance
                )
                if not changed:
                    raise Conflict(_("The balance changed just now; try again."), code="retry")
            audit_record(
                actor=actor,
                action=f"timebank.{kind.value}",
                target=posting,
                details={"lines": [[a.key, m] for a, m in lines]},
            )
    except IntegrityError:
        # The same key posted at the same moment by another worker (or a second undo of one
        # posting): the constraint kept one. A same-key replay answers with it.
        stored = Posting.objects.filter(key=key).first()
        if stored is not None and posting_as_rule(stored).substance() == wanted.substance():
            return stored, False
        raise Conflict(
            _("This posting collides with one just made."), code="already_undone"
        ) from None
    return posting, True


def hours_earn(*, record, actor) -> Posting | None:
    """Credit a confirmed service record's minutes to its volunteer, exactly once per record."""
    if record.minutes <= 0:
        return None  # a record capped to nothing earns nothing (and zero lines are refused)
    account = account_of_volunteer(volunteer=record.volunteer)
    posting, _created = posting_record(
        key=f"earn:volunteers.service_record:{record.pk}",
        kind=rules.PostingKind.EARN,
        lines=[(account_issuance(), -record.minutes), (account, record.minutes)],
        actor=actor,
        reference=f"volunteers.service_record:{record.pk}",
        memo=f"{record.get_activity_display()} {record.start:%Y-%m-%d}",
    )
    return posting


def posting_reverse(*, posting: Posting, actor, memo: str = "") -> Posting:
    """Undo a posting by a new mirrored one (never an edit); a redemption is undone by a refund."""
    original = posting_as_rule(posting)
    mirror = rules.reversal_of(original, key=f"undo:{posting.key}"[:MAX_KEY], at=clock.now())
    accounts = {
        _rule_account(e.account): e.account for e in posting.entries.select_related("account")
    }
    reversed_posting, _created = posting_record(
        key=mirror.key,
        kind=mirror.kind,
        lines=[(accounts[e.account], e.minutes) for e in mirror.entries],
        actor=actor,
        reverses=posting,
        reference=mirror.reference,
        memo=memo[:200],
    )
    return reversed_posting


def hours_unearn(*, record, actor, reason: str) -> Posting | None:
    """Reverse the hours of a voided service record (refused if they were already spent)."""
    earned = Posting.objects.filter(key=f"earn:volunteers.service_record:{record.pk}").first()
    if earned is None:
        return None
    return posting_reverse(posting=earned, actor=actor, memo=reason)


def hours_give(
    *, source: Account, target: Account, minutes: int, key: str, actor, memo=""
) -> Posting:
    """Give hours to another holder (a volunteer to an elderly neighbour); never below zero."""
    if not isinstance(minutes, int) or minutes <= 0:
        raise ValidationFailed.field("minutes", _("Give a positive number of whole minutes."))
    if source.pk == target.pk:
        raise ValidationFailed.field("to", _("Give to someone else."))
    posting, _created = posting_record(
        key=f"gift:{source.key}:{key}"[:MAX_KEY],
        kind=rules.PostingKind.GIFT,
        lines=[(source, -minutes), (target, minutes)],
        actor=actor,
        memo=memo,
    )
    return posting


def hours_gift(*, source: Account, to: str, minutes: int, key: str, actor, memo="") -> Posting:
    """Give hours to the holder of a public id: a volunteer, or a registered resident (an account
    is opened for a resident without one). The page and the API both give through this."""
    target = selectors.gift_target_find(public_id=to.strip()[:16])
    if target is None:
        raise ValidationFailed.field("to", _("No volunteer or resident has this id."))
    if isinstance(target, Account):
        return hours_give(
            source=source, target=target, minutes=minutes, key=key, actor=actor, memo=memo
        )
    account = account_of_person(person=target)
    return hours_give(
        source=source, target=account, minutes=minutes, key=key, actor=actor, memo=memo
    )


# --- partners, offers, redemptions ---------------------------------------------------------


def partner_create(*, name: str, kind: str, region, actor, staff=(), slug: str = "") -> Partner:
    """Register a partner that honours hours, with the accounts of its staff."""
    fields: dict[str, list[str]] = {}
    name = (name or "").strip()
    if not name or len(name) > 200:
        fields["name"] = [_("A name of 1 to 200 characters is required.")]
    if kind not in Partner.Kind.values:
        fields["kind"] = [f"{kind!r} is not one of {', '.join(Partner.Kind.values)}."]
    if fields:
        raise ValidationFailed(next(iter(fields.values()))[0], fields=fields)
    slug = slug or slugify(name)[:80] or "partner"
    try:
        with transaction.atomic():
            partner = Partner.objects.create(
                slug=slug, name=name, kind=kind, region=region, created_at=clock.now()
            )
            partner.staff.set(staff)
            account_of_partner(partner=partner)
            audit_record(actor=actor, action="timebank.partner_create", target=partner)
    except IntegrityError:
        raise Conflict(f"A partner {slug!r} exists.", code="slug_taken") from None
    return partner


def offer_create(
    *, partner: Partner, title: str, price_minutes: int, actor, description: str = ""
) -> Offer:
    """Publish a benefit priced in hours (whole minutes)."""
    fields: dict[str, list[str]] = {}
    title = (title or "").strip()
    if not title or len(title) > 200:
        fields["title"] = [_("A title of 1 to 200 characters is required.")]
    if not isinstance(price_minutes, int) or not 1 <= price_minutes <= 1000 * 60:
        fields["price"] = [_("A price between 1 minute and 1000 hours.")]
    if len(description or "") > 2000:
        fields["description"] = [_("At most 2000 characters.")]
    if fields:
        raise ValidationFailed(next(iter(fields.values()))[0], fields=fields)
    with transaction.atomic():
        offer = Offer.objects.create(
            partner=partner,
            title=title,
            description=description or "",
            price_minutes=price_minutes,
            created_at=clock.now(),
        )
        audit_record(actor=actor, action="timebank.offer_create", target=offer)
    return offer


def offer_withdraw(*, offer: Offer, actor) -> Offer:
    """Stop offering a benefit; pending redemptions are still decided."""
    with transaction.atomic():
        Offer.objects.filter(pk=offer.pk).update(active=False)
        audit_record(actor=actor, action="timebank.offer_withdraw", target=offer)
    offer.refresh_from_db()
    return offer


def redemption_request(*, account: Account, offer: Offer, key: str, actor) -> Redemption:
    """Redeem hours for an offer: the hours go to the partner now, pending its confirmation.

    `key` is the client's idempotency key: the same request again returns the same redemption.
    """
    if not offer.active or not offer.partner.active:
        raise Conflict(_("This offer is no longer available."), code="offer_withdrawn")
    if account.kind not in rules.HOLDER_KINDS:
        raise PermissionDenied(_("Only a volunteer's or resident's hours are redeemed."))
    posting_key = f"redeem:{account.key}:{key}"[:MAX_KEY]
    with transaction.atomic():
        posting, applied = posting_record(
            key=posting_key,
            kind=rules.PostingKind.REDEEM,
            lines=[
                (account, -offer.price_minutes),
                (account_of_partner(partner=offer.partner), offer.price_minutes),
            ],
            actor=actor,
            reference=f"timebank.offer:{offer.pk}",
            memo=offer.title[:200],
        )
        if not applied:
            return Redemption.objects.get(posting=posting)
        redemption = Redemption.objects.create(
            offer=offer, account=account, posting=posting, requested_at=clock.now()
        )
        audit_record(actor=actor, action="timebank.redemption_request", target=redemption)
    return redemption


def redemption_decide(*, redemption: Redemption, accept: bool, actor, note: str = "") -> Redemption:
    """The partner confirms, or refuses and the hours return to the holder (a refund posting)."""
    if len(note or "") > 300:
        raise ValidationFailed.field("note", _("At most 300 characters."))
    new = Redemption.Status.CONFIRMED if accept else Redemption.Status.REFUSED
    with transaction.atomic():
        changed = Redemption.objects.filter(
            pk=redemption.pk, status=Redemption.Status.PENDING
        ).update(status=new, decided_at=clock.now(), decided_by=actor, note=note or "")
        redemption.refresh_from_db()
        if not changed:
            if redemption.status == new:
                return redemption  # decided twice the same way: a retry
            raise Conflict(
                _("This redemption is %(status)s already.")
                % {"status": redemption.get_status_display()},
                code="decided",
            )
        if not accept:
            refund = posting_reverse(posting=redemption.posting, actor=actor, memo=note)
            Redemption.objects.filter(pk=redemption.pk).update(refund=refund)
        audit_record(
            actor=actor,
            action="timebank.redemption_" + ("confirm" if accept else "refuse"),
            target=redemption,
        )
    redemption.refresh_from_db()
    return redemption
