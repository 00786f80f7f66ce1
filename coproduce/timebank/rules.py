"""Voluntary Bank rules: an append-only double-entry ledger of volunteer time (PRODUCT.md 3.5).

Pure functions and frozen dataclasses: no Django, no I/O, no clock reads.

Amounts are **whole minutes as ``int``**, signed on each entry, shown to people as hours.
Why minutes and not ``Decimal`` hours with a 0.01 h quantum:

* service is recorded by check-in and check-out times (PRODUCT.md 3.5), which are minute-grained;
  0.01 h is 36 seconds, a unit no clock or person uses, so 1 h 20 min would become 1.33 h and the
  ledger would drift from the records it is built from;
* integer sums are exact in every database; Django's ``DecimalField`` is summed as a floating
  point number by SQLite, the project's default database (STYLE.md), so ``SUM()`` of Decimal hours
  could disagree with the Python sum of the same entries;
* benefits priced in hours ("2.5 h") convert exactly: :func:`hours_to_minutes`.

The sign convention: an account's balance is the plain sum of its entries. The ``issuance``
system account ("service issued") is the source of earned hours, so its balance is minus the total
hours ever earned; every other account must never go negative (PRODUCT.md 3.5: "never negative").
The ledger is append-only: a mistake is undone by a new ``reversal`` posting that mirrors the
original, never by an edit, and each posting can be undone once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from enum import StrEnum

MINUTES_PER_HOUR = 60
ISSUANCE_KEY = "service"


class AccountKind(StrEnum):
    """What an account belongs to; decides which posting kinds may touch it."""

    VOLUNTEER = "volunteer"  # earns hours from confirmed service, gives and redeems them
    RESIDENT = "resident"  # a holder who is given hours (the paper's elderly neighbour) and redeems
    ISSUANCE = "issuance"  # system: "service issued", the source of every earned hour
    PARTNER = "partner"  # a bank, shop or service that honours hours; receives redemptions


# Holders are people's accounts: the ones PRODUCT.md 3.5 says are never negative.
HOLDER_KINDS = frozenset({AccountKind.VOLUNTEER, AccountKind.RESIDENT})
# Only the issuance account may be negative: it is where earned hours come from.
MAY_BE_NEGATIVE = frozenset({AccountKind.ISSUANCE})


@dataclass(frozen=True, slots=True, order=True)
class Account:
    """An account on the ledger, named by its kind and an opaque key (a public id)."""

    kind: AccountKind
    key: str

    def __post_init__(self) -> None:
        if not isinstance(self.key, str) or not self.key:
            raise ValueError("an account needs a non-empty key")


ISSUANCE_ACCOUNT = Account(AccountKind.ISSUANCE, ISSUANCE_KEY)


class PostingKind(StrEnum):
    """Why hours moved; each kind allows only some account kinds on each side."""

    EARN = "earn"  # from confirmed service: issuance -> volunteer
    GIFT = "gift"  # holder -> another holder (a volunteer gives hours to an elderly neighbour)
    REDEEM = "redeem"  # holder -> partner, for a benefit priced in hours
    REFUND = "refund"  # partner -> holder: a redemption the partner refused, mirrored exactly
    REVERSAL = "reversal"  # mirrors an earlier posting exactly, to undo a mistake without an edit


# (kinds allowed on negative lines, kinds allowed on positive lines) for each non-mirror kind.
# A reversal has no fixed shape: it must be the exact mirror of the posting it undoes.
POSTING_SHAPES: Mapping[PostingKind, tuple[frozenset[AccountKind], frozenset[AccountKind]]] = {
    PostingKind.EARN: (frozenset({AccountKind.ISSUANCE}), frozenset({AccountKind.VOLUNTEER})),
    PostingKind.GIFT: (HOLDER_KINDS, HOLDER_KINDS),
    PostingKind.REDEEM: (HOLDER_KINDS, frozenset({AccountKind.PARTNER})),
    PostingKind.REFUND: (frozenset({AccountKind.PARTNER}), HOLDER_KINDS),
}
# Kinds that undo an earlier posting and so must name it in ``reverses``.
MIRROR_KINDS = frozenset({PostingKind.REFUND, PostingKind.REVERSAL})


@dataclass(frozen=True, slots=True)
class LedgerPolicy:
    """Settings of the ledger, with their defaults."""

    # Bound on one line: 1,000 hours. A single confirmed record earns at most 16 h (the
    # volunteers policy), and no benefit is priced anywhere near this; the bound exists so that
    # a typo or an overflow can never mint hours.
    max_line_minutes: int = 1000 * MINUTES_PER_HOUR
    # Lines per posting: the shapes above need two; a gift split between a few neighbours or a
    # reversal of such a gift needs a few more. Bounded so a posting stays one small transaction.
    max_lines: int = 20


@dataclass(frozen=True, slots=True)
class Entry:
    """One line of a posting: a signed number of minutes on one account."""

    account: Account
    minutes: int


@dataclass(frozen=True, slots=True)
class Posting:
    """A balanced set of entries recorded together under an idempotency key; never edited."""

    key: str  # idempotency key: the same key twice is stored once
    kind: PostingKind
    entries: tuple[Entry, ...]
    at: datetime  # when it was posted (a parameter: rules never read the clock)
    reverses: str | None = None  # for refund and reversal: the key of the posting undone
    reference: str = ""  # what it is for: a service record id, a benefit id, a redemption id
    memo: str = ""

    def substance(self) -> tuple[object, ...]:
        """What makes two postings the same request (time and memo excluded: a retry differs)."""
        return (
            self.kind,
            frozenset((e.account, e.minutes) for e in self.entries),
            self.reverses,
            self.reference,
        )


class Refusal(StrEnum):
    """Reason codes for a refused posting; the API maps them to field-level errors."""

    EMPTY_KEY = "empty_key"
    TOO_FEW_LINES = "too_few_lines"
    TOO_MANY_LINES = "too_many_lines"
    NOT_WHOLE_MINUTES = "not_whole_minutes"
    ZERO_LINE = "zero_line"
    LINE_TOO_LARGE = "line_too_large"
    UNBALANCED = "unbalanced"
    DUPLICATE_ACCOUNT = "duplicate_account"
    ACCOUNT_KIND_NOT_ALLOWED = "account_kind_not_allowed"
    MISSING_REFERENCE = "missing_reference"
    MISSING_REVERSES = "missing_reverses"
    UNEXPECTED_REVERSES = "unexpected_reverses"
    SELF_REVERSAL = "self_reversal"
    INSUFFICIENT_BALANCE = "insufficient_balance"
    UNKNOWN_ORIGINAL = "unknown_original"
    ALREADY_UNDONE = "already_undone"
    CANNOT_UNDO_A_REVERSAL = "cannot_undo_a_reversal"
    REFUND_OF_NON_REDEMPTION = "refund_of_non_redemption"
    NOT_A_MIRROR = "not_a_mirror"
    IDEMPOTENCY_CONFLICT = "idempotency_conflict"


@dataclass(frozen=True, slots=True)
class Problem:
    """One reason a posting is refused, with the entry index it concerns when there is one."""

    code: Refusal
    message: str
    line: int | None = None


class Outcome(StrEnum):
    """What :func:`posting_apply` decided."""

    APPLIED = "applied"
    REPLAYED = "replayed"  # the key was seen with the same substance: a no-op
    REFUSED = "refused"


@dataclass(frozen=True, slots=True)
class PostingResult:
    """The decision on one posting and, when applied, the new balances of the accounts it moved."""

    outcome: Outcome
    posting: Posting  # on a replay or a key conflict: the original posting, as stored
    balances: Mapping[Account, int] = field(default_factory=dict)  # touched accounts only
    problems: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        """True when the posting is on the ledger (applied now or before)."""
        return self.outcome is not Outcome.REFUSED


def _is_minutes(value: object) -> bool:
    # bool is an int subclass; True minutes is a bug, not an amount.
    return isinstance(value, int) and not isinstance(value, bool)


def posting_validate(
    posting: Posting, *, policy: LedgerPolicy = LedgerPolicy()
) -> tuple[Problem, ...]:
    """Rule: a posting is balanced, has no zero lines, whole bounded minutes, allowed kinds."""
    problems: list[Problem] = []
    entries = posting.entries
    if not isinstance(posting.key, str) or not posting.key.strip():
        problems.append(Problem(Refusal.EMPTY_KEY, "a posting needs an idempotency key"))
    if len(entries) < 2:
        # Double entry: every movement has a source and a destination.
        problems.append(Problem(Refusal.TOO_FEW_LINES, "a posting needs at least two lines"))
    if len(entries) > policy.max_lines:
        problems.append(
            Problem(Refusal.TOO_MANY_LINES, f"a posting has at most {policy.max_lines} lines")
        )
    seen_accounts: set[Account] = set()
    total = 0
    amounts_ok = True
    for i, entry in enumerate(entries):
        if not _is_minutes(entry.minutes):
            problems.append(Problem(Refusal.NOT_WHOLE_MINUTES, "amounts are whole minutes", i))
            amounts_ok = False
            continue
        total += entry.minutes
        if entry.minutes == 0:
            problems.append(Problem(Refusal.ZERO_LINE, "a line moves a non-zero amount", i))
        elif abs(entry.minutes) > policy.max_line_minutes:
            problems.append(
                Problem(
                    Refusal.LINE_TOO_LARGE,
                    f"a line moves at most {policy.max_line_minutes} minutes",
                    i,
                )
            )
        if entry.account in seen_accounts:
            # One line per account keeps mirrors and statements unambiguous.
            problems.append(Problem(Refusal.DUPLICATE_ACCOUNT, "one line per account", i))
        seen_accounts.add(entry.account)
    if amounts_ok and total != 0:
        problems.append(Problem(Refusal.UNBALANCED, f"lines sum to {total}, not zero"))

    if posting.kind in MIRROR_KINDS:
        if not posting.reverses:
            problems.append(Problem(Refusal.MISSING_REVERSES, "name the posting this undoes"))
        elif posting.reverses == posting.key:
            problems.append(Problem(Refusal.SELF_REVERSAL, "a posting cannot undo itself"))
    elif posting.reverses is not None:
        problems.append(
            Problem(Refusal.UNEXPECTED_REVERSES, f"a {posting.kind} posting undoes nothing")
        )
    if posting.kind is PostingKind.EARN and not posting.reference:
        # Hours are earned only from a confirmed service record (PRODUCT.md 3.5).
        problems.append(Problem(Refusal.MISSING_REFERENCE, "earned hours name a service record"))

    shape = POSTING_SHAPES.get(posting.kind)
    if shape is not None:
        debit_kinds, credit_kinds = shape
        for i, entry in enumerate(entries):
            if not _is_minutes(entry.minutes) or entry.minutes == 0:
                continue
            allowed = debit_kinds if entry.minutes < 0 else credit_kinds
            if entry.account.kind not in allowed:
                side = "give" if entry.minutes < 0 else "receive"
                problems.append(
                    Problem(
                        Refusal.ACCOUNT_KIND_NOT_ALLOWED,
                        f"a {entry.account.kind} account cannot {side} in a {posting.kind}",
                        i,
                    )
                )
    return tuple(problems)


def balances(entries: Iterable[Entry]) -> dict[Account, int]:
    """Rule: an account's balance is the sum of its entries, and nothing else."""
    result: dict[Account, int] = {}
    for entry in entries:
        result[entry.account] = result.get(entry.account, 0) + entry.minutes
    return result


def posting_entries(postings: Iterable[Posting]) -> Iterable[Entry]:
    """All entries of the given postings, in order."""
    for posting in postings:
        yield from posting.entries


def _mirror_problems(posting: Posting, original: Posting) -> list[Problem]:
    mirrored = {e.account: -e.minutes for e in original.entries}
    given = {e.account: e.minutes for e in posting.entries}
    if given != mirrored:
        return [Problem(Refusal.NOT_A_MIRROR, f"must mirror the lines of {original.key} exactly")]
    return []


def posting_apply(
    *,
    balances: Mapping[Account, int],
    posting: Posting,
    seen: Mapping[str, Posting],
    undone: Set[str],
    policy: LedgerPolicy = LedgerPolicy(),
) -> PostingResult:
    """Rule: apply a posting unless it is invalid, a replay, or would make a holder negative.

    ``balances`` needs only the accounts the posting touches (a missing account is at zero);
    ``seen`` maps every stored idempotency key to its posting (only this key and the one named
    in ``reverses`` are looked up, so a database-backed mapping works); ``undone`` holds the keys
    of postings already refunded or reversed. Nothing is mutated: the caller stores the posting
    and the returned balances of the touched accounts.
    """
    original = seen.get(posting.key)
    if original is not None:
        # Devices and clients retry (PRODUCT.md 4: uploads are idempotent): the same key is
        # stored once and answers with what was stored; the same key for a different request
        # is a client bug, refused rather than silently ignored.
        if original.substance() == posting.substance():
            return PostingResult(Outcome.REPLAYED, original)
        return PostingResult(
            Outcome.REFUSED,
            original,
            problems=(
                Problem(
                    Refusal.IDEMPOTENCY_CONFLICT,
                    f"key {posting.key} was already used for a different posting",
                ),
            ),
        )

    problems = list(posting_validate(posting, policy=policy))
    if problems:
        return PostingResult(Outcome.REFUSED, posting, problems=tuple(problems))

    if posting.kind in MIRROR_KINDS:
        assert posting.reverses is not None  # checked by posting_validate
        target = seen.get(posting.reverses)
        if target is None:
            problems.append(Problem(Refusal.UNKNOWN_ORIGINAL, f"no posting {posting.reverses}"))
        elif target.kind in MIRROR_KINDS:
            # Undoing an undo would let one posting be on and off the ledger many times; post
            # the original again under a new key instead.
            problems.append(
                Problem(Refusal.CANNOT_UNDO_A_REVERSAL, f"{target.key} is itself an undo")
            )
        elif posting.reverses in undone:
            problems.append(Problem(Refusal.ALREADY_UNDONE, f"{target.key} was already undone"))
        elif posting.kind is PostingKind.REFUND and target.kind is not PostingKind.REDEEM:
            problems.append(
                Problem(Refusal.REFUND_OF_NON_REDEMPTION, f"{target.key} is not a redemption")
            )
        else:
            problems.extend(_mirror_problems(posting, target))
        if problems:
            return PostingResult(Outcome.REFUSED, posting, problems=tuple(problems))

    new_balances: dict[Account, int] = {}
    for i, entry in enumerate(posting.entries):
        after = balances.get(entry.account, 0) + entry.minutes
        new_balances[entry.account] = after
        if after < 0 and entry.account.kind not in MAY_BE_NEGATIVE:
            # PRODUCT.md 3.5: balances are never negative. This also refuses a reversal of
            # earned hours that the volunteer has already given away or redeemed.
            problems.append(
                Problem(
                    Refusal.INSUFFICIENT_BALANCE,
                    f"{entry.account.kind} {entry.account.key} has "
                    f"{balances.get(entry.account, 0)} minutes, needs {-entry.minutes}",
                    i,
                )
            )
    if problems:
        return PostingResult(Outcome.REFUSED, posting, problems=tuple(problems))
    return PostingResult(Outcome.APPLIED, posting, balances=new_balances)


def reversal_of(original: Posting, *, key: str, at: datetime, memo: str = "") -> Posting:
    """Build the posting that undoes ``original``: the same lines with opposite signs."""
    kind = PostingKind.REFUND if original.kind is PostingKind.REDEEM else PostingKind.REVERSAL
    return reversal_build(original, key=key, at=at, kind=kind, memo=memo)


def reversal_build(
    original: Posting, *, key: str, at: datetime, kind: PostingKind, memo: str = ""
) -> Posting:
    """Build a mirror posting of the given kind (refund or reversal) for ``original``."""
    if kind not in MIRROR_KINDS:
        raise ValueError(f"{kind} does not undo a posting")
    return Posting(
        key=key,
        kind=kind,
        entries=tuple(Entry(e.account, -e.minutes) for e in original.entries),
        at=at,
        reverses=original.key,
        reference=original.reference,
        memo=memo,
    )


@dataclass(slots=True)
class MemoryLedger:
    """An in-memory ledger that folds postings through :func:`posting_apply`.

    Used by tests, benchmarks and the demo; the services keep the same state in the database.
    Not frozen: it is the accumulator of a fold, and only :meth:`apply` changes it.
    """

    policy: LedgerPolicy = LedgerPolicy()
    postings: list[Posting] = field(default_factory=list)
    by_key: dict[str, Posting] = field(default_factory=dict)
    undone: set[str] = field(default_factory=set)
    balances: dict[Account, int] = field(default_factory=dict)

    def apply(self, posting: Posting) -> PostingResult:
        """Apply one posting and, if applied, record it."""
        result = posting_apply(
            balances=self.balances,
            posting=posting,
            seen=self.by_key,
            undone=self.undone,
            policy=self.policy,
        )
        if result.outcome is Outcome.APPLIED:
            self.postings.append(posting)
            self.by_key[posting.key] = posting
            if posting.reverses is not None:
                self.undone.add(posting.reverses)
            self.balances.update(result.balances)
        return result

    def balance(self, account: Account) -> int:
        """The balance of one account in minutes."""
        return self.balances.get(account, 0)


@dataclass(frozen=True, slots=True)
class StatementLine:
    """One entry on an account's statement, with the balance after it."""

    at: datetime
    posting_key: str
    kind: PostingKind
    minutes: int
    balance: int
    counterparties: tuple[Account, ...]
    reference: str
    memo: str


@dataclass(frozen=True, slots=True)
class Statement:
    """An account's entries in a period ``[start, end)`` with opening and closing balances."""

    account: Account
    start: datetime
    end: datetime
    opening: int
    closing: int
    lines: tuple[StatementLine, ...]

    @property
    def credits(self) -> int:
        """Minutes in over the period."""
        return sum(line.minutes for line in self.lines if line.minutes > 0)

    @property
    def debits(self) -> int:
        """Minutes out over the period, as a positive number."""
        return -sum(line.minutes for line in self.lines if line.minutes < 0)


def statement_build(
    *, account: Account, postings: Iterable[Posting], start: datetime, end: datetime
) -> Statement:
    """Rule: opening is the sum before ``start``; each line carries the running balance.

    ``postings`` are in ledger order; they are taken in order of ``at`` (stable, so postings with
    the same time keep ledger order). The period is half-open so consecutive statements neither
    overlap nor leave a gap.
    """
    if end < start:
        raise ValueError("a statement period ends after it starts")
    mine = [(p, e) for p in postings for e in p.entries if e.account == account]
    mine.sort(key=lambda pe: pe[0].at)
    opening = 0
    balance = 0
    lines: list[StatementLine] = []
    for posting, entry in mine:
        if posting.at >= end:
            break
        balance += entry.minutes
        if posting.at < start:
            opening = balance
            continue
        lines.append(
            StatementLine(
                at=posting.at,
                posting_key=posting.key,
                kind=posting.kind,
                minutes=entry.minutes,
                balance=balance,
                counterparties=tuple(e.account for e in posting.entries if e.account != account),
                reference=posting.reference,
                memo=posting.memo,
            )
        )
    return Statement(account, start, end, opening, balance, tuple(lines))


def hours_to_minutes(hours: Decimal | int | str) -> int:
    """Rule: hours given by people ("2.5") convert to whole minutes exactly, or are refused."""
    if isinstance(hours, (float, bool)):
        raise TypeError("hours are Decimal, int or a decimal string, never float")
    try:
        value = Decimal(hours)
    except InvalidOperation as exc:
        raise ValueError(f"not a number of hours: {hours!r}") from exc
    if not value.is_finite():
        raise ValueError("hours must be finite")
    minutes = value * MINUTES_PER_HOUR
    if minutes != minutes.to_integral_value():
        raise ValueError(f"{hours} h is not a whole number of minutes")
    return int(minutes)


def minutes_to_hours(minutes: int) -> Decimal:
    """Hours for display, to 0.01 h; the ledger itself keeps exact minutes."""
    if not _is_minutes(minutes):
        raise TypeError("minutes are an int")
    return (Decimal(minutes) / MINUTES_PER_HOUR).quantize(Decimal("0.01"), ROUND_HALF_EVEN)
