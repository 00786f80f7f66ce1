"""The sunset of care: who was counseled, screened or treated, and what was said (PRODUCT.md 4).

Care holds the most sensitive records of the platform. After the sunset a session, a screening,
a consultation or a social case no longer leads to a resident (the link is cut where the model
allows it; a booking keeps its link to a person whom people's own sunset has renamed), callers'
numbers and every line of free text go, and practitioners keep no name, phone or licence number.
The counts by group, topic, severity, region and day stay, so the dashboard's care figures hold.
"""

from django.db.models import CharField, Q, Value
from django.db.models.functions import Cast, Concat

from coproduce.care.models import (
    Alert,
    CaseReferral,
    CaseVisit,
    Consultation,
    Credential,
    Practitioner,
    Screening,
    Session,
    SocialCase,
)


def anonymize(*, actor) -> dict[str, int]:
    """Links to residents cut, numbers and free text emptied, practitioners renamed."""
    sessions = Session.objects.exclude(
        Q(resident__isnull=True) & Q(callback_phone="") & Q(outcome="") & Q(callback_until=None)
    ).update(resident=None, callback_phone="", callback_until=None, outcome="")
    screenings = Screening.objects.filter(resident__isnull=False).update(resident=None)
    cases = SocialCase.objects.filter(person__isnull=False).update(person=None)
    visits = CaseVisit.objects.exclude(note="").update(note="")
    referrals = CaseReferral.objects.exclude(note="").update(note="")
    alerts = Alert.objects.exclude(follow_up="").update(follow_up="")
    consultations = Consultation.objects.exclude(
        Q(summary="") & Q(referral_to="") & Q(feedback_comment="")
    ).update(summary="", referral_to="", feedback_comment="")
    practitioners = Practitioner.objects.exclude(display_name__startswith="practitioner ").update(
        display_name=Concat(Value("practitioner "), Cast("id", output_field=CharField())),
        phone="",
        availability="",
    )
    # A credential's number is unique with its kind and issuer: it becomes "sunset:<id>".
    credentials = Credential.objects.exclude(number__startswith="sunset:").update(
        number=Concat(Value("sunset:"), Cast("id", output_field=CharField()))
    )
    return {
        "sessions": sessions,
        "screenings": screenings,
        "social_cases": cases,
        "case_visits": visits,
        "case_referrals": referrals,
        "alerts": alerts,
        "consultations": consultations,
        "practitioners": practitioners,
        "credentials": credentials,
    }
