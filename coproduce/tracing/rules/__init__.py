"""Contact tracing: pure rules, no Django, no I/O, no clock (PRODUCT.md 3.4).

A package because one module passed STYLE.md's 500 lines: ``policy`` (settings), ``contacts``
(the contact definition) and ``rounds`` (rounds, tasks for teams, quarantine orders). Import the
public names from here: ``from coproduce.tracing.rules import contacts_discover``.
"""

from coproduce.tracing.rules.contacts import (
    Contact,
    ContactKind,
    ContactRecord,
    Evidence,
    InfectiousWindow,
    InterviewContact,
    PresenceEvent,
    co_presence_contacts,
    contact_keep_purged_evidence,
    contacts_discover,
    contacts_merge,
    household_contacts,
    infectious_window,
    interview_contacts,
    secondary_contacts,
)
from coproduce.tracing.rules.policy import QuarantineKind, TracingPolicy
from coproduce.tracing.rules.rounds import (
    REACHED_OUTCOMES,
    RoundContact,
    RoundPick,
    TaskGroup,
    TaskOutcome,
    TaskRecord,
    order_supersedes,
    quarantine_order_for,
    round_select,
    tasks_group,
)

__all__ = [
    "REACHED_OUTCOMES",
    "Contact",
    "ContactKind",
    "ContactRecord",
    "Evidence",
    "InfectiousWindow",
    "InterviewContact",
    "PresenceEvent",
    "QuarantineKind",
    "RoundContact",
    "RoundPick",
    "TaskGroup",
    "TaskOutcome",
    "TaskRecord",
    "TracingPolicy",
    "co_presence_contacts",
    "contact_keep_purged_evidence",
    "contacts_discover",
    "contacts_merge",
    "household_contacts",
    "infectious_window",
    "interview_contacts",
    "order_supersedes",
    "quarantine_order_for",
    "round_select",
    "secondary_contacts",
    "tasks_group",
]
