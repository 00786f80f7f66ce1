"""The time bank's figure (core.metrics): hours credited to volunteers, in the volunteers panel."""

from django.urls import reverse
from django.utils.translation import gettext as _

from coproduce.core import tally
from coproduce.core.metrics import Metric, Period
from coproduce.timebank import tallies

PANEL = "volunteers"


def metrics(*, scope, region, period: Period) -> list[Metric]:
    """Hours credited to the volunteers of the region per day (earned, not gifts)."""
    return tally.flow_metrics(
        figures=[
            (
                tallies.CREDITED,
                "credited_hours",
                _("Time-bank hours credited"),
                "hours",
                reverse("timebank:home"),
            )
        ],
        region=region.code,
        period=period,
    )
