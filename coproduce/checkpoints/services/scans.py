"""Scans: decided and stored once per device key, alone or in batches (the busiest write)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import transaction

from coproduce.checkpoints import rules
from coproduce.checkpoints.models import Checkpoint, Scan
from coproduce.checkpoints.retention import log_retention
from coproduce.checkpoints.services.setup import checkpoint_policy
from coproduce.core import clock
from coproduce.core.audit import audit_record, audit_row
from coproduce.core.errors import Conflict, DomainError, ValidationFailed
from coproduce.core.models import AuditEvent
from coproduce.core.partitions import partitioning
from coproduce.core.sql import CompiledQuery, NewId, insert_rows, insert_with_dependents
from coproduce.fieldwork.services import task_open
from coproduce.health_codes import policy as hc_policy
from coproduce.health_codes import services as hc_services
from coproduce.people.models import Person
from coproduce.places.models import Presence
from coproduce.places.services import presence_record_many

# A fever found at a checkpoint is followed up by the person's community within a day.
FEVER_FOLLOW_UP_WITHIN = timedelta(hours=24)
MAX_BATCH = 1000
# The presence log's source of a scan: "checkpoints.scan:<scan id>".
SCAN_SOURCE = "checkpoints.scan:"


@dataclass(frozen=True)
class ScanInput:
    """One scan as a device sends it."""

    payload: str
    direction: str
    device_id: str
    idempotency_key: str
    scanned_at: datetime
    temperature_c: Decimal | None = None
    # What the device decided alone while offline, when it did.
    offline_decision: str | None = None


@dataclass
class ScanAnswer:
    """The answer to one scan: the decision, the color used, the reasons and the stored scan."""

    scan_id: int
    decision: str
    color: str | None
    reasons: list[dict]
    scanned_at: datetime
    received_at: datetime
    offline_decision: str | None = None
    replayed: bool = False
    fever_task_id: int | None = None
    extra: dict = field(default_factory=dict)


def _answer(scan: Scan, *, replayed: bool, fever_task_id: int | None = None) -> ScanAnswer:
    return ScanAnswer(
        scan_id=scan.pk,
        decision=scan.decision,
        color=scan.color or None,
        reasons=list(scan.reasons),
        scanned_at=scan.scanned_at,
        received_at=scan.received_at,
        offline_decision=scan.offline_decision or None,
        replayed=replayed,
        fever_task_id=fever_task_id,
    )


def _scan_problems(item: ScanInput, now: datetime) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    if item.direction not in {d.value for d in rules.Direction}:
        fields["direction"] = ["Give in or out."]
    if problem := rules.presence_time_problem(
        at=item.scanned_at, now=now, retention=log_retention()
    ):
        fields["scanned_at"] = [problem]
    if item.temperature_c is not None and (
        not item.temperature_c.is_finite() or not Decimal(0) <= item.temperature_c <= Decimal(60)
    ):
        fields["temperature_c"] = ["A body temperature in °C between 0 and 60, or none."]
    if item.offline_decision and item.offline_decision not in {d.value for d in rules.Decision}:
        fields["offline_decision"] = ["Give pass, deny or refer."]
    return fields


def _validate(item: ScanInput, now: datetime) -> None:
    if fields := _scan_problems(item, now):
        raise ValidationFailed(next(iter(fields.values()))[0], fields=fields)


def _fingerprint(item: ScanInput, checkpoint: Checkpoint) -> str:
    return rules.scan_fingerprint(
        payload=item.payload,
        temperature_c=item.temperature_c,
        direction=item.direction,
        scanned_at=item.scanned_at,
        checkpoint_id=checkpoint.pk,
    )


def _replay(existing: Scan, fingerprint: str) -> ScanAnswer:
    """The first answer to a key sent again; the same key with another scan is a conflict."""
    if existing.fingerprint != fingerprint:
        raise Conflict(
            "This idempotency key was used for another scan: use a new key for a new scan.",
            code="idempotency_key_reused",
            fields={"idempotency_key": ["Used already for a different scan."]},
        )
    return _answer(existing, replayed=True)


@dataclass
class _Judged:
    row: dict  # the scan's columns (attnames), ready for one multi-row INSERT
    person_id: int | None
    fever: bool


def _fresh_answer(row: dict, pk: int, fever_task_id: int | None = None) -> ScanAnswer:
    return ScanAnswer(
        scan_id=pk,
        decision=row["decision"],
        color=row["color"] or None,
        reasons=list(row["reasons"]),
        scanned_at=row["scanned_at"],
        received_at=row["received_at"],
        offline_decision=row["offline_decision"] or None,
        fever_task_id=fever_task_id,
    )


# (person id, home region path, current color) of a token subject; a merged record leads to
# the survivor, and a person without a stored code is green (as health_codes.colors_of says).
_PERSON_COLUMNS = (
    "public_id",
    "pk",
    "home_region__path",
    "merged_into_id",
    "merged_into__home_region__path",
    "health_code__color",
    "merged_into__health_code__color",
)
# A single scan's look-up, compiled once (see core.sql); a batch's is one IN query.
_PERSON = CompiledQuery(
    lambda subject: Person.objects.filter(public_id=subject).values_list(*_PERSON_COLUMNS),
    subject="\x00subject",
)


def _persons_by_subject(subjects: set[str]) -> dict[str, tuple[int, str, str]]:
    """The people token subjects name, with their current colors, in one query."""
    if not subjects:
        return {}
    if len(subjects) == 1:
        rows = _PERSON.rows(subject=next(iter(subjects)))
    else:
        rows = Person.objects.filter(public_id__in=subjects).values_list(*_PERSON_COLUMNS)
    green = rules.Color.GREEN.value
    found: dict[str, tuple[int, str, str]] = {}
    for public_id, pk, path, merged_id, merged_path, color, merged_color in rows:
        found[public_id] = (
            (merged_id, merged_path, merged_color or green)
            if merged_id
            else (pk, path, color or green)
        )
    return found


def _judge_many(
    *, checkpoint: Checkpoint, items: list[ScanInput], fingerprints: list[str], actor, now
) -> list[_Judged]:
    """Verify, look up people with their colors in one query, and decide every scan."""
    if len(items) == 1:
        verifications = [hc_services.payload_verify(payload=items[0].payload)]
    else:
        verifications = hc_services.payload_verify_many(payloads=[i.payload for i in items])
    own_issuer = hc_policy.issuer()
    # Subjects are this deployment's opaque ids only when it issued the token: a code of another
    # issuer (federation) names someone we may not know, and its own color is all there is.
    subjects = {
        v.claims.subject
        for v in verifications
        if v.claims is not None and v.result == "valid" and v.claims.issuer == own_issuer
    }
    persons = _persons_by_subject(subjects)
    policy = checkpoint_policy(checkpoint)
    kind = rules.CheckpointKind(checkpoint.kind)
    area_path = checkpoint.place.region.path
    staff_id = actor.pk if getattr(actor, "is_authenticated", False) else None
    key_scope = _key_scope(checkpoint)
    judged = []
    for item, fingerprint, verification in zip(items, fingerprints, verifications, strict=True):
        claims = verification.claims if verification.result == "valid" else None
        person_id, home_path, server_color = (
            persons.get(claims.subject, (None, "", None))
            if claims is not None and claims.issuer == own_issuer
            else (None, "", None)
        )
        decision = rules.scan_decide(
            verification=rules.VerificationResult(verification.result),
            token_kind=rules.TokenKind(claims.kind) if claims else rules.TokenKind.LIVE,
            token_color=rules.Color(claims.color) if claims and claims.color else None,
            server_color=rules.Color(server_color) if server_color else None,
            temperature_c=item.temperature_c,
            direction=rules.Direction(item.direction),
            checkpoint_kind=kind,
            is_home_area=person_id is not None and home_path.startswith(area_path),
            policy=policy,
        )
        row = {
            "checkpoint_id": checkpoint.pk,
            "key_scope": key_scope,
            "device_id": item.device_id,
            "idempotency_key": item.idempotency_key,
            "fingerprint": fingerprint,
            "staff_id": staff_id,
            "subject": (claims.subject if claims else "")[:64],
            "person_id": person_id,
            "verification": str(verification.result),
            "token_kind": str(claims.kind) if claims else "",
            "token_color": str(claims.color or "") if claims else "",
            "server_color": server_color or "",
            "color": str(decision.color or ""),
            "decision": str(decision.decision),
            "reasons": [{"code": r.code.value, "text": r.text} for r in decision.reasons],
            "temperature_c": item.temperature_c,
            "fever": decision.fever_followup,
            "direction": item.direction,
            "scanned_at": item.scanned_at,
            "received_at": now,
            "offline_decision": item.offline_decision or "",
        }
        judged.append(_Judged(row, person_id, decision.fever_followup))
    return judged


def _fever_follow_up(*, judged: _Judged, scan_id: int, checkpoint: Checkpoint, actor) -> int:
    """Open the follow-up of a fever for the person's home community (once per scan)."""
    row = judged.row
    person = (
        Person.objects.select_related("home_region").get(pk=judged.person_id)
        if judged.person_id is not None
        else None
    )
    # The person's residential area when known; else the checkpoint's region, whose staff can
    # at least find the person through the scan.
    region = person.home_region if person is not None else checkpoint.place.region
    task = task_open(
        kind="fever_follow_up",
        title=f"Fever {row['temperature_c']} °C at {checkpoint.place.name}",
        region=region,
        person=person,
        actor=actor,
        deadline=row["received_at"] + FEVER_FOLLOW_UP_WITHIN,
        source=f"checkpoints.scan:{scan_id}",
        details={
            "checkpoint": checkpoint.pk,
            "scan": scan_id,
            "temperature_c": str(row["temperature_c"]),
            "scanned_at": row["scanned_at"].isoformat(),
        },
    )
    return task.pk


def _presence_row(judged: _Judged, checkpoint: Checkpoint, scan_id: int | None = None) -> dict:
    """The presence a scan of a known person adds; without `scan_id`, its source names the
    scan's new id when it is inserted with it (core.sql.NewId)."""
    return {
        "person_id": judged.person_id,
        "place_id": checkpoint.place_id,
        "at": judged.row["scanned_at"],
        "kind": Presence.Kind.SCAN.value,
        "source": NewId(prefix=SCAN_SOURCE) if scan_id is None else f"{SCAN_SOURCE}{scan_id}",
    }


def _key_scope(checkpoint: Checkpoint) -> str:
    """The namespace of the device keys of scans at this checkpoint (its operator's)."""
    return rules.scan_key_scope(
        operator_id=checkpoint.place.operator_id, checkpoint_id=checkpoint.pk
    )


def _stored_scan(item: ScanInput, checkpoint: Checkpoint) -> Scan | None:
    return Scan.objects.filter(
        key_scope=_key_scope(checkpoint),
        device_id=item.device_id,
        idempotency_key=item.idempotency_key,
    ).first()


_SCAN_KEY = ("key_scope", "device_id", "idempotency_key")


def _scan_key() -> dict:
    """How an insert skips a scan whose scoped device key is stored already: the key itself on
    SQLite; on PostgreSQL, where scans are partitioned by day (core/partitions.py), the key with
    the moment (which a re-sent scan repeats) as the conflict target, and a probe of the other
    days for the same key with another moment (refused then as a reused key)."""
    if partitioning():
        return {"unique": (*_SCAN_KEY, "scanned_at"), "absent": _SCAN_KEY}
    return {"unique": _SCAN_KEY}


def scan_record(*, checkpoint: Checkpoint, item: ScanInput, actor) -> ScanAnswer:
    """Decide and store one scan; the same (device, key) again answers with the first answer.

    The busiest write of the platform: the scan, its presence and the audit event are three
    plain INSERTs in one transaction, and a key stored already (a device re-sending, or a
    concurrent retry) is found by the scan's INSERT skipping it, not by a query before.
    """
    fingerprint = _fingerprint(item, checkpoint)
    now = clock.now()
    if problems := _scan_problems(item, now):
        # A scan stored earlier is answered as it was, even if its time has left the window.
        if (existing := _stored_scan(item, checkpoint)) is not None:
            return _replay(existing, fingerprint)
        raise ValidationFailed(next(iter(problems.values()))[0], fields=problems)
    (judged,) = _judge_many(
        checkpoint=checkpoint, items=[item], fingerprints=[fingerprint], actor=actor, now=now
    )
    audit = audit_row(
        actor=actor,
        action="checkpoints.scan",
        object_type=Scan._meta.label_lower,
        object_id=NewId(prefix=""),
        details={"checkpoint": checkpoint.pk, "decision": judged.row["decision"]},
    )
    if not judged.fever:
        # The scan, its presence and the audit event: all or nothing, in one round trip on
        # PostgreSQL; nothing at all when the key was stored before.
        presence = (
            [] if judged.person_id is None else [(Presence, _presence_row(judged, checkpoint))]
        )
        scan_id = insert_with_dependents(
            Scan, judged.row, **_scan_key(), dependents=[*presence, (AuditEvent, audit)]
        )
        if scan_id is not None:
            return _fresh_answer(judged.row, scan_id)
    else:
        with transaction.atomic():
            inserted = insert_rows(Scan, [judged.row], **_scan_key(), returning=("id",))
            if inserted:
                ((scan_id,),) = inserted
                if judged.person_id is not None:
                    presence_record_many(rows=[_presence_row(judged, checkpoint, scan_id)])
                task_id = _fever_follow_up(
                    judged=judged, scan_id=scan_id, checkpoint=checkpoint, actor=actor
                )
                insert_rows(AuditEvent, [{**audit, "object_id": str(scan_id)}])
                return _fresh_answer(judged.row, scan_id, task_id)
    # Stored before (a re-sent scan, or a concurrent retry that won): the first answer.
    return _replay(_stored_scan(item, checkpoint), fingerprint)


def _earlier_scans(
    keys: set[tuple[str, str]], checkpoint: Checkpoint
) -> dict[tuple[str, str], Scan]:
    """Scans stored under any of these (device, key) pairs in the checkpoint's key scope."""
    if not keys:
        return {}
    devices = {d for d, _ in keys}
    idempotency_keys = {k for _, k in keys}
    return {
        (scan.device_id, scan.idempotency_key): scan
        for scan in Scan.objects.filter(
            key_scope=_key_scope(checkpoint),
            device_id__in=devices,
            idempotency_key__in=idempotency_keys,
        )
        if (scan.device_id, scan.idempotency_key) in keys
    }


def scan_record_batch(
    *, checkpoint: Checkpoint, items: list[ScanInput | DomainError], actor
) -> list[ScanAnswer | DomainError]:
    """Decide and store up to 1,000 scans in order; a bad item fails alone with its error.

    Items already given as a DomainError (the API could not parse them) keep their place in the
    answer. Look-ups (earlier scans, people with their colors) take one query each for the whole
    batch; the scans and their presences are multi-row INSERTs that skip keys stored already; a
    fever still opens one task per scan.
    """
    if len(items) > MAX_BATCH:
        raise ValidationFailed.field("scans", f"At most {MAX_BATCH} scans per batch.")
    now = clock.now()
    results: list[ScanAnswer | DomainError | None] = [None] * len(items)
    fingerprints: dict[int, str] = {}
    for i, item in enumerate(items):
        if isinstance(item, DomainError):
            results[i] = item
            continue
        fingerprints[i] = _fingerprint(item, checkpoint)
    # Scans stored by an earlier upload answer with their first answer.
    keyed = {i: (items[i].device_id, items[i].idempotency_key) for i in fingerprints}
    earlier = _earlier_scans(set(keyed.values()), checkpoint)
    fresh: list[int] = []
    first_in_batch: dict[tuple[str, str], int] = {}
    for i, key in keyed.items():
        try:
            if key in earlier:
                results[i] = _replay(earlier[key], fingerprints[i])
            elif key in first_in_batch:
                continue  # a repeat within this batch: answered below from the first
            else:
                _validate(items[i], now)
                first_in_batch[key] = i
                fresh.append(i)
        except DomainError as exc:
            results[i] = exc
    judged = _judge_many(
        checkpoint=checkpoint,
        items=[items[i] for i in fresh],
        fingerprints=[fingerprints[i] for i in fresh],
        actor=actor,
        now=now,
    )
    with transaction.atomic():
        stored = {
            (device, key): pk
            for device, key, pk in insert_rows(
                Scan,
                [j.row for j in judged],
                **_scan_key(),
                returning=("device_id", "idempotency_key", "id"),
            )
        }
        # A key missing from what was inserted was stored first by a concurrent upload: it is
        # answered as that upload's scan was.
        raced = _earlier_scans(
            {(j.row["device_id"], j.row["idempotency_key"]) for j in judged} - stored.keys(),
            checkpoint,
        )
        presences = []
        inserted = []
        for i, j in zip(fresh, judged, strict=True):
            key = (j.row["device_id"], j.row["idempotency_key"])
            if key not in stored:
                try:
                    results[i] = _replay(raced[key], fingerprints[i])
                except DomainError as exc:
                    results[i] = exc
                continue
            pk = stored[key]
            inserted.append(pk)
            task_id = (
                _fever_follow_up(judged=j, scan_id=pk, checkpoint=checkpoint, actor=actor)
                if j.fever
                else None
            )
            results[i] = _fresh_answer(j.row, pk, task_id)
            if j.person_id is not None:
                presences.append(_presence_row(j, checkpoint, pk))
        presence_record_many(rows=presences)
        # The scans themselves log who checked whom, when and where; one event per upload says
        # who uploaded them (an event per scan would double the writes of a busy gate).
        audit_record(
            actor=actor,
            action="checkpoints.scan_batch",
            target=checkpoint,
            details={
                "items": len(items),
                "stored": len(inserted),
                "first_scan": min(inserted) if inserted else None,
                "last_scan": max(inserted) if inserted else None,
            },
        )
    for i, key in keyed.items():
        if results[i] is None:  # a repeat within the batch
            first = results[first_in_batch[key]]
            if isinstance(first, ScanAnswer):
                row = Scan.objects.get(pk=first.scan_id)
                try:
                    results[i] = _replay(row, fingerprints[i])
                except DomainError as exc:
                    results[i] = exc
            else:
                results[i] = first
    return results  # type: ignore[return-value]
