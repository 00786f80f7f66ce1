"""The dashboard's rules: pure functions over the apps' Metrics and Contributions (no Django).

- which stage each day of a period was in, from the stage changes of a region;
- the paper's Table 1 regenerated from contributions: per stage, per CBO role, the work of
  community organizations by category against government units, and who did most;
- a panel as a table (CSV and XLSX), with the zone of any time named;
- the public figures: counts under 5 suppressed (core.suppression).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from coproduce.core.metrics import CboRole, Contribution, Metric, Period
from coproduce.core.suppression import suppress_small

# The panels of API.md in the order pages show them; panels of apps not installed are absent.
PANEL_ORDER = (
    "cases",
    "codes",
    "checkpoints",
    "tracing",
    "volunteers",
    "relief",
    "deliveries",
    "recovery",
    "labor",
    "care",
    "equity",
    "coproduction",
)
# Units that count people or things: the ones suppressed under 5 on public pages.
COUNT_UNITS = frozenset({"count", "people"})
TOP_ORGANIZATIONS = 3


def stage_spans(
    *, changes: Sequence[tuple[date, int]], period: Period, default: int = 1
) -> list[tuple[int, Period]]:
    """Rule: the period cut where the region's stage changed, each piece with its stage.

    `changes` are (effective date, stage) in any order; before the first change the region is in
    `default` (stage 1: the response starts comprehensive). Adjacent pieces of one stage merge.
    """
    ordered = sorted(changes)
    stage = default
    for day, new in ordered:
        if day <= period.start:
            stage = new
    spans: list[tuple[int, Period]] = []
    start = period.start
    for day, new in ordered:
        if period.start < day <= period.end and new != stage:
            spans.append((stage, Period(start, day - timedelta(days=1))))
            start, stage = day, new
    spans.append((stage, Period(start, period.end)))
    merged: list[tuple[int, Period]] = []
    for stage, span in spans:
        if merged and merged[-1][0] == stage:
            merged[-1] = (stage, Period(merged[-1][1].start, span.end))
        else:
            merged.append((stage, span))
    return merged


def role_in_stage(role: CboRole, stage: int) -> CboRole:
    """Rule: the role a contribution serves in a stage (docs/dashboard.md).

    Apps record deliveries and service hours as community services (they know no stages);
    from stage 2 on the paper calls the same life support "welfare services" (Table 1).
    """
    if role == CboRole.COMMUNITY_SERVICES and stage >= 2:
        return CboRole.WELFARE_SERVICES
    return role


@dataclass(frozen=True)
class Organization:
    """What Table 1 needs of an organization: its name, category and whether it is government."""

    id: int
    name: str
    category: str
    government: bool
    link: str = ""


@dataclass
class RoleRow:
    """One CBO role in one stage: how much of each measure community organizations did (by
    category) and government units did, and the organizations that did most."""

    stage: int
    role: CboRole
    measure: str
    emphasized: bool
    community: dict[str, Decimal] = field(default_factory=dict)
    government: Decimal = Decimal(0)
    # Work recorded without an organization (a tracer of a town office, an official): government.
    top: list[tuple[Organization, Decimal]] = field(default_factory=list)
    links: list[str] = field(default_factory=list)

    @property
    def community_total(self) -> Decimal:
        return sum(self.community.values(), Decimal(0))

    @property
    def total(self) -> Decimal:
        return self.community_total + self.government

    @property
    def community_pct(self) -> Decimal:
        if not self.total:
            return Decimal("0.0")
        return (self.community_total * 100 / self.total).quantize(Decimal("0.1"))


def coproduction_table(
    *,
    spans: Sequence[tuple[int, Iterable[Contribution]]],
    organizations: Mapping[int, Organization],
    table_1: Mapping[int, Sequence[CboRole]],
) -> list[RoleRow]:
    """Rule: the paper's Table 1 regenerated from what the records show done.

    `spans` are (stage, contributions of the days in that stage); a stage may come more than
    once (back to stage 1 after a new cluster) and its work adds up. Rows come by stage, then
    the stage's roles of Table 1 first (in the table's order), then other roles that saw work;
    one row per (role, measure) since hours, scans and yuan do not add up.
    """
    rows: dict[tuple[int, CboRole, str], RoleRow] = {}
    by_org: dict[tuple[int, CboRole, str], dict[int, Decimal]] = defaultdict(
        lambda: defaultdict(Decimal)
    )
    for stage, contributions in spans:
        emphasized = list(table_1.get(stage, ()))
        for c in contributions:
            role = role_in_stage(c.role, stage)
            key = (stage, role, c.measure)
            row = rows.get(key)
            if row is None:
                row = rows[key] = RoleRow(
                    stage=stage, role=role, measure=c.measure, emphasized=role in emphasized
                )
            amount = Decimal(c.amount)
            org = organizations.get(c.organization_id) if c.organization_id else None
            if org is None or org.government:
                row.government += amount
            else:
                row.community[org.category] = row.community.get(org.category, 0) + amount
            if org is not None:
                by_org[key][org.id] += amount
            if c.link and c.link not in row.links:
                row.links.append(c.link)
    for key, row in rows.items():
        ranked = sorted(by_org[key].items(), key=lambda item: (-item[1], item[0]))
        row.top = [(organizations[i], amount) for i, amount in ranked[:TOP_ORGANIZATIONS]]

    def order(row: RoleRow):
        roles = list(table_1.get(row.stage, ()))
        rank = (
            roles.index(row.role)
            if row.role in roles
            else len(roles) + list(CboRole).index(row.role)
        )
        return (row.stage, rank, row.measure)

    return sorted(rows.values(), key=order)


def panel_json(metrics: Sequence[Metric]) -> dict:
    """Rule: a panel as API.md shows it: each metric's value by key, and one series of days
    with every metric that has one (`cases` = {new, cumulative, series: [{date, new, cumulative}]})."""
    out: dict = {m.key: json_number(m.value) for m in metrics}
    days: dict[date, dict] = {}
    for m in metrics:
        for point in m.series:
            days.setdefault(point.day, {"date": point.day.isoformat()})[m.key] = json_number(
                point.value
            )
    if days:
        out["series"] = [days[d] for d in sorted(days)]
    return out


def json_number(value):
    """Money, hours and shares as decimal strings (API.md: never a float); counts as ints."""
    if isinstance(value, Decimal):
        return format(value, "f")
    return value


def panel_table(metrics: Sequence[Metric]) -> tuple[list[str], list[list]]:
    """Rule: a panel as one table: the totals, then one row per day for metrics with series."""
    header = ["key", "label", "unit", "date", "value"]
    rows: list[list] = []
    for m in metrics:
        rows.append([m.key, m.label, m.unit, "", m.value])
    for m in metrics:
        for point in m.series:
            rows.append([m.key, m.label, m.unit, point.day.isoformat(), point.value])
    return header, rows


def coproduction_rows(table: Sequence[RoleRow], categories: Sequence[str]) -> tuple[list, list]:
    """Rule: Table 1 regenerated as one flat table (stage, role, measure, by category...)."""
    header = [
        "stage",
        "role",
        "table_1",
        "measure",
        *categories,
        "community_total",
        "government",
        "community_pct",
        "top_organizations",
    ]
    rows = [
        [
            row.stage,
            str(row.role),
            "yes" if row.emphasized else "no",
            row.measure,
            *[row.community.get(c, Decimal(0)) for c in categories],
            row.community_total,
            row.government,
            row.community_pct,
            "; ".join(f"{org.name} ({amount})" for org, amount in row.top),
        ]
        for row in table
    ]
    return header, rows


def public_value(metric: Metric):
    """Rule: a figure as the public pages show it: counts under 5 as "<5"; other units as they
    are, except shares, which are left out when they could reveal a small count."""
    if isinstance(metric.value, str):
        return metric.value  # suppressed by its app already (care's counts: "<5")
    if metric.unit in COUNT_UNITS:
        return suppress_small(int(metric.value))
    return json_number(metric.value)


def public_panels(panels: Mapping[str, Sequence[Metric]]) -> dict[str, dict]:
    """Rule: every panel's totals for the public, counts suppressed (no series, no shares)."""
    return {
        name: {m.key: public_value(m) for m in metrics if m.unit != "pct"}
        for name, metrics in panels.items()
    }
