"""Writes to places."""

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from coproduce.core.audit import audit_record
from coproduce.core.errors import ValidationFailed
from coproduce.core.partitions import partitioning, partitions_ahead
from coproduce.core.purge import PURGE_CHUNK, Purged, rows_purge_before
from coproduce.core.sql import insert_rows
from coproduce.places.models import Place, Presence
from coproduce.places.rules import place_code_new


def place_create(
    *,
    name: str,
    kind: str,
    region,
    actor,
    operator=None,
    lat: Decimal | None = None,
    lon: Decimal | None = None,
) -> Place:
    """Register a place and give it a new place code."""
    fields: dict[str, list[str]] = {}
    if not (name or "").strip() or len(name) > 200:
        fields["name"] = [_("A name of 1 to 200 characters is required.")]
    if kind not in Place.Kind.values:
        fields["kind"] = [f"{kind!r} is not one of {', '.join(Place.Kind.values)}."]
    if (lat is None) != (lon is None):
        fields["lat" if lat is None else "lon"] = [_("Give both coordinates or neither.")]
    if lat is not None and not -90 <= lat <= 90:
        fields["lat"] = [_("A latitude lies between -90 and 90.")]
    if lon is not None and not -180 <= lon <= 180:
        fields["lon"] = [_("A longitude lies between -180 and 180.")]
    if fields:
        raise ValidationFailed(next(iter(fields.values()))[0], fields=fields)
    with transaction.atomic():
        place = Place.objects.create(
            code=place_code_new(),
            name=name.strip(),
            kind=kind,
            region=region,
            operator=operator,
            lat=lat,
            lon=lon,
        )
        audit_record(actor=actor, action="places.create", target=place)
    return place


def presence_record(*, person, place: Place, at, kind: str, source: str) -> Presence:
    """Add one presence to the log; the same `source` again returns the row already stored."""
    if kind not in Presence.Kind.values:
        raise ValidationFailed.field(
            "kind", f"{kind!r} is not one of {', '.join(Presence.Kind.values)}."
        )
    presence, _ = Presence.objects.get_or_create(
        source=source, defaults={"person": person, "place": place, "at": at, "kind": kind}
    )
    return presence


def presence_record_many(*, rows: list[dict]) -> int:
    """Add many presences in one insert (a batch of scans); rows whose `source` is stored already
    are skipped, so that a re-sent batch writes nothing twice. Each row: person_id, place_id, at,
    kind, source."""
    for row in rows:
        if row["kind"] not in Presence.Kind.values:
            raise ValidationFailed.field("kind", f"{row['kind']!r} is not a presence kind.")
    # A plain multi-row INSERT (core.sql): the busiest write of a checkpoint scan.
    insert_rows(
        Presence, [{**row, "kind": str(row["kind"])} for row in rows], unique=presence_key()
    )
    return len(rows)


def presence_key() -> tuple[str, ...]:
    """The unique key a presence is stored once under: its source, and on PostgreSQL (where the
    log is partitioned by day, core/partitions.py) its moment too, which a re-send repeats."""
    return ("source", "at") if partitioning() else ("source",)


def presence_partitions_ahead(*, days: int = 7) -> list[str]:
    """Make the presence log's day partitions from yesterday to `days` ahead on the platform's
    clock (PostgreSQL; nothing on SQLite). The partitions made."""
    return partitions_ahead(table=Presence._meta.db_table, column="at", days=days)


def presence_purge(*, before, chunk: int = PURGE_CHUNK) -> Purged:
    """Delete presence rows older than `before` (privacy: the log is kept
    COPRODUCE_LOG_RETENTION_DAYS, 28 by default): on PostgreSQL whole days first, by dropping
    their partitions, then the rest `chunk` rows per transaction. The nightly purge of the scan
    and visit logs calls it and audits the run once (checkpoints.retention.logs_purge)."""
    return rows_purge_before(Presence, field="at", before=before, chunk=chunk)
