"""Volunteers' figures (core.metrics): active volunteers and confirmed service hours."""

from django.urls import reverse
from django.utils.translation import gettext as _

from coproduce.core import tally
from coproduce.core.metrics import CboRole, Contribution, Metric, Period
from coproduce.volunteers import tallies

PANEL = "volunteers"


def metrics(*, scope, region, period: Period) -> list[Metric]:
    """Active volunteers living in the region (period's end) and hours they served per day."""
    link = f"{reverse('volunteers:records')}?region={region.code}"
    return [
        *tally.gauge_metrics(
            prefix=tallies.GAUGE,
            figures=[(tallies.GAUGE, "active", _("Active volunteers"), "people", link)],
            region=region.code,
            on=period.end,
        ),
        *tally.flow_metrics(
            figures=[(tallies.HOURS, "service_hours", _("Service hours confirmed"), "hours", link)],
            region=region.code,
            period=period,
        ),
    ]


def contributions(*, region, period: Period) -> list[Contribution]:
    """Confirmed service hours per organization, by the role of Table 1 their activity served."""
    link = f"{reverse('volunteers:records')}?region={region.code}"
    found = []
    for role in (CboRole.TRACING, CboRole.COMMUNITY_SERVICES):
        found += tally.contributions(
            prefix=tallies.CONTRIB.format(role=role),
            measure="service_hours",
            unit="hours",
            region=region.code,
            period=period,
            link=link,
        )
    return found
