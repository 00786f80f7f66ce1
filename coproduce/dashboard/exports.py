"""A panel's table as CSV or XLSX (openpyxl), for the API and the pages alike."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from django.http import HttpResponse
from openpyxl import Workbook

from coproduce.core import clock

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _dated(header: list[str]) -> list[str]:
    """Name the zone of the local days a table holds (`date` is a day in that zone)."""
    zone = clock.local_zone().key
    return [f"date ({zone})" if h == "date" else h for h in header]


def table_response(*, header: list[str], rows: list[list], name: str, fmt: str) -> HttpResponse:
    """The table as a download: `fmt` is "csv" or "xlsx"."""
    header = _dated(header)
    if fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response.write("\ufeff")  # a BOM: spreadsheet programs then read the Chinese right
        writer = csv.writer(response)
        writer.writerow(header)
        writer.writerows([[_cell(v) for v in row] for row in rows])
    else:
        book = Workbook(write_only=True)
        sheet = book.create_sheet(name[:31])
        sheet.append(header)
        for row in rows:
            sheet.append([_xlsx_cell(v) for v in row])
        buffer = io.BytesIO()
        book.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def _cell(value):
    if isinstance(value, Decimal):
        return format(value, "f")
    return "" if value is None else str(value)


def _xlsx_cell(value):
    if isinstance(value, (int, float, Decimal)):
        return value
    return "" if value is None else str(value)
