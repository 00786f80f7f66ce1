"""The presence log's figure (core.metrics): presences at places, part of the checkpoints panel."""

from django.utils.translation import gettext as _

from coproduce.core import tally
from coproduce.core.metrics import Metric, Period
from coproduce.places import tallies

PANEL = "checkpoints"


def metrics(*, scope, region, period: Period) -> list[Metric]:
    """Checkpoint scans and place-code visits logged for tracing, per day."""
    return tally.flow_metrics(
        figures=[(tallies.PRESENCES, "presences", _("Presences logged"), "count", "")],
        region=region.code,
        period=period,
    )
