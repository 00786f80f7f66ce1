"""/dashboard/{code}: the panels of a region in the caller's scope, their tables; the public
figures of a region (/public/regions/{code}, no sign-in)."""

from datetime import date

from django.http import HttpRequest
from ninja import Router

from coproduce.dashboard import exports, rules, selectors, stageinfo
from coproduce.regions.selectors import region_get

router = Router(tags=["dashboard"])


def coproduction_json(table) -> list[dict]:
    """Table 1 regenerated, as rows of the API."""
    return [
        {
            "stage": row.stage,
            "role": str(row.role),
            "table_1": row.emphasized,
            "measure": row.measure,
            "community": {k: rules.json_number(v) for k, v in row.community.items()},
            "community_total": rules.json_number(row.community_total),
            "government": rules.json_number(row.government),
            "community_pct": rules.json_number(row.community_pct),
            "top": [
                {"organization": org.id, "name": org.name, "amount": rules.json_number(amount)}
                for org, amount in row.top
            ],
            "links": row.links,
        }
        for row in table
    ]


@router.get("/dashboard/{code}")
def dashboard_get(request: HttpRequest, code: str, date: date | None = None):
    """Every panel of the region (its whole subtree) for the 60 days up to `date` (today)."""
    scope, region = selectors.dashboard_region(user=request.auth, code=code)
    period = selectors.period_for(on=date)
    panels = {
        name: rules.panel_json(metrics)
        for name, metrics in selectors.panels_compute(
            scope=scope, region=region, period=period
        ).items()
    }
    panels["coproduction"] = {
        "rows": coproduction_json(selectors.coproduction_compute(region=region, period=period))
    }
    stage, since = stageinfo.current(region=region, on=period.end)
    return {
        "region": {"code": region.code, "name": region.name, "level": region.level},
        "date": period.end.isoformat(),
        "start": period.start.isoformat(),
        "stage": {"stage": stage, "since": since.isoformat() if since else None},
        "panels": panels,
    }


def _export(request: HttpRequest, code: str, panel: str, fmt: str, on: date | None):
    scope, region = selectors.dashboard_region(user=request.auth, code=code)
    period = selectors.period_for(on=on)
    if panel == "coproduction":
        categories = [c for c, _label in selectors.community_categories()]
        table = selectors.coproduction_compute(region=region, period=period)
        header, rows = rules.coproduction_rows(table, categories)
    else:
        metrics = selectors.panel_compute(scope=scope, region=region, period=period, panel=panel)
        header, rows = rules.panel_table(metrics)
    name = f"{panel}-{region.code}-{period.start}-{period.end}"
    return exports.table_response(header=header, rows=rows, name=name, fmt=fmt)


@router.get("/dashboard/{code}/{panel}.csv")
def panel_csv(request: HttpRequest, code: str, panel: str, date: date | None = None):
    """One panel's table as CSV (dates are local days, their zone named in the header)."""
    return _export(request, code, panel, "csv", date)


@router.get("/dashboard/{code}/{panel}.xlsx")
def panel_xlsx(request: HttpRequest, code: str, panel: str, date: date | None = None):
    """One panel's table as an Excel workbook."""
    return _export(request, code, panel, "xlsx", date)


@router.get("/public/regions/{code}", auth=None)
def public_region(request: HttpRequest, code: str):
    """Without sign-in: risk level, stage and the dashboard's counts, each under 5 as "<5"."""
    return selectors.public_region(region=region_get(code=code))
