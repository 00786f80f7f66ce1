"""Writes of health codes (STYLE.md services), split by concern; import from here."""

from coproduce.health_codes.services.appeals import (
    appeal_decide,
    appeal_file,
    proxy_grant,
    proxy_revoke,
)
from coproduce.health_codes.services.codes import (
    RecomputeResult,
    ReportInput,
    condition_adjust,
    condition_end,
    condition_impose,
    declaration_judge,
    health_code_recompute,
    health_codes_recompute_all,
    report_file,
)
from coproduce.health_codes.services.keys import (
    IssuedToken,
    key_import,
    keys_rotate,
    payload_verify,
    payload_verify_many,
    token_issue_for,
    trust_cache_clear,
)

__all__ = [
    "appeal_decide",
    "appeal_file",
    "proxy_grant",
    "proxy_revoke",
    "IssuedToken",
    "RecomputeResult",
    "ReportInput",
    "condition_adjust",
    "condition_end",
    "condition_impose",
    "declaration_judge",
    "health_code_recompute",
    "health_codes_recompute_all",
    "key_import",
    "keys_rotate",
    "payload_verify",
    "payload_verify_many",
    "report_file",
    "token_issue_for",
    "trust_cache_clear",
]
