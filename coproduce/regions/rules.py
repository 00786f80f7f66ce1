"""Rules of the region tree: levels, codes, and the checks a CSV of divisions must pass."""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum


class Level(StrEnum):
    """Administrative levels, from the top (PRODUCT.md 3.1)."""

    PROVINCE = "province"
    CITY = "city"
    COUNTY = "county"
    TOWNSHIP = "township"
    COMMUNITY = "community"
    RESIDENTIAL_AREA = "residential_area"


LEVEL_DEPTH = {level: depth for depth, level in enumerate(Level)}
CSV_COLUMNS = ("code", "name_zh", "name_en", "level", "parent_code")
# Codes of GB/T 2260 are digits (6 to county, 9 to township); other trees may use letters too.
CODE_PATTERN = re.compile(r"^[0-9A-Za-z][0-9A-Za-z-]{0,19}$")
PATH_SEPARATOR = "/"


@dataclass(frozen=True)
class RegionRow:
    """One checked row of a region CSV, with its materialized path."""

    line: int
    code: str
    name: str
    name_en: str
    level: Level
    parent_code: str | None
    path: str


@dataclass(frozen=True)
class RowError:
    """What is wrong with one line of a CSV (line 1 is the header)."""

    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}, {self.column}: {self.message}"


def region_path(parent_path: str | None, code: str) -> str:
    """The materialized path of a region: its ancestors' codes and its own, '/'-terminated.

    A subtree is then every path starting with the root's path, one indexed prefix query.
    """
    return f"{parent_path or PATH_SEPARATOR}{code}{PATH_SEPARATOR}"


def csv_rows_check(
    rows: Iterable[tuple[int, Mapping[str, str | None]]],
    *,
    existing: Mapping[str, tuple[str, Level]],
) -> tuple[list[RegionRow], list[RowError]]:
    """Check CSV rows, given as (line number, dict by column), against the regions that exist.

    The line is where the record starts in the file (line 1 is the header): the reader knows it,
    as blank lines and quoted line breaks make it differ from the record's position.
    `existing` maps a code already stored to (its path, its level). A parent must be defined on an
    earlier line or exist already, and lie at a shallower level; a code appears once. Returns the
    checked rows with their paths, and every error found (the caller writes nothing if any).
    """
    checked: list[RegionRow] = []
    errors: list[RowError] = []
    known: dict[str, tuple[str, Level]] = dict(existing)
    seen: set[str] = set()
    for line, raw in rows:
        missing = [c for c in CSV_COLUMNS if c not in raw]
        if missing:
            errors.append(RowError(line, missing[0], "column is missing"))
            continue
        code = (raw["code"] or "").strip()
        name = (raw["name_zh"] or "").strip()
        name_en = (raw["name_en"] or "").strip()
        level_text = (raw["level"] or "").strip()
        parent_code = (raw["parent_code"] or "").strip() or None
        row_errors: list[RowError] = []
        if not CODE_PATTERN.match(code):
            row_errors.append(
                RowError(line, "code", f"{code!r} is not a code of 1-20 letters or digits")
            )
        elif code in seen:
            row_errors.append(RowError(line, "code", f"{code} appears twice in the file"))
        if not name:
            row_errors.append(RowError(line, "name_zh", "a name is required"))
        elif len(name) > 100:
            row_errors.append(RowError(line, "name_zh", "longer than 100 characters"))
        if len(name_en) > 150:
            row_errors.append(RowError(line, "name_en", "longer than 150 characters"))
        try:
            level = Level(level_text)
        except ValueError:
            row_errors.append(
                RowError(line, "level", f"{level_text!r} is not one of {', '.join(Level)}")
            )
            level = None
        parent_path = None
        if parent_code is not None:
            parent = known.get(parent_code)
            if parent is None:
                row_errors.append(
                    RowError(
                        line,
                        "parent_code",
                        f"{parent_code} is neither stored nor on an earlier line",
                    )
                )
            else:
                parent_path, parent_level = parent
                if level is not None and LEVEL_DEPTH[parent_level] >= LEVEL_DEPTH[level]:
                    row_errors.append(
                        RowError(line, "level", f"a {level} cannot be below a {parent_level}")
                    )
        if row_errors:
            errors.extend(row_errors)
            seen.add(code)
            continue
        path = region_path(parent_path, code)
        known[code] = (path, level)
        seen.add(code)
        checked.append(RegionRow(line, code, name, name_en, level, parent_code, path))
    return checked, errors
