"""Writes of checkpoints: create, scan (once per device key, alone or in batches), visits, shifts.

One module per kind of write; the names below are the app's service API.
"""

from coproduce.checkpoints.services.cards import card_payload_from_typed
from coproduce.checkpoints.services.scans import (
    FEVER_FOLLOW_UP_WITHIN,
    MAX_BATCH,
    SCAN_SOURCE,
    ScanAnswer,
    ScanInput,
    scan_record,
    scan_record_batch,
)
from coproduce.checkpoints.services.setup import (
    checkpoint_create,
    checkpoint_policy,
    checkpoint_policy_set,
)
from coproduce.checkpoints.services.shifts import (
    MAX_SHIFT,
    PLAN_LENGTHS,
    shift_assign,
    shift_complete,
    shift_create,
    shift_plan_day,
    shift_unassign,
)
from coproduce.checkpoints.services.visits import visit_record

__all__ = [
    "card_payload_from_typed",
    "FEVER_FOLLOW_UP_WITHIN",
    "MAX_BATCH",
    "MAX_SHIFT",
    "PLAN_LENGTHS",
    "SCAN_SOURCE",
    "ScanAnswer",
    "ScanInput",
    "checkpoint_create",
    "checkpoint_policy",
    "checkpoint_policy_set",
    "scan_record",
    "scan_record_batch",
    "shift_assign",
    "shift_complete",
    "shift_create",
    "shift_plan_day",
    "shift_unassign",
    "visit_record",
]
