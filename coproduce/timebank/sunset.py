"""The sunset of the time bank: redemptions' notes (core/anonymization.py)."""

from coproduce.timebank.models import Redemption


def anonymize(*, actor) -> dict[str, int]:
    """Accounts, postings and balances stay; notes go."""
    return {"redemptions": Redemption.objects.exclude(note="").update(note="")}
