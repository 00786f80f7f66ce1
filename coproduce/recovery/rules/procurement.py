"""Collective procurement: price tiers, the award and its exact cost split (PRODUCT.md 3.7).

Money: lines and totals are whole fen (int). Unit prices may go below the fen, as suppliers
quote masks (RMB 0.355 a piece): they are whole hao (int), 1 hao = RMB 0.0001 = 1/100 fen.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

HAO_PER_FEN = 100
HAO_PER_YUAN = 10_000


@dataclass(frozen=True)
class Tier:
    """From `min_quantity` units on, each unit costs `unit_price_hao`."""

    min_quantity: int
    unit_price_hao: int


def price_to_hao(value) -> int:
    """RMB as Decimal or string (at most four decimals, above 0) as whole hao; ValueError else."""
    if isinstance(value, (float, bool)):
        raise ValueError("Give the price as a decimal string, not a float.")
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise ValueError("Not a price.") from None
    if not amount.is_finite() or amount <= 0:
        raise ValueError("A unit price is above zero.")
    hao = amount * HAO_PER_YUAN
    if hao != hao.to_integral_value():
        raise ValueError("A unit price has at most four decimals.")
    if hao > 10**12:
        raise ValueError("A unit price this high is not plausible.")
    return int(hao)


def hao_to_price(hao: int) -> Decimal:
    """Whole hao as RMB with at least two decimals (four when the price needs them)."""
    value = Decimal(hao) / HAO_PER_YUAN
    two = value.quantize(Decimal("0.01"))
    return two if two == value else value.quantize(Decimal("0.0001"))


def fen_to_money(fen: int) -> Decimal:
    """Whole fen as RMB with two decimals."""
    return (Decimal(fen) / 100).quantize(Decimal("0.01"))


def tier_problems(tiers: Sequence[Tier]) -> list[str]:
    """Rule: a quote has tiers, the first from 1 unit, minimums rising and distinct, and a unit
    price that never rises with the quantity (buying more never costs more per unit)."""
    if not tiers:
        return ["A quote has at least one price tier."]
    problems = []
    ordered = sorted(tiers, key=lambda t: t.min_quantity)
    if ordered[0].min_quantity != 1:
        problems.append("The first tier starts at 1 unit.")
    minimums = [t.min_quantity for t in ordered]
    if len(set(minimums)) != len(minimums):
        problems.append("Two tiers start at the same quantity.")
    if any(t.unit_price_hao <= 0 for t in ordered):
        problems.append("A unit price is above zero.")
    if any(b.unit_price_hao > a.unit_price_hao for a, b in zip(ordered, ordered[1:], strict=False)):
        problems.append("A larger tier may not cost more per unit.")
    return problems


def unit_price_for(tiers: Sequence[Tier], quantity: int) -> int:
    """Rule: the tier reached by `quantity` (the largest minimum not above it) prices each unit."""
    reached = [t for t in tiers if t.min_quantity <= max(quantity, 1)]
    return min(reached, key=lambda t: -t.min_quantity).unit_price_hao


def cost_fen(quantity: int, unit_price_hao: int) -> int:
    """Quantity × unit price, rounded half up to the fen."""
    exact = Decimal(quantity * unit_price_hao) / HAO_PER_FEN
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class SplitLine:
    """One member's part of an award: quantity, cost, alone cost and saving, in fen."""

    key: object
    quantity: int
    cost_fen: int
    alone_cost_fen: int

    @property
    def saving_fen(self) -> int:
        return self.alone_cost_fen - self.cost_fen


@dataclass(frozen=True)
class Award:
    """An awarded quote applied to the members' needs."""

    unit_price_hao: int
    total_quantity: int
    total_cost_fen: int
    lines: tuple[SplitLine, ...]

    @property
    def alone_cost_fen(self) -> int:
        return sum(line.alone_cost_fen for line in self.lines)

    @property
    def saving_fen(self) -> int:
        return self.alone_cost_fen - self.total_cost_fen


def cost_split(*, tiers: Sequence[Tier], needs: Sequence[tuple[object, int]]) -> Award:
    """Rule: award a quote for the members' needs and split the cost exactly.

    The total quantity reaches a tier, whose unit price p prices the lot: the lot costs
    total × p rounded half up to the fen, but never more than the members' own costs added up
    (a rounding could otherwise add a fen that no member would pay alone). Each member's
    *alone cost* is its own quantity priced by the tier it reaches alone, rounded half up.

    The split: each member first pays its quantity × p rounded down to the fen. The fen left
    over (fewer than the members) go one at a time to the members with the largest discarded
    fraction of a fen, ties to the larger quantity, then to the earlier need; a member never
    gets a fen that would make it pay more than alone (it is skipped, and the next one gets it).
    So the lines add up exactly to the lot's cost, nobody pays more than alone, and a member
    that needs nothing pays nothing.
    """
    problems = tier_problems(tiers)
    if problems:
        raise ValueError(problems[0])
    if any(q < 0 for _, q in needs):
        raise ValueError("A quantity cannot be negative.")
    total_quantity = sum(q for _, q in needs)
    price = unit_price_for(tiers, total_quantity)
    alone = [cost_fen(q, unit_price_for(tiers, q)) if q else 0 for _, q in needs]
    total = min(cost_fen(total_quantity, price), sum(alone))
    base, fractions = [], []
    for _, q in needs:
        whole, part = divmod(q * price, HAO_PER_FEN)
        base.append(whole)
        fractions.append(part)
    left = total - sum(base)
    order = sorted(range(len(needs)), key=lambda i: (-fractions[i], -needs[i][1], i))
    shares = list(base)
    while left > 0:
        given = False
        for i in order:
            if left == 0:
                break
            if needs[i][1] and shares[i] < alone[i]:
                shares[i] += 1
                left -= 1
                given = True
        if not given:  # cannot happen: the lot never costs more than the alone costs
            raise AssertionError("no member can take the remaining fen")
    lines = tuple(SplitLine(key, q, shares[i], alone[i]) for i, (key, q) in enumerate(needs))
    return Award(price, total_quantity, total, lines)
