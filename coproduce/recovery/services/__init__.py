"""Writes of the recovery app (a package: enterprises, reports, procurement, board, services)."""

from coproduce.recovery.services.enterprises import (
    enterprise_create,
    enterprise_membership_add,
    enterprise_representative_add,
    park_create,
)

__all__ = [
    "enterprise_create",
    "enterprise_membership_add",
    "enterprise_representative_add",
    "park_create",
]
