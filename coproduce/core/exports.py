"""Tables as CSV or XLSX downloads, for every app that exports figures (openpyxl for XLSX)."""

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal

from django.http import HttpResponse
from openpyxl import Workbook

FORMATS = ("csv", "xlsx")
_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(value):
    """A value as a spreadsheet cell: numbers stay numbers (Decimal as its exact text in CSV)."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else value


def _safe_text(value):
    """Text that a spreadsheet would run as a formula is quoted (CSV/XLSX injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def table_csv(header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """The table as UTF-8 CSV with a byte-order mark (spreadsheets then read Chinese right)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_safe_text(h) for h in header])
    for row in rows:
        writer.writerow([_safe_text(_cell(v)) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def table_xlsx(header: Sequence[str], rows: Iterable[Sequence], *, title: str = "Sheet") -> bytes:
    """The table as an XLSX workbook of one sheet; Decimals become numbers."""
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31] or "Sheet"
    sheet.append([_safe_text(str(h)) for h in header])
    for row in rows:
        sheet.append([float(v) if isinstance(v, Decimal) else _safe_text(_cell(v)) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def table_response(
    *, fmt: str, filename: str, header: Sequence[str], rows: Iterable[Sequence], title: str = ""
) -> HttpResponse:
    """A download of the table in `fmt` ("csv" or "xlsx") named `filename`.`fmt`."""
    if fmt == "xlsx":
        body, kind = table_xlsx(header, rows, title=title or filename), _XLSX
    else:
        body, kind = table_csv(header, rows), "text/csv; charset=utf-8"
    response = HttpResponse(body, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
