"""Checkpoints' figures (core.metrics): scans, denials, fevers and hours staffed, from tallies."""

from django.urls import reverse
from django.utils.translation import gettext as _

from coproduce.checkpoints import tallies
from coproduce.core import tally
from coproduce.core.metrics import Contribution, Metric, Period

PANEL = "checkpoints"


def metrics(*, scope, region, period: Period) -> list[Metric]:
    """Scans, denials and fevers per day, and hours staffed, in the region's subtree."""
    link = f"{reverse('checkpoints:region_stats')}?region={region.code}"
    return tally.flow_metrics(
        figures=[
            (tallies.SCANS, "scans", _("Scans"), "count", link),
            (tallies.DENIALS, "denials", _("Entries denied"), "count", link),
            (tallies.FEVERS, "fevers", _("Fevers found"), "count", link),
            (tallies.HOURS, "hours_staffed", _("Hours staffed"), "hours", link),
        ],
        region=region.code,
        period=period,
    )


def contributions(*, region, period: Period) -> list[Contribution]:
    """Scans and hours staffed at checkpoints, per operating organization (Table 1: tracing)."""
    link = f"{reverse('checkpoints:list')}?region={region.code}"
    return [
        *tally.contributions(
            prefix=tallies.CONTRIB_SCANS,
            measure="scans",
            unit="count",
            region=region.code,
            period=period,
            link=link,
        ),
        *tally.contributions(
            prefix=tallies.CONTRIB_HOURS,
            measure="checkpoint_hours",
            unit="hours",
            region=region.code,
            period=period,
            link=link,
        ),
    ]
