"""Health-code color rules (PRODUCT.md section 3.2), as pure functions.

No Django, no I/O, no clock: the caller passes the person's conditions, their daily reports, the
local date ``today`` and a ``CodePolicy``. The same inputs always give the same ``CodeState``.

Vocabulary:

- A **condition** is what makes a code non-green: an active case, a centralized quarantine order
  or a home quarantine order. Each has a reason code (why it was imposed), a start date, an
  optional hard end ``ends_on`` (lifted, case closed, or shortened by an official: the condition
  no longer applies *on* that date) and an optional earliest end ``not_before`` (lengthened by an
  official: the order cannot be completed before that date).
- A **daily report** is one per local calendar day: a temperature and a set of symptoms.
- An order is **completed** on the first day D (D >= its start, D >= ``not_before``) that closes a
  run of N consecutive normal reports counted from the order's start (N = 14 centralized, 7 home).
  Completion is permanent: what happens after D does not reopen the order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

__all__ = [
    "CASE_REASONS",
    "LISTED_SYMPTOMS",
    "ORDER_REASONS",
    "CodePolicy",
    "CodeState",
    "Color",
    "Condition",
    "ConditionKind",
    "DailyReport",
    "Reason",
    "ReasonCode",
    "RiskLevel",
    "Symptom",
    "code_evaluate",
    "declaration_conditions",
    "discharge_observation",
    "report_findings",
    "report_is_abnormal",
    "report_is_normal",
]


class Color(StrEnum):
    """Health-code color, ordered by severity: green < yellow < red."""

    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"

    @property
    def rank(self) -> int:
        """Severity rank: 0 green, 1 yellow, 2 red."""
        return _COLOR_RANK[self]

    # StrEnum would compare the strings ("green" < "red" < "yellow"); severity is what matters.
    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Color):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Color):
            return NotImplemented
        return self.rank <= other.rank

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Color):
            return NotImplemented
        return self.rank > other.rank

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Color):
            return NotImplemented
        return self.rank >= other.rank


_COLOR_RANK = {Color.GREEN: 0, Color.YELLOW: 1, Color.RED: 2}


class ConditionKind(StrEnum):
    """What kind of condition holds a code away from green."""

    ACTIVE_CASE = "active_case"
    CENTRALIZED_QUARANTINE = "centralized_quarantine"
    HOME_QUARANTINE = "home_quarantine"

    @property
    def color(self) -> Color:
        """The color this kind of condition gives while active (PRODUCT.md 3.2)."""
        return Color.YELLOW if self is ConditionKind.HOME_QUARANTINE else Color.RED


class ReasonCode(StrEnum):
    """Why a condition was imposed; shown to the resident in plain words."""

    CONFIRMED_CASE = "confirmed_case"
    SUSPECTED_CASE = "suspected_case"
    ASYMPTOMATIC_CASE = "asymptomatic_case"
    CLOSE_CONTACT = "close_contact"
    HIGH_RISK_TRAVEL = "high_risk_travel"
    POST_DISCHARGE = "post_discharge"
    SECONDARY_CONTACT = "secondary_contact"
    MEDIUM_RISK_TRAVEL = "medium_risk_travel"
    DECLARED_SYMPTOMS = "declared_symptoms"
    OFFICIAL_ORDER = "official_order"


# An active case carries one of the case statuses; an order carries why it was ordered. The
# defaults (close contact -> centralized, secondary contact -> home, ...) are the caller's policy,
# so any order reason may go with either order kind.
CASE_REASONS = frozenset(
    {ReasonCode.CONFIRMED_CASE, ReasonCode.SUSPECTED_CASE, ReasonCode.ASYMPTOMATIC_CASE}
)
ORDER_REASONS = frozenset(ReasonCode) - CASE_REASONS


class Symptom(StrEnum):
    """The listed symptoms: any of them in a report makes it abnormal."""

    FEVER = "fever"
    COUGH = "cough"
    SORE_THROAT = "sore_throat"
    SHORTNESS_OF_BREATH = "shortness_of_breath"
    FATIGUE = "fatigue"
    DIARRHEA = "diarrhea"
    LOSS_OF_TASTE_OR_SMELL = "loss_of_taste_or_smell"
    MUSCLE_ACHE = "muscle_ache"
    HEADACHE = "headache"
    CHILLS = "chills"
    NASAL_CONGESTION = "nasal_congestion"
    CONJUNCTIVITIS = "conjunctivitis"


# The common COVID-19 symptoms of the national diagnosis and treatment protocol; a deployment may
# list more or fewer through the policy.
LISTED_SYMPTOMS: frozenset[str] = frozenset(s.value for s in Symptom)


class RiskLevel(StrEnum):
    """A region's epidemic risk level as set by officials."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


@dataclass(frozen=True, slots=True)
class CodePolicy:
    """The health-code settings, with the defaults of PRODUCT.md section 3.2."""

    # 14 consecutive normal reports: the paper's red code is a 14-day centralized quarantine.
    red_reports: int = 14
    # 7 consecutive normal reports: the yellow code is a 7-day home quarantine.
    yellow_reports: int = 7
    # 37.3 degrees C: the fever threshold used at Zhejiang's checkpoints (PRODUCT.md 3.2, 3.3).
    fever_c: Decimal = Decimal("37.3")
    # 14 days: the declaration asks for travel "in the last 14 days" (PRODUCT.md 3.2).
    travel_lookback_days: int = 14
    # Which reported symptoms make a report abnormal.
    symptoms: frozenset[str] = LISTED_SYMPTOMS

    def __post_init__(self) -> None:
        if self.red_reports < 1 or self.yellow_reports < 1:
            raise ValueError("a quarantine needs at least one report to end")
        if self.travel_lookback_days < 0:
            raise ValueError("travel_lookback_days must not be negative")
        if not isinstance(self.fever_c, Decimal):
            raise TypeError("fever_c must be a Decimal")
        object.__setattr__(self, "symptoms", frozenset(self.symptoms))

    def reports_required(self, kind: ConditionKind) -> int | None:
        """How many consecutive normal reports end an order of this kind (None: never)."""
        if kind is ConditionKind.CENTRALIZED_QUARANTINE:
            return self.red_reports
        if kind is ConditionKind.HOME_QUARANTINE:
            return self.yellow_reports
        return None


DEFAULT_POLICY = CodePolicy()


@dataclass(frozen=True, slots=True)
class Condition:
    """A case or a quarantine order, active from ``starts_on`` until it ends."""

    kind: ConditionKind
    reason: ReasonCode
    starts_on: dt.date
    # Hard end: the condition no longer applies on this date (lifted, case closed, shortened).
    ends_on: dt.date | None = None
    # Earliest end of an order (lengthened by an official): not completed before this date.
    not_before: dt.date | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", ConditionKind(self.kind))
        object.__setattr__(self, "reason", ReasonCode(self.reason))
        is_case = self.kind is ConditionKind.ACTIVE_CASE
        if is_case != (self.reason in CASE_REASONS):
            raise ValueError(f"reason {self.reason} does not fit a condition of kind {self.kind}")
        if is_case and self.not_before is not None:
            raise ValueError("an active case ends when it is closed; it has no earliest end")

    def applies_on(self, day: dt.date) -> bool:
        """Whether the condition has started and has not been ended by ``ends_on`` on ``day``."""
        return self.starts_on <= day and (self.ends_on is None or day < self.ends_on)


@dataclass(frozen=True, slots=True)
class DailyReport:
    """One resident's health report for one local calendar day."""

    on: dt.date
    temperature_c: Decimal
    symptoms: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if not isinstance(self.temperature_c, Decimal):
            # Floats would make 37.3 a rounding question; the API parses Decimals.
            raise TypeError("temperature_c must be a Decimal")
        object.__setattr__(self, "symptoms", frozenset(self.symptoms))


@dataclass(frozen=True, slots=True)
class Reason:
    """One active reason on a code, as the resident sees it."""

    code: ReasonCode
    kind: ConditionKind
    color: Color
    # Plain English; never names a case, a person or a place (PRODUCT.md 3.2, privacy).
    text: str
    since: dt.date
    # Normal daily reports still needed, counting today's if it is not filed yet; None for a case.
    reports_remaining: int | None
    # The day the reason lifts if every report from now on is normal; None for an active case.
    green_on: dt.date | None


@dataclass(frozen=True, slots=True)
class CodeState:
    """A person's health code on one day: its color and the active reasons behind it."""

    color: Color
    reasons: tuple[Reason, ...]
    as_of: dt.date

    @property
    def green_on(self) -> dt.date | None:
        """When the whole code turns green if reports stay normal (None: green now or a case)."""
        if not self.reasons or any(r.green_on is None for r in self.reasons):
            return None
        return max(r.green_on for r in self.reasons if r.green_on is not None)


# --- reports -------------------------------------------------------------------------------


def report_findings(report: DailyReport, *, policy: CodePolicy = DEFAULT_POLICY) -> tuple[str, ...]:
    """What makes a report abnormal: "fever" at or above the threshold, then listed symptoms."""
    found: set[str] = {s for s in report.symptoms if s in policy.symptoms}
    # >= 37.3: the threshold itself counts as fever (PRODUCT.md 3.2 "fever (>= 37.3 C)").
    if report.temperature_c >= policy.fever_c:
        found.add(Symptom.FEVER.value)
    fever = [Symptom.FEVER.value] if Symptom.FEVER.value in found else []
    return tuple(fever + sorted(found - {Symptom.FEVER.value}))


def report_is_abnormal(report: DailyReport, *, policy: CodePolicy = DEFAULT_POLICY) -> bool:
    """A report with fever or a listed symptom is abnormal (the service opens a follow-up task)."""
    return bool(report_findings(report, policy=policy))


def report_is_normal(report: DailyReport, *, policy: CodePolicy = DEFAULT_POLICY) -> bool:
    """A report without fever and without any listed symptom counts toward a streak."""
    return not report_findings(report, policy=policy)


def _day_status(
    reports: Iterable[DailyReport], *, today: dt.date, policy: CodePolicy
) -> dict[dt.date, bool]:
    """Map each reported day up to today to True (normal) or False (abnormal)."""
    status: dict[dt.date, bool] = {}
    for report in reports:
        if report.on > today:
            continue  # a report dated in the future does not exist yet on ``today``
        # One report counts per day; should two reach us, any abnormal one makes the day
        # abnormal, so the outcome does not depend on their order.
        status[report.on] = status.get(report.on, True) and report_is_normal(report, policy=policy)
    return status


# --- orders --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Progress:
    completed_on: dt.date | None
    reports_remaining: int
    green_on: dt.date


def _order_progress(
    condition: Condition, *, required: int, status: Mapping[dt.date, bool], today: dt.date
) -> _Progress:
    """Walk the days from the order's start to today counting consecutive normal reports."""
    streak = 0
    day = condition.starts_on
    one_day = dt.timedelta(days=1)
    while day <= today:
        normal = status.get(day)
        if normal is None:
            # A past day without a report breaks the streak; today may still be reported.
            if day < today:
                streak = 0
        elif normal:
            streak += 1
            if streak >= required and (condition.not_before is None or day >= condition.not_before):
                # Completion is permanent: nothing after this day reopens the order.
                return _Progress(completed_on=day, reports_remaining=0, green_on=day)
        else:
            streak = 0  # fever or a listed symptom restarts the count (PRODUCT.md 3.2)
        day += one_day
    # Not completed: project the end if every report from the next missing one is normal.
    next_report_on = today + one_day if today in status else today
    if next_report_on < condition.starts_on:
        next_report_on = condition.starts_on
    green_on = next_report_on + dt.timedelta(days=max(required - streak, 1) - 1)
    if condition.not_before is not None and condition.not_before > green_on:
        green_on = condition.not_before
    return _Progress(
        completed_on=None,
        reports_remaining=(green_on - next_report_on).days + 1,
        green_on=green_on,
    )


# --- texts ---------------------------------------------------------------------------------

# Plain words for the resident. They say why, never who or where: a contact must not learn the
# case's identity or the place of exposure (PRODUCT.md 3.2 and 3.4).
_REASON_TEXT: dict[ReasonCode, str] = {
    ReasonCode.CONFIRMED_CASE: "You are recorded as a confirmed case.",
    ReasonCode.SUSPECTED_CASE: "You are recorded as a suspected case.",
    ReasonCode.ASYMPTOMATIC_CASE: "You are recorded as an asymptomatic infection.",
    ReasonCode.CLOSE_CONTACT: "You were identified as a close contact of a case.",
    ReasonCode.HIGH_RISK_TRAVEL: "You were recently in a high-risk area.",
    ReasonCode.POST_DISCHARGE: "You were recently discharged after treatment.",
    ReasonCode.SECONDARY_CONTACT: "You were identified as a contact of a close contact.",
    ReasonCode.MEDIUM_RISK_TRAVEL: "You were recently in a medium-risk area.",
    ReasonCode.DECLARED_SYMPTOMS: "You declared symptoms when you registered.",
    ReasonCode.OFFICIAL_ORDER: "A health official ordered you to quarantine.",
}

_KIND_TEXT: dict[ConditionKind, str] = {
    ConditionKind.ACTIVE_CASE: "Your code stays red until health staff close your case.",
    ConditionKind.CENTRALIZED_QUARANTINE: "You are in centralized quarantine (red code).",
    ConditionKind.HOME_QUARANTINE: "You are in home quarantine (yellow code).",
}


def _reason_text(condition: Condition, remaining: int | None, green_on: dt.date | None) -> str:
    parts = [_REASON_TEXT[condition.reason], _KIND_TEXT[condition.kind]]
    if green_on is not None and not remaining:
        parts.append(f"It ends on {green_on.isoformat()}.")
    elif green_on is not None:
        noun, they = (
            ("daily health report", "it is")
            if remaining == 1
            else ("daily health reports", "they are")
        )
        parts.append(
            f"{remaining} more {noun} without fever or symptoms needed; if {they} normal, "
            f"it ends on {green_on.isoformat()}."
        )
    return " ".join(parts)


# --- the code ------------------------------------------------------------------------------


def _reason_for(
    condition: Condition, *, status: Mapping[dt.date, bool], today: dt.date, policy: CodePolicy
) -> Reason | None:
    """The active reason a condition gives today, or None if it does not apply or is completed."""
    if not condition.applies_on(today):
        return None
    required = policy.reports_required(condition.kind)
    if required is None:
        # An active case is red until it is closed, whatever the reports say.
        return Reason(
            code=condition.reason,
            kind=condition.kind,
            color=condition.kind.color,
            text=_reason_text(condition, None, None),
            since=condition.starts_on,
            reports_remaining=None,
            green_on=None,
        )
    progress = _order_progress(condition, required=required, status=status, today=today)
    if progress.completed_on is not None:
        return None
    green_on, remaining = progress.green_on, progress.reports_remaining
    if condition.ends_on is not None and condition.ends_on <= green_on:
        # An official already set an earlier hard end: it lifts then, whatever the reports.
        green_on, remaining = condition.ends_on, 0
    return Reason(
        code=condition.reason,
        kind=condition.kind,
        color=condition.kind.color,
        text=_reason_text(condition, remaining, green_on),
        since=condition.starts_on,
        reports_remaining=remaining,
        green_on=green_on,
    )


def code_evaluate(
    *,
    conditions: Iterable[Condition],
    reports: Iterable[DailyReport],
    today: dt.date,
    policy: CodePolicy = DEFAULT_POLICY,
) -> CodeState:
    """The health code on ``today``: the most severe active condition wins, green if none."""
    reports = tuple(reports)
    status = _day_status(reports, today=today, policy=policy)
    reasons = [
        reason
        for condition in conditions
        if (reason := _reason_for(condition, status=status, today=today, policy=policy))
    ]
    # Most severe first, then oldest; the full key makes the order independent of input order.
    reasons.sort(
        key=lambda r: (
            -r.color.rank,
            r.since,
            r.green_on or dt.date.max,
            r.code.value,
            r.kind.value,
            r.reports_remaining or 0,
            r.text,
        )
    )
    color = max((r.color for r in reasons), default=Color.GREEN)
    return CodeState(color=color, reasons=tuple(reasons), as_of=today)


# --- declarations and case closure ---------------------------------------------------------

# risk_at(region_code, day) -> "high" | "medium" | "low": the level in force on that day.
RiskAt = Callable[[str, dt.date], str]


def declaration_conditions(
    *,
    travel: Sequence[tuple[str, dt.date]],
    risk_at: RiskAt,
    case_contact: bool,
    symptoms: Iterable[str],
    today: dt.date,
    policy: CodePolicy = DEFAULT_POLICY,
) -> tuple[Condition, ...]:
    """The orders a registration declaration imposes, each starting on ``today``.

    High-risk travel or contact with a case: centralized quarantine; medium-risk travel or declared
    listed symptoms: home quarantine. Travel is judged against the risk level in force on the
    travel date; travel more than ``travel_lookback_days`` ago, or dated after today, is ignored.
    """
    reasons: set[tuple[ConditionKind, ReasonCode]] = set()
    lookback = dt.timedelta(days=policy.travel_lookback_days)
    for region_code, on in travel:
        if on > today or today - on > lookback:
            continue
        level = RiskLevel(risk_at(region_code, on))
        if level is RiskLevel.HIGH:
            reasons.add((ConditionKind.CENTRALIZED_QUARANTINE, ReasonCode.HIGH_RISK_TRAVEL))
        elif level is RiskLevel.MEDIUM:
            reasons.add((ConditionKind.HOME_QUARANTINE, ReasonCode.MEDIUM_RISK_TRAVEL))
    if case_contact:
        reasons.add((ConditionKind.CENTRALIZED_QUARANTINE, ReasonCode.CLOSE_CONTACT))
    if any(s in policy.symptoms for s in symptoms):
        reasons.add((ConditionKind.HOME_QUARANTINE, ReasonCode.DECLARED_SYMPTOMS))
    # The streak is counted from the order's start, and reports only begin at registration, so
    # the orders start today rather than on the travel date (which also keeps places out of them).
    return tuple(
        Condition(kind=kind, reason=reason, starts_on=today)
        for kind, reason in sorted(reasons, key=lambda kr: (-kr[0].color.rank, kr[1].value))
    )


def discharge_observation(*, closed_on: dt.date) -> Condition:
    """Closing a case (recovered, discharged) starts a centralized observation (PRODUCT.md 3.2)."""
    return Condition(
        kind=ConditionKind.CENTRALIZED_QUARANTINE,
        reason=ReasonCode.POST_DISCHARGE,
        starts_on=closed_on,
    )
