"""Safe exports (issue 18, point 8): one helper, core.exports, for every CSV and XLSX."""

import csv
import io
import re
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from coproduce.core import exports

ROOT = Path(__file__).resolve().parent.parent / "coproduce"
# Writing CSV or XLSX anywhere but core.exports bypasses the cell sanitizer.
WRITERS = re.compile(r"csv\.writer\(|csv\.DictWriter\(|\bWorkbook\(|xlsxwriter")


def test_no_module_writes_csv_or_xlsx_but_core_exports():
    offenders = [
        str(path.relative_to(ROOT))
        for path in ROOT.rglob("*.py")
        if "tests" not in path.parts
        and path != ROOT / "core" / "exports.py"
        and WRITERS.search(path.read_text(encoding="utf-8"))
    ]
    assert not offenders, offenders


@given(st.text())
def test_a_text_cell_never_starts_a_formula_and_keeps_its_text(text):
    cell = exports.safe_cell(text)
    assert not cell.startswith(exports.FORMULA_STARTS)
    assert cell == text or cell == "'" + text


@given(st.decimals(allow_nan=False, allow_infinity=False, places=2))
def test_numbers_stay_exact_numbers(amount):
    assert exports.safe_cell(amount) == format(amount, "f")
    assert exports.safe_cell(-5) == -5


def test_times_are_local_with_their_offset(settings):
    moment = datetime(2020, 2, 12, 2, 0, tzinfo=UTC)
    assert exports.safe_cell(moment) == "2020-02-12T10:00:00+08:00"
    assert exports.safe_cell(date(2020, 2, 12)) == "2020-02-12"


def test_csv_and_xlsx_tables_neutralize_every_formula_start():
    bad = ["=1+1", "+1", "-1+2", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://x")']
    rows = [[text, Decimal("-2.50")] for text in bad]
    text = exports.table_csv(["cell", "amount"], rows).decode("utf-8")
    assert text.startswith("\ufeff")
    parsed = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert [r[0] for r in parsed[1:]] == ["'" + b for b in bad]
    assert [r[1] for r in parsed[1:]] == ["-2.50"] * len(bad)
    sheet = load_workbook(io.BytesIO(exports.table_xlsx(["cell", "amount"], rows))).active
    values = list(sheet.iter_rows(min_row=2, values_only=True))
    # XML keeps no carriage return: "\r" reads back as "\n", still after the apostrophe.
    assert [v[0] for v in values] == ["'" + b.replace("\r", "\n") for b in bad]
    assert all(v[1] == -2.5 for v in values)
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
