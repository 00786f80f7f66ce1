"""A panel's table as CSV or XLSX, for the API and the pages alike, through core.exports (cells
that a spreadsheet would run are neutralized there)."""

from __future__ import annotations

from django.http import HttpResponse

from coproduce.core import clock
from coproduce.core import exports as core_exports


def _dated(header: list[str]) -> list[str]:
    """Name the zone of the local days a table holds (`date` is a day in that zone)."""
    zone = clock.local_zone().key
    return [f"date ({zone})" if h == "date" else h for h in header]


def table_response(*, header: list[str], rows: list[list], name: str, fmt: str) -> HttpResponse:
    """The table as a download: `fmt` is "csv" or "xlsx"."""
    return core_exports.table_response(
        fmt=fmt, filename=name, header=_dated(header), rows=rows, title=name[:31]
    )
