"""Resumption reports and the definitions of their aggregates (API.md, PRODUCT.md 3.7).

Money is counted in whole fen (int); quantities in whole units (int). Percentages are shown
with one decimal, truncated (rounded towards zero): a progress figure never claims more than
was reached (772 of 777 parks is 99.356...%, shown as 99.3%, as the paper reports it).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, Decimal
from enum import StrEnum


class Industry(StrEnum):
    """The industries enterprises are grouped by."""

    FOOTWEAR_LEATHER = "footwear_leather"
    CLOTHING = "clothing"
    GLASS = "glass"
    METAL_PRODUCTS = "metal_products"
    MACHINERY = "machinery"
    ELECTRONICS = "electronics"
    TEXTILES = "textiles"
    CHEMICALS = "chemicals"
    FOOD = "food"
    PLASTICS = "plastics"
    OTHER = "other"


class SizeClass(StrEnum):
    """Enterprise size classes (PRODUCT.md 3.7)."""

    MICRO = "micro"
    SMALL = "small"
    MEDIUM = "medium"
    LARGE = "large"


class Blocker(StrEnum):
    """What keeps an enterprise from resuming production, as its representative reports it."""

    WORKERS_UNABLE_TO_RETURN = "workers_unable_to_return"
    PROTECTIVE_SUPPLIES = "protective_supplies"
    RAW_MATERIALS = "raw_materials"
    LOGISTICS = "logistics"
    CASH_FLOW = "cash_flow"
    ORDERS = "orders"
    APPROVAL_PENDING = "approval_pending"
    OTHER = "other"


def pct(numerator: int, denominator: int) -> Decimal:
    """A share as a percentage with one decimal, truncated; 0.0 when the denominator is 0."""
    if denominator <= 0:
        return Decimal("0.0")
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(
        Decimal("0.1"), rounding=ROUND_DOWN
    )


# --- resumption reports ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportFigures:
    """The figures of one resumption report, checked by :func:`report_problems`."""

    open: bool
    workers_on_site: int
    capacity_pct: int | None


def report_problems(
    *, figures: ReportFigures, workers_total: int, report_date: date, today: date
) -> dict[str, str]:
    """Rule: a report is possible: dated today or before, 0 <= workers on site <= the
    enterprise's workers, capacity 0-100, and a closed enterprise has nobody on site and no
    capacity in use. Answers field -> problem (empty when the report is possible)."""
    problems: dict[str, str] = {}
    if report_date > today:
        problems["date"] = "A report is about today or a day before."
    if figures.workers_on_site < 0:
        problems["workers_on_site"] = "Workers on site cannot be negative."
    elif figures.workers_on_site > workers_total:
        problems["workers_on_site"] = "More workers on site than the enterprise has."
    elif not figures.open and figures.workers_on_site > 0:
        problems["workers_on_site"] = "A closed enterprise has no workers on site."
    if figures.capacity_pct is not None:
        if not 0 <= figures.capacity_pct <= 100:
            problems["capacity_pct"] = "Capacity in use is between 0 and 100 percent."
        elif not figures.open and figures.capacity_pct > 0:
            problems["capacity_pct"] = "A closed enterprise has no capacity in use."
    return problems


@dataclass(frozen=True)
class EnterpriseState:
    """What one enterprise adds to the aggregates on a day (by its latest report on or before it).

    `capacity_weighted` is capacity in use (percent) times the enterprise's workers: a report
    without a capacity figure counts the share of its workers on site as its capacity in use.
    """

    open: int = 0
    workers_on_site: int = 0
    capacity_weighted: int = 0

    def minus(self, other: "EnterpriseState") -> "EnterpriseState":
        """The change from `other` to this state."""
        return EnterpriseState(
            self.open - other.open,
            self.workers_on_site - other.workers_on_site,
            self.capacity_weighted - other.capacity_weighted,
        )


CLOSED = EnterpriseState()


def enterprise_state(*, figures: ReportFigures | None, workers_total: int) -> EnterpriseState:
    """Rule: an enterprise without a report counts as closed; an open one counts its workers on
    site and its capacity in use weighted by its workers (see EnterpriseState)."""
    if figures is None or not figures.open:
        return CLOSED
    if figures.capacity_pct is None:
        weighted = figures.workers_on_site * 100
    else:
        weighted = figures.capacity_pct * workers_total
    return EnterpriseState(1, figures.workers_on_site, weighted)


@dataclass(frozen=True)
class Resumption:
    """The resumption figures of a set of enterprises and parks on one date (API.md).

    - `parks_reopened`: parks with at least one enterprise open on the date;
    - `enterprises_open`: enterprises whose latest report on or before the date says open (no
      report: closed);
    - `production_resumption_pct`: workers on site over workers total, of the enterprises in
      parks, one decimal truncated;
    - `capacity_weighted_pct`: capacity in use weighted by workers, of the enterprises in parks;
    - `all_production_resumption_pct`: the same share over every enterprise, in a park or not.
    """

    parks_total: int
    parks_reopened: int
    enterprises_total: int
    enterprises_open: int
    workers_total: int
    workers_on_site: int
    capacity_weighted: int
    all_workers_total: int
    all_workers_on_site: int

    @property
    def parks_reopened_pct(self) -> Decimal:
        return pct(self.parks_reopened, self.parks_total)

    @property
    def production_resumption_pct(self) -> Decimal:
        return pct(self.workers_on_site, self.workers_total)

    @property
    def capacity_weighted_pct(self) -> Decimal:
        return pct(self.capacity_weighted, self.workers_total * 100)

    @property
    def all_production_resumption_pct(self) -> Decimal:
        return pct(self.all_workers_on_site, self.all_workers_total)


@dataclass(frozen=True)
class EnterpriseFacts:
    """One enterprise as the naive recount sees it: workers, park and dated reports."""

    workers_total: int
    park: int | None
    reports: Sequence[tuple[date, ReportFigures]]


def resumption_recount(
    *, enterprises: Iterable[EnterpriseFacts], parks: Iterable[int], on: date
) -> Resumption:
    """The definitions of :class:`Resumption` applied directly to every enterprise's reports
    (the reference that the kept aggregates must equal; tests compare them)."""
    parks = set(parks)
    reopened: set[int] = set()
    totals = dict.fromkeys(
        ("ent", "open", "wt", "ws", "cw", "awt", "aws"),
        0,
    )
    for ent in enterprises:
        latest = max((r for r in ent.reports if r[0] <= on), default=None, key=lambda r: r[0])
        state = enterprise_state(
            figures=latest[1] if latest else None, workers_total=ent.workers_total
        )
        totals["ent"] += 1
        totals["open"] += state.open
        totals["awt"] += ent.workers_total
        totals["aws"] += state.workers_on_site
        if ent.park is not None:
            totals["wt"] += ent.workers_total
            totals["ws"] += state.workers_on_site
            totals["cw"] += state.capacity_weighted
            if state.open:
                reopened.add(ent.park)
    return Resumption(
        parks_total=len(parks),
        parks_reopened=len(reopened & parks),
        enterprises_total=totals["ent"],
        enterprises_open=totals["open"],
        workers_total=totals["wt"],
        workers_on_site=totals["ws"],
        capacity_weighted=totals["cw"],
        all_workers_total=totals["awt"],
        all_workers_on_site=totals["aws"],
    )


def indicator_steps(deltas: Sequence[tuple[date, int]]) -> dict[date, int]:
    """Rule: given the dated changes of a park's count of open enterprises, the dated changes
    of "the park is reopened" (count > 0): +1 where it reopens, -1 where it closes again."""
    per_day: dict[date, int] = {}
    for day, delta in deltas:
        per_day[day] = per_day.get(day, 0) + delta
    steps: dict[date, int] = {}
    count = 0
    was = 0
    for day, delta in sorted(per_day.items()):
        count += delta
        now = 1 if count > 0 else 0
        if now != was:
            steps[day] = steps.get(day, 0) + now - was
            was = now
    return {d: v for d, v in steps.items() if v}
