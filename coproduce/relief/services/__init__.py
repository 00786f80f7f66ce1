"""Writes of the relief app (a package: money, stock, allocation, the ledger)."""

from coproduce.relief.services.allocation import (
    LineInput,
    allocation_approve,
    allocation_discard,
    allocation_dispatch,
    receipt_confirm,
    stock_allocate,
    supply_request_cancel,
    supply_request_create,
)
from coproduce.relief.services.ledger import LedgerCheck, entry_fields, ledger_append, ledger_verify
from coproduce.relief.services.money import campaign_create, disbursement_record, donation_record
from coproduce.relief.services.stock import (
    stock_issue,
    stock_receive,
    stock_transfer,
    warehouse_create,
)

__all__ = [
    "LedgerCheck",
    "LineInput",
    "allocation_approve",
    "allocation_discard",
    "allocation_dispatch",
    "campaign_create",
    "disbursement_record",
    "donation_record",
    "entry_fields",
    "ledger_append",
    "ledger_verify",
    "receipt_confirm",
    "stock_allocate",
    "stock_issue",
    "stock_receive",
    "stock_transfer",
    "supply_request_cancel",
    "supply_request_create",
    "warehouse_create",
]
