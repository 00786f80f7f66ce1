"""Forms of the health-code pages; the services still check everything."""

from django import forms
from django.utils.translation import gettext_lazy as _

from coproduce.core.errors import DomainError
from coproduce.health_codes import rules
from coproduce.regions.models import Region

SYMPTOM_LABELS = {
    "fever": _("Fever"),
    "cough": _("Cough"),
    "sore_throat": _("Sore throat"),
    "shortness_of_breath": _("Shortness of breath"),
    "fatigue": _("Fatigue"),
    "diarrhea": _("Diarrhea"),
    "loss_of_taste_or_smell": _("Loss of taste or smell"),
    "muscle_ache": _("Muscle ache"),
    "headache": _("Headache"),
    "chills": _("Chills"),
    "nasal_congestion": _("Nasal congestion"),
    "conjunctivitis": _("Red eyes (conjunctivitis)"),
}
SYMPTOM_CHOICES = [(s.value, SYMPTOM_LABELS[s.value]) for s in rules.Symptom]
TRAVEL_ROWS = 3


class DomainErrorsMixin:
    """Show a service's field errors on the form's fields (or at the top)."""

    def add_domain_error(self, exc: DomainError) -> None:
        if not exc.fields:
            self.add_error(None, exc.message)
        for name, problems in exc.fields.items():
            field = name.split(".")[-1] if name.startswith("declaration.") else name
            field = {"date": None, "temperature_c": "temperature_c"}.get(field, field)
            for problem in problems:
                self.add_error(field if field in self.fields else None, problem)


class ReportForm(DomainErrorsMixin, forms.Form):
    temperature_c = forms.DecimalField(
        label=_("Temperature (°C)"),
        min_value=34,
        max_value=43,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"step": "0.1", "inputmode": "decimal"}),
    )
    symptoms = forms.MultipleChoiceField(
        label=_("Symptoms today"),
        choices=SYMPTOM_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class RegistrationForm(DomainErrorsMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    national_id = forms.CharField(label=_("ID number"), max_length=32)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    home_region = forms.CharField(
        label=_("Residential area code"), max_length=20, help_text=_("As on the area's notice.")
    )
    case_contact = forms.BooleanField(
        label=_("In the last 14 days I was in contact with a confirmed or suspected case"),
        required=False,
    )
    symptoms = forms.MultipleChoiceField(
        label=_("Symptoms now"),
        choices=SYMPTOM_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, proxy: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.proxy = proxy
        self.home_region = None
        for i in range(TRAVEL_ROWS):
            self.fields[f"travel_region_{i}"] = forms.CharField(
                label=_("Region code"), max_length=20, required=False
            )
            self.fields[f"travel_date_{i}"] = forms.DateField(
                label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
            )

    def travel_rows(self):
        return [(self[f"travel_region_{i}"], self[f"travel_date_{i}"]) for i in range(TRAVEL_ROWS)]

    def clean(self):
        data = super().clean()
        travel = []
        for i in range(TRAVEL_ROWS):
            region, day = data.get(f"travel_region_{i}"), data.get(f"travel_date_{i}")
            if region and day:
                travel.append((region.strip(), day))
            elif region or day:
                self.add_error(f"travel_date_{i}", _("Give both the region and the date."))
        data["travel"] = travel
        self.home_region = Region.objects.filter(code=data.get("home_region", "")).first()
        return data


class AppealForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is this color wrong?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("corrected", _("Correct the code (end its conditions)")),
            ("refused", _("Refuse")),
        ],
        widget=forms.RadioSelect,
    )
    decision = forms.CharField(
        label=_("Reason, shown to the resident"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ProxyForm(DomainErrorsMixin, forms.Form):
    username = forms.CharField(label=_("Their account name"), max_length=150)
    relation = forms.CharField(label=_("Relation (daughter, son, ...)"), max_length=40)
