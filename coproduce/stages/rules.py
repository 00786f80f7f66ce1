"""The three response stages of the paper (its Table 1, as data) and when the records suggest a change.

Pure: no Django, no I/O. The English texts here are originals for the docs and the API; pages say
them in the reader's language through `texts.py`, by their codes.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import IntEnum, StrEnum

from coproduce.core.metrics import CboRole


class Stage(IntEnum):
    """A response stage (PRODUCT.md section 2)."""

    PREVENTION = 1  # comprehensive epidemic prevention and control
    BALANCING = 2  # balancing epidemic prevention and social functioning
    NORMALIZATION = 3  # normalization of epidemic prevention and control


@dataclass(frozen=True)
class Table1Row:
    """One stage of the paper's Table 1: the CBO roles it emphasizes and the kinds of organization
    that took them, with the paper's examples (organization slugs of the demo where they exist)."""

    stage: Stage
    title: str
    roles: tuple[CboRole, ...]
    categories: tuple[str, ...]
    examples: tuple[str, ...]


# Table 1 of Cheng, Yu, Shen and Huang (2020), PRODUCT.md section 2.
TABLE_1: tuple[Table1Row, ...] = (
    Table1Row(
        Stage.PREVENTION,
        "Comprehensive epidemic prevention and control",
        (CboRole.TRACING, CboRole.DONATIONS_SUPPLIES, CboRole.COMMUNITY_SERVICES),
        ("emergency_response", "charity", "community_service"),
        (
            "dishui-dolphin",
            "yueqing-blue-sky",
            "zhejiang-charity-federation",
            "zhejiang-red-cross",
            "yuanqiao-community-service",
        ),
    ),
    Table1Row(
        Stage.BALANCING,
        "Balancing epidemic prevention and social functioning",
        (CboRole.TRACING, CboRole.WELFARE_SERVICES, CboRole.PRODUCTION_RESUMPTION),
        ("community_service", "industrial_association", "business_association"),
        ("haichuang-community-service", "wenzhou-shoe-leather", "wenzhou-clothes-business"),
    ),
    Table1Row(
        Stage.NORMALIZATION,
        "Normalization of epidemic prevention and control",
        (CboRole.TRACING, CboRole.COUNSELING_SOCIAL_WORK, CboRole.ECONOMIC_COLLABORATION),
        ("mental_health", "medical", "industrial_association", "business_association"),
        (
            "deqing-mental-health",
            "wenling-medical",
            "yuhang-metal-products",
            "wenzhou-glass-business",
        ),
    ),
)


def table_row(stage: int) -> Table1Row:
    """Table 1's row of a stage."""
    return TABLE_1[Stage(stage) - 1]


# The platform's modules (home tiles, navigation) and the CBO roles whose work they carry: a stage
# puts the modules of its roles first. Modules absent here keep their place after those.
MODULE_ROLES: dict[str, frozenset[CboRole]] = {
    "checkpoints": frozenset({CboRole.TRACING}),
    "tracing": frozenset({CboRole.TRACING}),
    "health_codes": frozenset({CboRole.TRACING}),
    "relief": frozenset({CboRole.DONATIONS_SUPPLIES}),
    "deliveries": frozenset({CboRole.COMMUNITY_SERVICES, CboRole.WELFARE_SERVICES}),
    "volunteers": frozenset(
        {CboRole.TRACING, CboRole.COMMUNITY_SERVICES, CboRole.WELFARE_SERVICES}
    ),
    "timebank": frozenset({CboRole.COMMUNITY_SERVICES, CboRole.WELFARE_SERVICES}),
    "recovery": frozenset({CboRole.PRODUCTION_RESUMPTION, CboRole.ECONOMIC_COLLABORATION}),
    "labor": frozenset({CboRole.ECONOMIC_COLLABORATION}),
    "care": frozenset({CboRole.COUNSELING_SOCIAL_WORK}),
}


# A resident's own code stays first whatever the stage: it is what they came for.
PINNED = ("resident",)


def modules_first(modules: Iterable[str], stage: int) -> list[str]:
    """The modules in their order, those serving the stage's roles first (a stable partition)."""
    roles = set(table_row(stage).roles)
    modules = list(modules)
    pinned = [m for m in modules if m in PINNED]
    first = [m for m in modules if m not in pinned and MODULE_ROLES.get(m, frozenset()) & roles]
    return pinned + first + [m for m in modules if m not in pinned and m not in first]


@dataclass(frozen=True)
class StageSetting:
    """A stage set for a region from a date on (one row of its history)."""

    stage: int
    effective_from: date
    set_order: int  # later settings of the same date win


def stage_in_force(settings: Iterable[StageSetting], on: date) -> StageSetting | None:
    """The setting in force on a day: the latest effective on or before it, else None."""
    due = [s for s in settings if s.effective_from <= on]
    return max(due, key=lambda s: (s.effective_from, s.set_order), default=None)


def stage_changes(settings: Iterable[StageSetting]) -> list[tuple[date, int]]:
    """The days the stage changed and the stage from then, in date order (repeats dropped)."""
    by_day: dict[date, StageSetting] = {}
    for s in sorted(settings, key=lambda s: (s.effective_from, s.set_order)):
        by_day[s.effective_from] = s  # the last setting of a day is the one in force
    changes: list[tuple[date, int]] = []
    for day in sorted(by_day):
        if not changes or changes[-1][1] != by_day[day].stage:
            changes.append((day, by_day[day].stage))
    return changes


# --- suggestions ---------------------------------------------------------------------------------


class SuggestionReason(StrEnum):
    """Why the records suggest a stage (the thresholds are settings)."""

    NEW_CLUSTER = "new_cluster"  # a new local cluster: back to stage 1
    NO_CASE_LONG = "no_case_long"  # no new local confirmed case for N days (14): stage 3
    RESUMPTION_NO_CASE = "resumption_no_case"  # resumption under way, no case for M days (7): 2


@dataclass(frozen=True)
class SuggestionThresholds:
    """The settings of the suggestion rule, with the defaults of the issue."""

    stage3_quiet_days: int = 14
    stage2_quiet_days: int = 7
    cluster_window_days: int = 14
    cluster_min_cases: int = 2


@dataclass(frozen=True)
class ConfirmedCase:
    """A local confirmed case as the rule needs it: the local day it was reported, its cluster."""

    reported_on: date
    cluster: str = ""


@dataclass(frozen=True)
class Suggestion:
    """A stage the records suggest, why, and the evidence it rests on.

    `basis` identifies the evidence (the last case's day, or the cluster), so that a dismissed
    suggestion stays dismissed until the evidence changes.
    """

    stage: int
    reason: SuggestionReason
    quiet_days: int | None = None
    cluster: str = ""
    cluster_cases: int = 0
    basis: str = ""

    @property
    def text(self) -> str:
        """The reason in English (pages use texts.py)."""
        if self.reason is SuggestionReason.NEW_CLUSTER:
            return (
                f"A new local cluster: {self.cluster_cases} confirmed cases"
                f"{f' ({self.cluster})' if self.cluster else ''} in the last days."
            )
        if self.reason is SuggestionReason.NO_CASE_LONG:
            return f"No new local confirmed case for {self.quiet_days} days."
        return (
            f"Enterprises are resuming production and no new local case for {self.quiet_days} days."
        )


def quiet_days(cases: Iterable[ConfirmedCase], *, today: date, since: date) -> int:
    """Full days without a new local confirmed case up to today.

    Counted from the last case reported on or before today; a region without any counts from
    `since` (the start of its current stage), so that a quiet village does not look quiet forever.
    """
    past = [c.reported_on for c in cases if c.reported_on <= today]
    start = max(past) if past else since
    return max(0, (today - start).days)


def new_cluster(
    cases: Iterable[ConfirmedCase], *, today: date, thresholds: SuggestionThresholds
) -> tuple[str, int, date] | None:
    """A new local cluster: at least `cluster_min_cases` confirmed cases of one cluster (the label
    tracers give the cases of one outbreak) whose first case was reported within the window ending
    today. Cases without a label are sporadic: they end quiet periods but form no cluster.

    Returns (label, cases in the window, first day) of the largest such cluster, or None.
    """
    window_start = today.toordinal() - thresholds.cluster_window_days + 1
    groups: dict[str, list[date]] = {}
    for c in cases:
        if c.reported_on <= today and c.cluster:
            groups.setdefault(c.cluster, []).append(c.reported_on)
    found = []
    for label, days in groups.items():
        first = min(days)
        recent = [d for d in days if d.toordinal() >= window_start]
        if first.toordinal() >= window_start and len(recent) >= thresholds.cluster_min_cases:
            found.append((len(recent), first, label))
    if not found:
        return None
    size, first, label = max(found)
    return label, size, first


def stage_suggest(
    *,
    current: int,
    since: date,
    today: date,
    cases: Iterable[ConfirmedCase],
    resumption_under_way: bool,
    thresholds: SuggestionThresholds = SuggestionThresholds(),
) -> Suggestion | None:
    """The stage the records suggest for a region in `current` stage since `since`, or None.

    In order: a new local cluster suggests going back to stage 1 (from 2 or 3); no new local
    confirmed case for `stage3_quiet_days` suggests stage 3 (from 1 or 2); enterprises resuming
    and no case for `stage2_quiet_days` suggests stage 2 (from 1). Never the current stage.
    """
    cases = list(cases)
    cluster = new_cluster(cases, today=today, thresholds=thresholds)
    if cluster is not None:
        if current > Stage.PREVENTION:
            label, size, first = cluster
            return Suggestion(
                Stage.PREVENTION,
                SuggestionReason.NEW_CLUSTER,
                cluster=label,
                cluster_cases=size,
                basis=f"cluster:{label}:{first.isoformat()}",
            )
        return None  # a region with a live cluster is where stage 1 belongs: nothing to change
    quiet = quiet_days(cases, today=today, since=since)
    last = max((c.reported_on for c in cases if c.reported_on <= today), default=since)
    basis = f"last:{last.isoformat()}"
    if current < Stage.NORMALIZATION and quiet >= thresholds.stage3_quiet_days:
        return Suggestion(
            Stage.NORMALIZATION, SuggestionReason.NO_CASE_LONG, quiet_days=quiet, basis=basis
        )
    if (
        current == Stage.PREVENTION
        and resumption_under_way
        and quiet >= thresholds.stage2_quiet_days
    ):
        return Suggestion(
            Stage.BALANCING, SuggestionReason.RESUMPTION_NO_CASE, quiet_days=quiet, basis=basis
        )
    return None
