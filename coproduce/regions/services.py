"""Writes to the region tree."""

import csv
import io
from dataclasses import dataclass

from django.db import transaction

from coproduce.core import clock
from coproduce.core.audit import audit_record
from coproduce.core.errors import ValidationFailed
from coproduce.regions.models import Region, RegionRiskLevel
from coproduce.regions.rules import CSV_COLUMNS, LEVEL_DEPTH, Level, RowError, csv_rows_check

# At most this many row errors are reported at once; the rest are counted.
_ERRORS_SHOWN = 50


@dataclass(frozen=True)
class ImportResult:
    """How many regions an import created and updated."""

    created: int
    updated: int


def _fail(errors: list[RowError]) -> ValidationFailed:
    shown = [str(e) for e in errors[:_ERRORS_SHOWN]]
    more = len(errors) - len(shown)
    message = f"The file has {len(errors)} error(s); nothing was imported. First: {shown[0]}"
    fields = {"rows": shown + ([f"... and {more} more"] if more else [])}
    return ValidationFailed(message, fields=fields)


def _numbered(reader: csv.DictReader):
    """Each record with the line it starts on (after blank lines, before quoted line breaks)."""
    for record in reader:
        inner = sum(v.count("\n") for v in record.values() if isinstance(v, str))
        yield reader.line_num - inner, record


def regions_import(*, text: str, actor=None) -> ImportResult:
    """Load a region CSV (columns of data/zhejiang_divisions.csv) all or nothing."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = reader.fieldnames or []
    absent = [c for c in CSV_COLUMNS if c not in header]
    if absent:
        raise ValidationFailed(
            f"Line 1: the header lacks the column(s) {', '.join(absent)}.",
            fields={"rows": [f"line 1, {c}: column is missing" for c in absent]},
        )
    with transaction.atomic():
        existing = {
            code: (path, Level(level))
            for code, path, level in Region.objects.values_list("code", "path", "level")
        }
        try:
            rows, errors = csv_rows_check(_numbered(reader), existing=existing)
        except csv.Error as exc:
            raise ValidationFailed(
                f"Line {reader.line_num}: not readable as CSV ({exc}); nothing was imported.",
                fields={"rows": [f"line {reader.line_num}: {exc}"]},
            ) from None
        stored = Region.objects.in_bulk([r.code for r in rows])
        for row in rows:
            old = stored.get(row.code)
            if old is not None and old.path != row.path and old.children.exists():
                errors.append(
                    RowError(
                        row.line,
                        "parent_code",
                        "moving a region that has regions below it is not supported",
                    )
                )
        if errors:
            raise _fail(sorted(errors, key=lambda e: e.line))
        new, changed = [], []
        for row in rows:
            values = {
                "name": row.name,
                "name_en": row.name_en,
                "level": row.level.value,
                "parent_id": row.parent_code,
                "path": row.path,
                "depth": LEVEL_DEPTH[row.level],
            }
            old = stored.get(row.code)
            if old is None:
                new.append(Region(code=row.code, **values))
            elif any(getattr(old, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(old, k, v)
                changed.append(old)
        # Rows come parents first, so one ordered bulk insert satisfies the foreign keys.
        Region.objects.bulk_create(new, batch_size=1000)
        Region.objects.bulk_update(
            changed, ["name", "name_en", "level", "parent_id", "path", "depth"], batch_size=1000
        )
        audit_record(
            actor=actor,
            action="regions.import",
            object_type="regions.region",
            object_id="*",
            details={"created": len(new), "updated": len(changed)},
        )
    return ImportResult(created=len(new), updated=len(changed))


def region_risk_set(
    *, region: Region, level: str, effective_from, actor, note: str = ""
) -> RegionRiskLevel:
    """Set a region's risk level from a date on; earlier settings stay as history.

    The same level from the same date again changes nothing (a retried request).
    """
    fields: dict[str, list[str]] = {}
    if level not in RegionRiskLevel.Levels.values:
        fields["level"] = [f"{level!r} is not one of high, medium, low."]
    if len(note) > 300:
        fields["note"] = ["A note has at most 300 characters."]
    if fields:
        name, messages = next(iter(fields.items()))
        raise ValidationFailed(f"{name}: {messages[0]}", fields=fields)
    with transaction.atomic():
        latest = (
            RegionRiskLevel.objects.filter(region=region, effective_from=effective_from)
            .order_by("-id")
            .first()
        )
        if latest is not None and latest.level == level:
            return latest
        record = RegionRiskLevel.objects.create(
            region=region,
            level=level,
            effective_from=effective_from,
            note=note,
            set_by=actor if getattr(actor, "is_authenticated", False) else None,
            set_at=clock.now(),
        )
        audit_record(
            actor=actor,
            action="regions.risk_set",
            target=region,
            details={"level": level, "effective_from": effective_from.isoformat()},
        )
    return record
