"""The dashboards' kept figures, refreshed every few minutes by the scheduler (docs/dashboard.md).

Each app that keeps figures has a `tallies.py` with `refresh(*, settled=False) -> dict`; they are
found by name among the installed apps, so a new app's figures are refreshed without a change
here. Any number of schedulers may run: a refresh is claimed by a conditional update of its mark
row, so only one runs per interval.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from coproduce.core.models import TallyMark

log = logging.getLogger(__name__)
CLAIM = "refresh"


def tally_modules() -> list:
    """The `tallies` modules of the installed apps, in INSTALLED_APPS order."""
    found = []
    for config in apps.get_app_configs():
        name = f"{config.name}.tallies"
        if find_spec(name) is not None and hasattr(import_module(name), "refresh"):
            found.append(import_module(name))
    return found


def tallies_refresh(*, settled: bool = False) -> dict[str, dict]:
    """Refresh every app's kept figures now; what each counted."""
    return {module.__name__: module.refresh(settled=settled) for module in tally_modules()}


def tallies_refresh_due() -> dict[str, dict] | None:
    """Refresh when the last refresh is older than COPRODUCE_TALLY_REFRESH_SECONDS; else None."""
    now = timezone.now()
    TallyMark.objects.get_or_create(source=CLAIM)
    stale = Q(refreshed_at__isnull=True) | Q(
        refreshed_at__lte=now - timedelta(seconds=settings.TALLY_REFRESH_SECONDS)
    )
    if not TallyMark.objects.filter(stale, source=CLAIM).update(refreshed_at=now):
        return None
    return tallies_refresh()
