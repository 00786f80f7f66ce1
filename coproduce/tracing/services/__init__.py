"""Writes of contact tracing: cases, contacts, rounds, quarantine sites and orders.

Every service takes keyword arguments with the acting user, runs in one transaction and audits
itself. Cases and orders drive the health code through health_codes' conditions, named by their
source ("tracing.case:12", "tracing.order:7") so that a repeated call imposes nothing twice.
"""

from coproduce.tracing.services.cases import (
    CASE_TRANSITIONS,
    CLOSED_STATUSES,
    TASK_KIND,
    TRACING_TEAM_CATEGORIES,
    case_open,
    case_report,
    case_update,
    cases_listed,
    contacts_viewed,
)
from coproduce.tracing.services.contacts import contacts_refresh, interview_contact_add
from coproduce.tracing.services.orders import (
    order_adjust,
    order_create,
    order_end,
    orders_for_contacts,
    orders_release_completed,
    orders_viewed,
    site_create,
)
from coproduce.tracing.services.rounds import (
    chain_viewed,
    round_start,
    task_people_viewed,
    tracing_task_done,
)

__all__ = [
    "CASE_TRANSITIONS",
    "CLOSED_STATUSES",
    "TASK_KIND",
    "TRACING_TEAM_CATEGORIES",
    "case_open",
    "case_report",
    "case_update",
    "cases_listed",
    "chain_viewed",
    "contacts_refresh",
    "contacts_viewed",
    "interview_contact_add",
    "order_adjust",
    "order_create",
    "order_end",
    "orders_for_contacts",
    "orders_release_completed",
    "orders_viewed",
    "round_start",
    "site_create",
    "task_people_viewed",
    "tracing_task_done",
]
