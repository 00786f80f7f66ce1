"""The rules of care, pure: screening scores, risk, duty-roster coverage, the acknowledgement
deadline and who may see a counseling record.

PHQ-9 (Kroenke, Spitzer and Williams, "The PHQ-9: validity of a brief depression severity
measure", J Gen Intern Med 2001;16:606-613): nine items answered 0-3, total 0-27; severity
cut-offs 5, 10, 15 and 20 for mild, moderate, moderately severe and severe depression.
GAD-7 (Spitzer, Kroenke, Williams and Löwe, "A brief measure for assessing generalized anxiety
disorder", Arch Intern Med 2006;166:1092-1097): seven items 0-3, total 0-21; cut-offs 5, 10 and
15 for mild, moderate and severe anxiety.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum


class Instrument(StrEnum):
    """The standard screening instruments the hotline uses."""

    PHQ9 = "phq9"
    GAD7 = "gad7"


class Severity(StrEnum):
    """The published severity bands of PHQ-9 and GAD-7 (GAD-7 has no moderately_severe)."""

    MINIMAL = "minimal"
    MILD = "mild"
    MODERATE = "moderate"
    MODERATELY_SEVERE = "moderately_severe"
    SEVERE = "severe"


class Risk(StrEnum):
    """What the hotline does with a result: low (no action), moderate (follow up), high (crisis)."""

    LOW = "low"
    MODERATE = "moderate"
    HIGH = "high"


ITEMS = {Instrument.PHQ9: 9, Instrument.GAD7: 7}
MAX_ANSWER = 3

# (lowest total of the band, band), highest first: the published tables.
PHQ9_BANDS = (
    (20, Severity.SEVERE),
    (15, Severity.MODERATELY_SEVERE),
    (10, Severity.MODERATE),
    (5, Severity.MILD),
    (0, Severity.MINIMAL),
)
GAD7_BANDS = (
    (15, Severity.SEVERE),
    (10, Severity.MODERATE),
    (5, Severity.MILD),
    (0, Severity.MINIMAL),
)
BANDS = {Instrument.PHQ9: PHQ9_BANDS, Instrument.GAD7: GAD7_BANDS}

# Index of PHQ-9 item 9 ("thoughts that you would be better off dead, or of hurting yourself").
PHQ9_SUICIDE_ITEM = 8


@dataclass(frozen=True)
class ScreeningResult:
    """A scored screening: total, severity band, risk and whether it raises a crisis alert."""

    instrument: Instrument
    total: int
    severity: Severity
    risk: Risk

    @property
    def escalates(self) -> bool:
        """High risk alerts the counselor on crisis duty at once."""
        return self.risk == Risk.HIGH


def answers_check(instrument: Instrument, answers: Iterable[int]) -> list[int]:
    """Rule: exactly one answer per item, each a whole number 0-3 (ValueError otherwise)."""
    values = list(answers)
    expected = ITEMS[instrument]
    if len(values) != expected:
        raise ValueError(f"{instrument.value} has {expected} items; {len(values)} answers given")
    for n, value in enumerate(values, start=1):
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_ANSWER:
            raise ValueError(f"item {n}: an answer is 0, 1, 2 or 3")
    return values


def severity_of(instrument: Instrument, total: int) -> Severity:
    """Rule: the published severity band of a total (PHQ-9 0-27, GAD-7 0-21)."""
    top = ITEMS[instrument] * MAX_ANSWER
    if not 0 <= total <= top:
        raise ValueError(f"a {instrument.value} total lies in 0..{top}")
    for lowest, band in BANDS[instrument]:
        if total >= lowest:
            return band
    raise AssertionError("unreachable: the lowest band starts at 0")


def risk_of(instrument: Instrument, severity: Severity, *, suicide_item: int = 0) -> Risk:
    """Rule: risk from the band, and for PHQ-9 from item 9.

    Our mapping (the instruments publish bands, not actions; this follows the actions the PHQ-9
    authors propose per band, Kroenke et al. 2001, table 4):
    - PHQ-9 item 9 above 0: high, whatever the total (any thought of self-harm is a crisis);
    - PHQ-9 severe (20-27): high ("immediate initiation of treatment");
    - PHQ-9 moderately severe (15-19) and moderate (10-14): moderate (treatment plan, follow-up);
    - GAD-7 severe (15-21): moderate (GAD-7 measures anxiety, not risk to life: a follow-up, not
      a crisis alert); GAD-7 moderate (10-14, the authors' cut-off for probable GAD): moderate;
    - minimal and mild: low.
    """
    if instrument == Instrument.PHQ9 and suicide_item > 0:
        return Risk.HIGH
    if instrument == Instrument.PHQ9 and severity == Severity.SEVERE:
        return Risk.HIGH
    if severity in (Severity.MINIMAL, Severity.MILD):
        return Risk.LOW
    return Risk.MODERATE


def screening_score(instrument: Instrument | str, answers: Iterable[int]) -> ScreeningResult:
    """Rule: score a PHQ-9 or GAD-7 as published: the sum of the items, its band, its risk."""
    instrument = Instrument(instrument)
    values = answers_check(instrument, answers)
    total = sum(values)
    severity = severity_of(instrument, total)
    suicide = values[PHQ9_SUICIDE_ITEM] if instrument == Instrument.PHQ9 else 0
    return ScreeningResult(
        instrument=instrument,
        total=total,
        severity=severity,
        risk=risk_of(instrument, severity, suicide_item=suicide),
    )


# --- crisis duty ----------------------------------------------------------------------------


def ack_deadline(raised_at: datetime, minutes: int) -> datetime:
    """Rule: an alert must be acknowledged within `minutes` of being raised."""
    if minutes < 1:
        raise ValueError("the acknowledgement deadline is at least one minute")
    return raised_at + timedelta(minutes=minutes)


def alert_overdue(*, deadline: datetime, now: datetime, acknowledged: bool) -> bool:
    """Rule: an alert escalates once its deadline has passed unacknowledged."""
    return not acknowledged and now > deadline


@dataclass(frozen=True)
class Shift:
    """One crisis-duty shift: who, from when to when (end excluded)."""

    counselor_id: int
    starts_at: datetime
    ends_at: datetime


def on_duty(shifts: Iterable[Shift], at: datetime) -> int | None:
    """Rule: the counselor whose shift covers `at`; of overlapping shifts, the latest started."""
    covering = [s for s in shifts if s.starts_at <= at < s.ends_at]
    if not covering:
        return None
    return max(covering, key=lambda s: (s.starts_at, -s.counselor_id)).counselor_id


def roster_gaps(
    shifts: Iterable[Shift], *, start: datetime, end: datetime
) -> list[tuple[datetime, datetime]]:
    """Rule: the parts of [start, end) that no shift covers (a 24-hour roster has none)."""
    gaps = []
    cursor = start
    for shift in sorted(shifts, key=lambda s: s.starts_at):
        if shift.ends_at <= cursor or shift.starts_at >= end:
            continue
        if shift.starts_at > cursor:
            gaps.append((cursor, shift.starts_at))
        cursor = max(cursor, shift.ends_at)
        if cursor >= end:
            break
    if cursor < end:
        gaps.append((cursor, end))
    return gaps


# --- who sees a record ----------------------------------------------------------------------

MAX_SUPERVISION_DEPTH = 5


def supervisors_of(person_id: int, supervisor: dict[int, int | None]) -> list[int]:
    """Rule: a practitioner's supervisors, nearest first, up the chain (cycles and depth capped)."""
    chain: list[int] = []
    current = supervisor.get(person_id)
    while current is not None and current != person_id and current not in chain:
        chain.append(current)
        if len(chain) >= MAX_SUPERVISION_DEPTH:
            break
        current = supervisor.get(current)
    return chain


def may_see_record(*, viewer_id: int, owner_id: int, supervisors: Iterable[int]) -> bool:
    """Rule: a counseling or clinic record is seen by its counselor or clinician and their
    supervisors only; no role, official or admin, sees it otherwise (PRODUCT.md 3.8)."""
    return viewer_id == owner_id or viewer_id in set(supervisors)


def credential_valid(*, verified: bool, expires_on: date, today: date) -> bool:
    """Rule: a credential counts while verified and not expired (valid through its expiry day)."""
    return verified and today <= expires_on


def slot_check(*, starts_at: datetime, ends_at: datetime, now: datetime) -> None:
    """Rule: a slot ends after it starts, lasts at most 4 hours and is not in the past."""
    if ends_at <= starts_at:
        raise ValueError("a slot ends after it starts")
    if ends_at - starts_at > timedelta(hours=4):
        raise ValueError("a slot lasts at most 4 hours")
    if starts_at < now - timedelta(minutes=5):
        raise ValueError("a slot cannot start in the past")


def callback_keep_until(*, logged_at: datetime, days: int) -> datetime:
    """Rule: an anonymous caller's callback number is kept `days` after the call at most."""
    return logged_at + timedelta(days=days)
