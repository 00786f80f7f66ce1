"""The one interface through which apps state their figures (STYLE.md: figures behind one interface).

Every app that has something to count has a `metrics.py` module with

    PANEL = "recovery"                      # the dashboard panel it fills (API.md panel names)
    def metrics(*, scope, region, period) -> list[Metric]: ...

`scope` is the caller's `accounts.permissions.Scope`, `region` the `regions.Region` looked at
(the figures cover its whole subtree), `period` the inclusive local dates. A metric function is a
read: no writes, no audit, index-bound (kept aggregates rather than scans of raw logs), and it
never names a person. A module may also define

    def contributions(*, region, period) -> list[Contribution]: ...

the work its records show done for the CBO roles of the paper's Table 1, per organization, from
which the dashboard regenerates Table 1 ("coproduction, measured", PRODUCT.md 3.9). The dashboard finds these modules by name (`autodiscover_modules`), so a
new app adds a panel without any change to the dashboard, and imports nothing else of the apps.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

Number = int | Decimal
# A figure an app suppresses itself (care's counts under 5 for every viewer) is the string "<5".
Shown = Number | str


@dataclass(frozen=True)
class Period:
    """Local calendar days from `start` to `end`, both included."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("a period ends on or after its start")

    @property
    def days(self) -> int:
        """How many days the period spans."""
        return (self.end - self.start).days + 1

    def dates(self) -> list[date]:
        """Every day of the period, in order."""
        return [self.start + timedelta(days=i) for i in range(self.days)]


@dataclass(frozen=True)
class Point:
    """One day's value of a series."""

    day: date
    value: Shown


@dataclass(frozen=True)
class Metric:
    """One figure of a panel: a stable key, a label for people, a value and, optionally, a series.

    `unit` is one of "count", "people", "hours", "yuan", "pct", "kg" (the dashboard formats by it);
    `series` holds the value per day of the period when the figure has a trend; `link` is the
    URL of the records it counts (within the viewer's scope), or "".
    """

    key: str
    label: str
    value: Shown
    unit: str = "count"
    series: tuple[Point, ...] = field(default=())
    link: str = ""


class CboRole(StrEnum):
    """The CBO roles of the paper's Table 1 (PRODUCT.md section 2), across its three stages."""

    # stages 1-3: mobilizing volunteers to trace the source and spread (checkpoints, tracing)
    TRACING = "tracing"
    # stage 1: collecting donations and supplies
    DONATIONS_SUPPLIES = "donations_supplies"
    # stage 1: community services so that people staying home receive basic life support
    COMMUNITY_SERVICES = "community_services"
    # stage 2: welfare services
    WELFARE_SERVICES = "welfare_services"
    # stage 2: assisting enterprises with production resumption
    PRODUCTION_RESUMPTION = "production_resumption"
    # stage 3: psychological counseling and social work
    COUNSELING_SOCIAL_WORK = "counseling_social_work"
    # stage 3: collaboration platforms for sustainable economic development
    ECONOMIC_COLLABORATION = "economic_collaboration"


@dataclass(frozen=True)
class Contribution:
    """Work for one CBO role done by one organization (None: no organization) in a period.

    `measure` names what is counted ("tasks_done", "scans", "service_hours", "donations_yuan",
    "deliveries", "procurements", "sessions"...), `amount` how much; `link` the records counted.
    """

    role: CboRole
    organization_id: int | None
    measure: str
    amount: Number
    link: str = ""
