"""Tracing policy and shared helpers (PRODUCT.md 3.4): the settings with their defaults."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo


class QuarantineKind(enum.StrEnum):
    """Kind of quarantine order (PRODUCT.md 3.4): centralized (red code) or home (yellow)."""

    HOME = "home"
    CENTRALIZED = "centralized"


# Severity of orders: centralized quarantine is stricter than home quarantine.
ORDER_SEVERITY = {QuarantineKind.HOME: 1, QuarantineKind.CENTRALIZED: 2}


@dataclass(frozen=True, slots=True)
class TracingPolicy:
    """Settings of contact tracing, with the paper's and PRODUCT.md's defaults."""

    # 2 days before symptom onset (or the test, if asymptomatic): PRODUCT.md 3.4.
    infectious_days_before: int = 2
    # Present at the same place within 30 minutes of the case: PRODUCT.md 3.4. Inclusive: a gap
    # of exactly 30:00 is a contact, 30:01 is not.
    co_presence_tolerance: timedelta = field(default_factory=lambda: timedelta(minutes=30))
    # First contact within 24 hours of the round's start: PRODUCT.md 3.4.
    first_contact_deadline: timedelta = field(default_factory=lambda: timedelta(hours=24))
    # Degree 1 goes to centralized quarantine, degree 2 to home quarantine: PRODUCT.md 3.4.
    degree1_order: QuarantineKind = QuarantineKind.CENTRALIZED
    degree2_order: QuarantineKind = QuarantineKind.HOME
    # Calendar days (window start, exposure dates) are local days: PRODUCT.md 3.2's time zone.
    time_zone: tzinfo = field(default_factory=lambda: ZoneInfo("Asia/Shanghai"))
    # Scans and visits, hence the presence log, are purged after 28 days: PRODUCT.md 4. Evidence
    # older than that can no longer be found again, only kept as it was recorded.
    log_retention: timedelta = field(default_factory=lambda: timedelta(days=28))


def require_aware(at: datetime, name: str) -> None:
    """Refuse a naive datetime: local days and comparisons need a time zone."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware")


def none_last(value):
    """Sort key putting None after every value (ids are strings, times are datetimes)."""
    return (value is None, value if value is not None else "")
