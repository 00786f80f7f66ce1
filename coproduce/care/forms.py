"""Forms of the care pages (the services check the rules again)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from coproduce.care.models import Booking, CaseNeed, CaseReferral, CaseVisit, Group, Session, Slot

ANSWERS = [("0", _("0 not at all")), ("1", _("1 several days")), ("2", _("2 more than half")),
           ("3", _("3 nearly every day"))]  # fmt: skip

# Short names of the items, for a counselor who reads the full question from the card.
PHQ9_ITEMS = [
    _("Little interest or pleasure"),
    _("Down, depressed, hopeless"),
    _("Sleep trouble"),
    _("Tired, little energy"),
    _("Appetite"),
    _("Feeling bad about oneself"),
    _("Trouble concentrating"),
    _("Slow or restless"),
    _("Thoughts of self-harm"),
]
GAD7_ITEMS = [
    _("Nervous, anxious, on edge"),
    _("Cannot stop worrying"),
    _("Worrying too much"),
    _("Trouble relaxing"),
    _("So restless it is hard to sit still"),
    _("Easily annoyed or irritable"),
    _("Afraid something awful might happen"),
]

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class CallForm(forms.Form):
    """Log a call with its screening, in one screen."""

    group = forms.ChoiceField(label=_("Caller"), choices=Group.choices, widget=forms.RadioSelect)
    topic = forms.ChoiceField(label=_("Topic"), choices=Session.Topic.choices)
    channel = forms.ChoiceField(label=_("Channel"), choices=Session.Channel.choices)
    resident = forms.CharField(label=_("Resident id (if known)"), max_length=16, required=False)
    callback_phone = forms.CharField(
        label=_("Callback number (anonymous caller)"), max_length=20, required=False
    )
    instrument = forms.ChoiceField(
        label=_("Screening"),
        choices=[
            ("", _("none")),
            ("phq9", _("PHQ-9 (depression)")),
            ("gad7", _("GAD-7 (anxiety)")),
        ],
        required=False,
    )
    outcome = forms.CharField(label=_("Outcome (short)"), max_length=200, required=False)
    follow_up = forms.ChoiceField(label=_("Follow-up"), choices=Session.FollowUp.choices)
    minutes = forms.IntegerField(label=_("Minutes"), min_value=0, max_value=600, initial=10)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for n, label in enumerate(PHQ9_ITEMS, start=1):
            self.fields[f"phq{n}"] = forms.ChoiceField(
                label=f"{n}. {label}", choices=ANSWERS, required=False, initial="0"
            )
        for n, label in enumerate(GAD7_ITEMS, start=1):
            self.fields[f"gad{n}"] = forms.ChoiceField(
                label=f"{n}. {label}", choices=ANSWERS, required=False, initial="0"
            )

    def phq_fields(self):
        return [self[f"phq{n}"] for n in range(1, 10)]

    def gad_fields(self):
        return [self[f"gad{n}"] for n in range(1, 8)]

    def screening(self) -> tuple[str, list[int]] | None:
        """The chosen instrument and its answers (an unanswered item counts as not given)."""
        instrument = self.cleaned_data.get("instrument")
        if not instrument:
            return None
        prefix, items = ("phq", 9) if instrument == "phq9" else ("gad", 7)
        return instrument, [
            int(self.cleaned_data.get(f"{prefix}{n}") or 0) for n in range(1, items + 1)
        ]


class SlotForm(forms.Form):
    """Offer a slot."""

    starts_at = forms.DateTimeField(label=_("Starts"), widget=DATETIME)
    minutes = forms.IntegerField(label=_("Minutes"), min_value=5, max_value=240, initial=30)
    specialty = forms.CharField(label=_("Specialty"), max_length=60)
    mode = forms.ChoiceField(label=_("How"), choices=Slot.Mode.choices)
    place = forms.CharField(label=_("Place or link"), max_length=200, required=False)


class BookForm(forms.Form):
    """Book a slot for yourself, or by proxy for a resident by their id."""

    resident = forms.CharField(
        label=_("For resident (id), by proxy"), max_length=16, required=False
    )


class FollowUpForm(forms.Form):
    """How an alert was followed up."""

    outcome = forms.CharField(label=_("Follow-up"), max_length=200)


class ConsultationForm(forms.Form):
    """The minimal record of a consultation."""

    summary = forms.CharField(label=_("Summary"), max_length=200)
    referral = forms.ChoiceField(label=_("Referral"), choices=[
        ("none", _("none")), ("hospital", _("hospital")), ("counselor", _("counselor"))])  # fmt: skip
    referral_to = forms.CharField(label=_("Referred to"), max_length=200, required=False)


class AttendanceForm(forms.Form):
    """Attended or no-show."""

    status = forms.ChoiceField(
        choices=[
            (Booking.Status.ATTENDED, _("attended")),
            (Booking.Status.NO_SHOW, _("did not come")),
        ]
    )


class FeedbackForm(forms.Form):
    """A resident's rating of a consultation."""

    rating = forms.TypedChoiceField(
        label=_("Rating"), coerce=int, choices=[(n, str(n)) for n in range(5, 0, -1)]
    )
    comment = forms.CharField(label=_("Comment"), max_length=200, required=False)


class CredentialForm(forms.Form):
    """Record a credential."""

    user = forms.CharField(label=_("User name"), max_length=150)
    kind = forms.ChoiceField(label=_("Kind"), choices=[
        ("counseling_certificate", _("counseling certificate")),
        ("medical_licence", _("medical licence"))])  # fmt: skip
    number = forms.CharField(label=_("Number"), max_length=64)
    issuer = forms.CharField(label=_("Issuer"), max_length=200)
    expires_on = forms.DateField(
        label=_("Expires on"), widget=forms.DateInput(attrs={"type": "date"})
    )


class VerifyForm(forms.Form):
    """Verify or reject."""

    state = forms.ChoiceField(choices=[("verified", _("verified")), ("rejected", _("rejected"))])


class ShiftForm(forms.Form):
    """A crisis-duty shift."""

    counselor = forms.CharField(label=_("Counselor (user name)"), max_length=150)
    starts_at = forms.DateTimeField(label=_("Starts"), widget=DATETIME)
    hours = forms.IntegerField(label=_("Hours"), min_value=1, max_value=24, initial=8)


class CaseForm(forms.Form):
    """Open a social work case."""

    group = forms.ChoiceField(label=_("Who"), choices=Group.choices)
    needs = forms.MultipleChoiceField(
        label=_("Needs"), choices=CaseNeed.choices, widget=forms.CheckboxSelectMultiple
    )
    person = forms.CharField(label=_("Resident id (if registered)"), max_length=16, required=False)


class VisitForm(forms.Form):
    """A visit or call to a case."""

    kind = forms.ChoiceField(label=_("Kind"), choices=CaseVisit.Kind.choices)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class ReferralForm(forms.Form):
    """A referral of a case."""

    to = forms.ChoiceField(label=_("Refer to"), choices=CaseReferral.To.choices)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
