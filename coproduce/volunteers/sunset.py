"""The sunset of volunteering: volunteers' names, phones and notes (core/anonymization.py)."""

from django.db.models import Value
from django.db.models.functions import Concat

from coproduce.volunteers.models import ServiceRecord, VolunteerProfile


def anonymize(*, actor) -> dict[str, int]:
    """Volunteers become "volunteer <public id>"; their hours and service records stay."""
    profiles = VolunteerProfile.objects.exclude(name__startswith="volunteer ").update(
        name=Concat(Value("volunteer "), "public_id"), phone="", availability=""
    )
    records = ServiceRecord.objects.exclude(note="", reason="").update(note="", reason="")
    return {"volunteers": profiles, "service_records": records}
