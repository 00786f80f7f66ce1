"""The sunset of relief: donors' and requesters' names and notes, outside the public ledger."""

from coproduce.relief.models import Donation, InKindDonation, SupplyRequest


def anonymize(*, actor) -> dict[str, int]:
    """Donations and requests keep their amounts and goods; names and notes go. The public
    ledger (LedgerEntry, hash-chained) is left as published: `coproduce ledger verify` holds."""
    money = Donation.objects.exclude(donor_name="", note="").update(donor_name="", note="")
    goods = InKindDonation.objects.exclude(donor_name="", note="").update(donor_name="", note="")
    requests = SupplyRequest.objects.exclude(note="").update(note="")
    return {"donations": money, "in_kind_donations": goods, "supply_requests": requests}
