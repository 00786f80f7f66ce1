"""The dashboards' kept figures, refreshed by the scheduler (docs/dashboard.md).

Each app that keeps figures has a `tallies.py` with `refresh(*, settled=False) -> dict` (its
logs counted from their high-water marks and its small recounts: every
COPRODUCE_TALLY_REFRESH_SECONDS) and, where it has levels over every resident (codes by color,
registrations, active volunteers), `refresh_gauges() -> dict` (a scan of those tables: every
COPRODUCE_TALLY_GAUGE_SECONDS). They are found by name among the installed apps, so a new app's
figures are refreshed without a change here. Any number of schedulers may run: each refresh is
claimed by a conditional update of its mark row, so one runs per interval.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from coproduce.core.models import TallyMark

log = logging.getLogger(__name__)
CLAIM, GAUGES = "refresh", "refresh-gauges"


def tally_modules() -> list:
    """The `tallies` modules of the installed apps, in INSTALLED_APPS order."""
    found = []
    for config in apps.get_app_configs():
        name = f"{config.name}.tallies"
        if find_spec(name) is not None and hasattr(import_module(name), "refresh"):
            found.append(import_module(name))
    return found


def _run(modules, call) -> dict[str, dict]:
    out = {}
    for module in modules:
        t0 = time.perf_counter()
        counted = call(module)
        if counted is not None:
            out[module.__name__] = {**counted, "seconds": round(time.perf_counter() - t0, 3)}
    return out


def tallies_refresh(*, settled: bool = False, gauges: bool = True) -> dict[str, dict]:
    """Refresh every app's kept figures now (and the gauges, unless told not to)."""
    modules = tally_modules()
    out = _run(modules, lambda m: m.refresh(settled=settled))
    if gauges:
        for name, counted in _run(
            [m for m in modules if hasattr(m, "refresh_gauges")], lambda m: m.refresh_gauges()
        ).items():
            out[f"{name} (gauges)"] = counted
    return out


def _claim(source: str, seconds: int) -> bool:
    now = timezone.now()
    TallyMark.objects.get_or_create(source=source)
    stale = Q(refreshed_at__isnull=True) | Q(refreshed_at__lte=now - timedelta(seconds=seconds))
    return bool(TallyMark.objects.filter(stale, source=source).update(refreshed_at=now))


def tallies_refresh_due() -> dict[str, dict] | None:
    """Refresh what is due: the logs and recounts every COPRODUCE_TALLY_REFRESH_SECONDS, the
    gauges every COPRODUCE_TALLY_GAUGE_SECONDS; None when nothing was."""
    fast = _claim(CLAIM, settings.TALLY_REFRESH_SECONDS)
    slow = _claim(GAUGES, settings.TALLY_GAUGE_SECONDS)
    if not (fast or slow):
        return None
    modules = tally_modules()
    out = _run(modules, lambda m: m.refresh()) if fast else {}
    if slow:
        out |= _run(
            [m for m in modules if hasattr(m, "refresh_gauges")], lambda m: m.refresh_gauges()
        )
    return out
