"""Reads of the dashboard (a `region` is a regions.Region, got through regions' selectors):
the panels of a region in the caller's scope, Table 1 regenerated,
the public figures. Figures come only from the apps' `metrics.py` (core.metrics), found by name
among the installed apps, so a new app's panel appears without a change here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.utils.translation import gettext as _

from coproduce.accounts.permissions import Scope, scope_for
from coproduce.core import clock
from coproduce.core.errors import NotFound, ValidationFailed
from coproduce.core.metrics import Metric, Period
from coproduce.dashboard import rules, stageinfo
from coproduce.orgs import metrics as org_metrics
from coproduce.regions.selectors import region_children, region_get, region_root, risk_at

PERMISSION = "dashboard.view"
# The paper's outbreak began in late January 2020; a dashboard shows this many days by default.
DEFAULT_DAYS = 60


@cache
def metric_modules() -> tuple:
    """The `metrics` modules of the installed apps that state figures (PANEL or PANELS)."""
    found = []
    for config in apps.get_app_configs():
        name = f"{config.name}.metrics"
        if config.name.endswith(".core") or find_spec(name) is None:
            continue
        module = import_module(name)
        if hasattr(module, "PANELS") or hasattr(module, "PANEL"):
            found.append(module)
    return tuple(found)


def panel_sources() -> dict[str, list]:
    """Each panel's metric functions, panels in API.md's order, then any new ones."""
    sources: dict[str, list] = {}
    for module in metric_modules():
        panels = getattr(module, "PANELS", None) or {module.PANEL: module.metrics}
        for panel, fn in panels.items():
            sources.setdefault(panel, []).append(fn)
    order = {name: i for i, name in enumerate(rules.PANEL_ORDER)}
    return dict(sorted(sources.items(), key=lambda item: (order.get(item[0], 99), item[0])))


def contribution_sources() -> list:
    """The `contributions` functions of the apps that record work for Table 1's roles."""
    return [m.contributions for m in metric_modules() if hasattr(m, "contributions")]


def dashboard_region(*, user, code: str) -> tuple:
    """The region a caller may look at: in their scope for the dashboard, else NotFound."""
    scope = scope_for(user, PERMISSION)
    region = region_get(code=code)
    if scope.empty or not scope.covers(region.path):
        raise NotFound(
            _("No region has the code %(code)r.") % {"code": code}, code="region_not_found"
        )
    return scope, region


def dashboard_home_region(*, user):
    """Where a caller's dashboard opens: the widest region of their grants."""
    scope = scope_for(user, PERMISSION)
    if scope.everywhere:
        root = region_root()
        if root is not None:
            return root
    grants = sorted(scope.grants, key=lambda g: (g.region_path.count("/"), g.region_code))
    if not grants:
        raise NotFound(_("You have no region to look at."), code="region_not_found")
    return region_get(code=grants[0].region_code)


def period_for(*, on: date | None, start: date | None = None, days: int = DEFAULT_DAYS) -> Period:
    """The period a dashboard shows: up to `on` (today), from `start` or `days` before."""
    end = on or clock.today()
    begin = start or end - timedelta(days=days - 1)
    if begin > end:
        raise ValidationFailed(
            _("The period starts after it ends."), fields={"start": _("On or before the date.")}
        )
    return Period(begin, end)


def panels_compute(*, scope: Scope, region, period: Period) -> dict[str, list[Metric]]:
    """Every panel's metrics for the region's subtree over the period (coproduction apart)."""
    out: dict[str, list[Metric]] = {}
    for panel, functions in panel_sources().items():
        out[panel] = [m for fn in functions for m in fn(scope=scope, region=region, period=period)]
    return out


def panel_compute(*, scope: Scope, region, period: Period, panel: str) -> list[Metric]:
    """One panel's metrics, or NotFound for a panel no installed app fills."""
    functions = panel_sources().get(panel)
    if functions is None:
        raise NotFound(_("No such panel: %(panel)s.") % {"panel": panel}, code="panel_not_found")
    return [m for fn in functions for m in fn(scope=scope, region=region, period=period)]


def coproduction_compute(*, region, period: Period) -> list[rules.RoleRow]:
    """Table 1 regenerated for the region and period: the period cut at its stage changes, each
    piece's contributions from every app, split by organization category."""
    spans = []
    for stage, span in rules.stage_spans(changes=stageinfo.changes(region=region), period=period):
        found = [c for fn in contribution_sources() for c in fn(region=region, period=span)]
        spans.append((stage, found))
    ids = {c.organization_id for _stage, found in spans for c in found if c.organization_id}
    organizations = {
        i: rules.Organization(
            id=info.id,
            name=info.name,
            category=info.category,
            government=info.government,
            link=info.link,
        )
        for i, info in org_metrics.organizations_describe(ids).items()
    }
    return rules.coproduction_table(
        spans=spans, organizations=organizations, table_1=stageinfo.table_1_roles()
    )


def community_categories() -> list[tuple[str, str]]:
    """Organization categories as Table 1's columns: community organizations only."""
    return [(v, label) for v, label in org_metrics.categories() if v != org_metrics.GOVERNMENT]


@dataclass(frozen=True)
class Child:
    """A region below the one looked at, with the figure the map colors it by."""

    code: str
    name: str
    level: str
    value: object


def children_figure(*, scope: Scope, region, period: Period, panel: str, key: str) -> list[Child]:
    """The regions directly below, each with one metric of one panel (for the map and bars)."""
    out = []
    for child in region_children(region=region):
        metrics = panel_compute(scope=scope, region=child, period=period, panel=panel)
        value = next((m.value for m in metrics if m.key == key), 0)
        out.append(Child(child.code, child.name, child.level, value))
    return out


def public_region(*, region, on: date | None = None) -> dict:
    """What anyone may read of a region: risk level, stage and the suppressed counts."""
    period = period_for(on=on)
    panels = panels_compute(scope=Scope(everywhere=True, grants=()), region=region, period=period)
    stage, since = stageinfo.current(region=region, on=period.end)
    return {
        "region": {"code": region.code, "name": region.name, "level": region.level},
        "date": period.end.isoformat(),
        "risk": risk_at(region_code=region.code, on=period.end),
        "stage": stage,
        "stage_since": since.isoformat() if since else None,
        "counts": rules.public_panels(panels),
        "labels": {name: {m.key: m.label for m in metrics} for name, metrics in panels.items()},
    }
