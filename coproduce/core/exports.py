"""Every CSV and XLSX download goes through here: cells made safe, times local with their offset.

One helper for every export (issue 18):
- **Formula injection.** A spreadsheet runs a cell that starts with `=`, `+`, `-`, `@`, a tab or
  a carriage return as a formula (`=HYPERLINK(...)` in a donor's name, say). `safe_cell` puts an
  apostrophe before such text, which spreadsheets show as plain text; numbers, dates and times
  are never text here, so a negative amount stays a number.
- **Times.** A time is written in the platform's zone with its offset (`2020-02-12T10:00+08:00`),
  never bare UTC; a date stays a date.
- **Chinese in CSV.** UTF-8 with a byte-order mark, so that spreadsheet programs read it right.

Use `csv_writer(out)` where rows are written one by one (its `writerow` makes every cell safe),
`table_csv` / `table_xlsx` for bytes, or `table_response(fmt=..., filename=..., header=...,
rows=...)` for a download. tests/test_exports.py checks that no module writes CSV or XLSX
without this module.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal

from django.http import HttpResponse
from openpyxl import Workbook

from coproduce.core import clock

FORMATS = ("csv", "xlsx")
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOM = "\ufeff"
# What makes a spreadsheet read a text cell as a formula (or a DDE command).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(text: str) -> str:
    """Text a spreadsheet would run as a formula, quoted with a leading apostrophe."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def local_time(moment: datetime) -> str:
    """A time in the platform's zone with its offset, to the second: 2020-02-12T10:00:00+08:00."""
    if moment.tzinfo is None:
        return moment.isoformat(timespec="seconds")
    return moment.astimezone(clock.local_zone()).isoformat(timespec="seconds")


def safe_cell(value):
    """A value as a CSV cell: numbers exact, times local with offset, text never a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, int | float):
        return value
    if isinstance(value, datetime):
        return local_time(value)
    if isinstance(value, date):
        return value.isoformat()
    return safe_text(str(value))


def _xlsx_cell(value):
    """A value as an XLSX cell: numbers stay numbers, times local text, text never a formula."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, bool | int | float):
        return value
    return safe_cell(value)


class SafeWriter:
    """A csv.writer whose rows are made safe cell by cell (`safe_cell`)."""

    def __init__(self, out):
        self._writer = csv.writer(out)

    def writerow(self, row: Iterable) -> None:
        self._writer.writerow([safe_cell(v) for v in row])

    def writerows(self, rows: Iterable[Iterable]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(out, *, bom: bool = True) -> SafeWriter:
    """A safe CSV writer on a file-like `out` (an HttpResponse too), after a byte-order mark."""
    if bom:
        out.write(BOM)
    return SafeWriter(out)


def table_csv(header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """The table as UTF-8 CSV with a byte-order mark."""
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def table_xlsx(header: Sequence[str], rows: Iterable[Sequence], *, title: str = "Sheet") -> bytes:
    """The table as an XLSX workbook of one sheet; Decimals become numbers."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet((title or "Sheet")[:31])
    sheet.append([safe_cell(h) for h in header])
    for row in rows:
        sheet.append([_xlsx_cell(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def download(body, *, content_type: str, filename: str) -> HttpResponse:
    """An attachment named `filename`."""
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_response(filename: str) -> tuple[HttpResponse, SafeWriter]:
    """An empty CSV download and a safe writer on it, for rows written one by one."""
    response = download(b"", content_type=CSV_TYPE, filename=filename)
    return response, csv_writer(response)


def table_response(
    *, fmt: str, filename: str, header: Sequence[str], rows: Iterable[Sequence], title: str = ""
) -> HttpResponse:
    """A download of the table in `fmt` ("csv" or "xlsx") named `filename`.`fmt`."""
    if fmt == "xlsx":
        body = table_xlsx(header, rows, title=title or filename)
        return download(body, content_type=XLSX_TYPE, filename=f"{filename}.xlsx")
    return download(table_csv(header, rows), content_type=CSV_TYPE, filename=f"{filename}.csv")
