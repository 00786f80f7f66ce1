"""Writes of the recovery app (a package: enterprises, reports, procurement, board, services)."""

from coproduce.recovery.services.enterprises import (
    enterprise_create,
    enterprise_membership_add,
    enterprise_representative_add,
    park_create,
)
from coproduce.recovery.services.member import (
    board_match_accept,
    board_post_close,
    board_post_create,
    rent_relief_beneficiary_add,
    rent_relief_program_create,
    service_request_create,
    service_request_update,
)
from coproduce.recovery.services.procurement import (
    procurement_award,
    procurement_create,
    procurement_deliver,
    procurement_need_add,
    procurement_order,
    procurement_quote_add,
    procurement_receipt_confirm,
    quote_tiers,
)
from coproduce.recovery.services.reports import resumption_report_create

__all__ = [
    "board_match_accept",
    "board_post_close",
    "board_post_create",
    "enterprise_create",
    "enterprise_membership_add",
    "enterprise_representative_add",
    "park_create",
    "procurement_award",
    "procurement_create",
    "procurement_deliver",
    "procurement_need_add",
    "procurement_order",
    "procurement_quote_add",
    "procurement_receipt_confirm",
    "quote_tiers",
    "rent_relief_beneficiary_add",
    "rent_relief_program_create",
    "resumption_report_create",
    "service_request_create",
    "service_request_update",
]
