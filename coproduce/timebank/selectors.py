"""Reads of the Voluntary Bank: balances, statements, offers and redemptions, within a scope."""

from datetime import datetime

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.accounts.permissions import Scope
from coproduce.core.errors import NotFound
from coproduce.people.models import Person
from coproduce.timebank import rules
from coproduce.timebank.models import Account, Entry, Offer, Partner, Posting, Redemption
from coproduce.volunteers.models import ServiceRecord
from coproduce.volunteers.rules import ancestor_paths

EARNED_FROM = "volunteers.service_record:"


def earned_memos(references) -> dict[str, str]:
    """The memo of earned hours in the reader's language, by posting reference: the activity and
    the day of the service record. The stored memo keeps the words of the day it was earned
    (the language of whoever confirmed the record); pages show these instead."""
    ids = {int(r.removeprefix(EARNED_FROM)) for r in references if r.startswith(EARNED_FROM)}
    records = ServiceRecord.objects.filter(pk__in=ids).only("activity", "start")
    return {
        f"{EARNED_FROM}{r.pk}": f"{r.get_activity_display()} {timezone.localtime(r.start):%Y-%m-%d}"
        for r in records
    }


def account_of_volunteer(*, volunteer) -> Account | None:
    """The volunteer's account, if one was opened."""
    return Account.objects.filter(kind=rules.AccountKind.VOLUNTEER, key=volunteer.public_id).first()


def account_list(*, scope: Scope, kind: str | None = None) -> QuerySet[Account]:
    """Holders' accounts in scope (by the holder's home region), largest balance first."""
    qs = Account.objects.filter(scope.region_q("region")).exclude(kind=rules.AccountKind.ISSUANCE)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.select_related("volunteer", "person", "partner").order_by("-balance", "id")


def account_get(*, kind: str, key: str, scope: Scope) -> Account:
    """One account in scope, or NotFound."""
    account = account_list(scope=scope).filter(kind=kind, key=key).first()
    if account is None:
        raise NotFound(_("No such account in your scope."), code="account_not_found")
    return account


def account_find(*, key: str) -> Account | None:
    """A holder's account by the holder's public id (to give hours to them)."""
    return (
        Account.objects.filter(key=key, kind__in=[k.value for k in rules.HOLDER_KINDS])
        .order_by("kind")
        .first()
    )


def gift_target_find(*, public_id: str) -> Account | Person | None:
    """Whom a gift to `public_id` goes to: a holder's account, else a registered resident who has
    no account yet (services.hours_gift opens it)."""
    account = account_find(key=public_id)
    if account is not None:
        return account
    return Person.objects.filter(public_id=public_id, status="registered").first()


def entries_sum(*, account: Account) -> int:
    """The balance derived from the entries alone (the cached balance must equal it)."""
    return account.entries.aggregate(total=Sum("minutes"))["total"] or 0


def statement_get(
    *, account: Account, start: datetime, end: datetime, for_reader: bool = False
) -> rules.Statement:
    """The account's statement for [start, end): two queries whatever the number of entries
    (three `for_reader`, whose memos of earned hours are in the reader's language)."""
    mine = list(
        Entry.objects.filter(account=account, at__lt=end)
        .select_related("posting")
        .order_by("at", "id")
        .values_list(
            "posting_id",
            "minutes",
            "posting__key",
            "posting__kind",
            "posting__at",
            "posting__reference",
            "posting__memo",
        )
    )
    others: dict[int, list[rules.Entry]] = {}
    posting_ids = Entry.objects.filter(account=account, at__lt=end).values("posting_id")
    for posting_id, kind, key, minutes in (
        Entry.objects.filter(posting_id__in=posting_ids)
        .exclude(account=account)
        .values_list("posting_id", "account__kind", "account__key", "minutes")
    ):
        others.setdefault(posting_id, []).append(
            rules.Entry(rules.Account(rules.AccountKind(kind), key), minutes)
        )
    me = rules.Account(rules.AccountKind(account.kind), account.key)
    words = earned_memos(row[5] for row in mine) if for_reader else {}
    postings = [
        rules.Posting(
            key=key,
            kind=rules.PostingKind(kind),
            entries=(rules.Entry(me, minutes), *others.get(pid, [])),
            at=at,
            reference=reference,
            memo=words.get(reference, memo),
            # The statement shows what was undone by its own line; `reverses` is not needed.
        )
        for pid, minutes, key, kind, at, reference, memo in mine
    ]
    return rules.statement_build(account=me, postings=postings, start=start, end=end)


def posting_get(*, key: str) -> Posting:
    """One posting by key (callers check they may see it), or NotFound."""
    posting = Posting.objects.filter(key=key).first()
    if posting is None:
        raise NotFound(_("No such posting."), code="posting_not_found")
    return posting


def offers_for(*, home_region) -> QuerySet[Offer]:
    """Active offers of active partners serving the holder's home region."""
    return (
        Offer.objects.filter(active=True, partner__active=True)
        .filter(partner__region__path__in=ancestor_paths(home_region.path))
        .select_related("partner")
        .order_by("price_minutes", "id")
    )


def offer_get(*, offer_id: int, home_region) -> Offer:
    """An offer available to a holder, or NotFound."""
    offer = offers_for(home_region=home_region).filter(pk=offer_id).first()
    if offer is None:
        raise NotFound(_("No such offer for you."), code="offer_not_found")
    return offer


def partners_of_user(*, user, scope: Scope) -> QuerySet[Partner]:
    """The partners the user works for, where the partner role covers them."""
    return (
        Partner.objects.filter(staff=user)
        .filter(scope.region_q("region"))
        .select_related("region")
        .order_by("name")
    )


def partner_list(*, scope: Scope) -> QuerySet[Partner]:
    """Partners based in scope."""
    return Partner.objects.filter(scope.region_q("region")).select_related("region")


def partner_get(*, slug: str, scope: Scope) -> Partner:
    """A partner in scope, or NotFound."""
    partner = partner_list(scope=scope).filter(slug=slug).first()
    if partner is None:
        raise NotFound(_("No such partner in your scope."), code="partner_not_found")
    return partner


def redemptions_for_partners(*, partners, status: str | None = None) -> QuerySet[Redemption]:
    """Redemptions of the given partners' offers, newest first."""
    qs = Redemption.objects.filter(offer__partner__in=partners)
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("offer", "offer__partner", "account", "account__volunteer").order_by(
        "-requested_at", "-id"
    )


def redemptions_of(*, account: Account) -> QuerySet[Redemption]:
    """A holder's own redemptions."""
    return (
        Redemption.objects.filter(account=account)
        .select_related("offer", "offer__partner")
        .order_by("-requested_at", "-id")
    )


def bank_totals(*, scope: Scope) -> dict:
    """Hours held by volunteers and residents in scope, and redeemed with partners in scope."""
    holders = account_list(scope=scope).filter(kind__in=[k.value for k in rules.HOLDER_KINDS])
    partners = account_list(scope=scope, kind=rules.AccountKind.PARTNER)
    return {
        "held": holders.aggregate(t=Sum("balance"))["t"] or 0,
        "redeemed": partners.aggregate(t=Sum("balance"))["t"] or 0,
        "accounts": holders.count(),
        "pending": Redemption.objects.filter(
            Q(offer__partner__in=partner_list(scope=scope)), status=Redemption.Status.PENDING
        ).count(),
    }


def entries_recent(*, account: Account, limit: int = 15) -> list[dict]:
    """The latest entries with the balance after each, read back from the cached balance:
    one indexed query however long the account's history, and one for the memos of earned
    hours in the reader's language (the home page)."""
    rows = (
        Entry.objects.filter(account=account)
        .select_related("posting")
        .order_by("-at", "-id")[:limit]
    )
    rows = list(rows)
    words = earned_memos(entry.posting.reference for entry in rows)
    balance, lines = account.balance, []
    for entry in rows:
        lines.append(
            {
                "at": entry.at,
                "kind": entry.posting.kind,
                "minutes": entry.minutes,
                "balance": balance,
                "memo": words.get(entry.posting.reference, entry.posting.memo),
            }
        )
        balance -= entry.minutes
    return lines
