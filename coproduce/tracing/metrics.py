"""Tracing's figures (core.metrics): the epidemic curve, progress by round, overdue tasks."""

from django.urls import reverse
from django.utils.translation import gettext as _

from coproduce.core import tally
from coproduce.core.metrics import Contribution, Metric, Period, Point
from coproduce.tracing import tallies

PANEL = "tracing"


def cases(*, scope, region, period: Period) -> list[Metric]:
    """New confirmed cases by report day over the period, and the cumulative count each day."""
    link = f"{reverse('tracing:cases')}?region={region.code}&status=confirmed"
    before = tally.tally_sums(
        keys=[tallies.CONFIRMED],
        region=region.code,
        start=tally.EPOCH,
        end=period.start - tally.ONE_DAY,
    )[tallies.CONFIRMED]
    new = tally.series(key=tallies.CONFIRMED, region=region.code, period=period)
    running, cumulative = int(before), []
    for point in new:
        running += point.value
        cumulative.append(Point(point.day, running))
    return [
        Metric(
            key="new",
            label=_("New confirmed cases"),
            value=sum(p.value for p in new),
            series=new,
            link=link,
        ),
        Metric(
            key="cumulative",
            label=_("Cumulative confirmed cases"),
            value=running,
            series=tuple(cumulative),
            link=link,
        ),
    ]


def metrics(*, scope, region, period: Period) -> list[Metric]:
    """Trace tasks per round (made and done) and tasks overdue, as last counted."""
    link = f"{reverse('tracing:progress')}?region={region.code}"
    g = tallies.GAUGE
    day = tally.gauge_day(prefix=g, on=period.end)
    rounds = []
    if day is not None:
        levels = tally.tally_prefix_sums(
            prefix=f"{g}{tallies.ROUNDS}", region=region.code, start=day, end=day
        )
        numbers = sorted({int(key.split(".")[-2]) for key in levels})
        for n in numbers:
            made = int(levels.get(f"{g}{tallies.ROUNDS}{n}.tasks", 0))
            done = int(levels.get(f"{g}{tallies.ROUNDS}{n}.done", 0))
            rounds.append(
                Metric(
                    key=f"round_{n}_done",
                    label=_("Round %(n)s: tasks done of %(made)s") % {"n": n, "made": made},
                    value=done,
                    link=link,
                )
            )
    overdue = tally.gauge_metrics(
        prefix=g,
        figures=[(f"{g}{tallies.OVERDUE}", "overdue", _("Tasks overdue"), "count", link)],
        region=region.code,
        on=period.end,
    )
    return [*rounds, *overdue]


def contributions(*, region, period: Period) -> list[Contribution]:
    """Trace tasks done, per organization of the team that did them (Table 1: tracing)."""
    return tally.contributions(
        prefix=tallies.CONTRIB_TASKS,
        measure="tasks_done",
        unit="count",
        region=region.code,
        period=period,
        link=f"{reverse('tracing:tasks')}?region={region.code}&status=done",
    )


PANELS = {"cases": cases, "tracing": metrics}
