"""Writes of the labor app: postings, matching runs, proposals and agreements."""

from coproduce.labor.services.agreements import proposal_accept, proposal_refuse
from coproduce.labor.services.matching import matching_run
from coproduce.labor.services.postings import (
    posting_create,
    posting_update,
    posting_withdraw,
    skill_create,
)

__all__ = [
    "matching_run",
    "posting_create",
    "posting_update",
    "posting_withdraw",
    "proposal_accept",
    "proposal_refuse",
    "skill_create",
]
