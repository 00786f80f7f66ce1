"""The sunset of people's records: names, phones, ID hashes and notes (core/anonymization.py)."""

from django.db.models import Q, Value
from django.db.models.functions import Concat

from coproduce.people.models import Person


def anonymize(*, actor) -> dict[str, int]:
    """Each person becomes "resident <public id>", with no phone, ID hash or note."""
    people = Person.objects.all()
    named = people.exclude(name__startswith="resident ").update(
        name=Concat(Value("resident "), "public_id"), phone="", note="", national_id_last4=""
    )
    # The unique hash stays unique and non-empty (a registered person must have one) but no
    # longer derives from the ID number.
    hashes = people.filter(
        Q(national_id_hash__isnull=False) & ~Q(national_id_hash__startswith="sunset:")
    ).update(national_id_hash=Concat(Value("sunset:"), "public_id"))
    return {"people": named, "id_hashes": hashes}
