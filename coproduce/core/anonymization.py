"""The sunset (PRODUCT.md 4): when the emergency is declared over, personal data is anonymized.

Each app that holds personal data has a `sunset.py` module with

    def anonymize(*, actor) -> dict[str, int]: ...

which replaces, in its own tables, names, phone numbers, ID hashes and free text by neutral
values (set-based UPDATEs) and returns how many rows it changed, by what. Rows are kept, so
every count and total (the dashboards' aggregates) stays; the public ledger of money and stock
(relief.LedgerEntry) is not touched, so `coproduce ledger verify` still holds. The modules are
found by name in every installed Coproduce app, like the dashboard finds `metrics.py`: a new app
adds its own `sunset.py` and nothing else.
"""

from __future__ import annotations

import importlib
import importlib.util
from types import ModuleType

from django.apps import apps
from django.db import transaction

from coproduce.core.audit import audit_record
from coproduce.core.errors import ValidationFailed

# What the operator must type: nothing done by accident (a flag alone is easy to paste).
SUNSET_CONFIRMATION = "the emergency is over"


def sunset_modules() -> list[tuple[str, ModuleType]]:
    """Every Coproduce app's `sunset` module, by app label, in the order of INSTALLED_APPS."""
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("coproduce."):
            continue
        name = f"{config.name}.sunset"
        if importlib.util.find_spec(name) is not None:
            found.append((config.label, importlib.import_module(name)))
    return found


def sunset_run(*, actor, confirmation: str) -> dict[str, dict[str, int]]:
    """Anonymize every app's personal data, all or nothing, audited; counts by app.

    Refused unless `confirmation` is SUNSET_CONFIRMATION word for word.
    """
    if confirmation.strip().lower() != SUNSET_CONFIRMATION:
        raise ValidationFailed.field(
            "confirmation",
            f'The sunset cannot be undone: confirm with the words "{SUNSET_CONFIRMATION}".',
        )
    counts: dict[str, dict[str, int]] = {}
    with transaction.atomic():
        for label, module in sunset_modules():
            counts[label] = module.anonymize(actor=actor)
        audit_record(
            actor=actor,
            action="core.sunset",
            object_type="platform",
            object_id="sunset",
            details={"counts": counts},
        )
    return counts
