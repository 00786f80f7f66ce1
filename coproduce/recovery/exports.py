"""The resumption table of a region (one row per child region and a total), for CSV and XLSX."""

from datetime import date

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from coproduce.accounts.permissions import Scope
from coproduce.recovery import rules
from coproduce.recovery.selectors.resumption import resumption_by_child, resumption_on
from coproduce.regions.models import Region


def region_label(region: Region) -> str:
    """A region's name in the reader's language (Chinese names, English where known)."""
    if (get_language() or "en").startswith("zh"):
        return region.name
    return region.name_en or region.name


def resumption_header() -> list[str]:
    return [
        _("Region code"),
        _("Region"),
        _("Date"),
        _("Parks"),
        _("Parks reopened"),
        _("Parks reopened (%)"),
        _("Enterprises"),
        _("Enterprises open"),
        _("Workers in parks"),
        _("Workers on site in parks"),
        _("Production resumption (%)"),
        _("Capacity-weighted resumption (%)"),
    ]


def resumption_row(region: Region, on: date, r: rules.Resumption) -> list:
    return [
        region.code,
        region_label(region),
        on,
        r.parks_total,
        r.parks_reopened,
        r.parks_reopened_pct,
        r.enterprises_total,
        r.enterprises_open,
        r.workers_total,
        r.workers_on_site,
        r.production_resumption_pct,
        r.capacity_weighted_pct,
    ]


def resumption_rows(*, scope: Scope, region: Region, on: date, industry: str = "") -> list[list]:
    """Each child region's row, then the region's own total."""
    rows = [
        resumption_row(child, on, figures)
        for child, figures in resumption_by_child(
            scope=scope, region=region, on=on, industry=industry
        )
    ]
    total = resumption_on(scope=scope, region=region, on=on, industry=industry)
    rows.append(resumption_row(region, on, total))
    return rows
