"""Forms of the health-code pages; the services still check everything."""

import datetime as dt
import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from coproduce.accounts.pickers import RegionField
from coproduce.core.errors import DomainError
from coproduce.core.forms import PageForm
from coproduce.health_codes import rules, texts
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


class ReportForm(DomainErrorsMixin, PageForm):
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


class RegistrationForm(DomainErrorsMixin, PageForm):
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

    def __init__(self, *args, proxy: bool, scope=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.proxy = proxy
        self.home_region = None
        if proxy and scope is not None:
            # Staff pick the area in their own tree (drill down or type its name).
            self.fields["home_region"] = RegionField(
                permission="people.register", label=_("Residential area")
            )
            self.fields["home_region"].set_scope(scope)
            self.order_fields(["name", "national_id", "phone", "home_region"])
        for i in range(TRAVEL_ROWS):
            # Shown in rows without a visible label each: the label is read aloud (aria-label).
            self.fields[f"travel_region_{i}"] = forms.CharField(
                label=_("Region code"),
                max_length=20,
                required=False,
                widget=forms.TextInput(attrs={"aria-label": _("Region code")}),
            )
            self.fields[f"travel_date_{i}"] = forms.DateField(
                label=_("Date"),
                required=False,
                widget=forms.DateInput(attrs={"type": "date", "aria-label": _("Date")}),
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
        if isinstance(data.get("home_region"), Region):
            self.home_region = data["home_region"]
            data["home_region"] = self.home_region.code
        else:
            self.home_region = Region.objects.filter(code=data.get("home_region", "")).first()
        return data


class AppealForm(PageForm):
    reason = forms.CharField(
        label=_("Why is this color wrong?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DecisionForm(PageForm):
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


class ProxyForm(DomainErrorsMixin, PageForm):
    username = forms.CharField(label=_("Their account name"), max_length=150)
    relation = forms.CharField(label=_("Relation (daughter, son, ...)"), max_length=40)


# --- conditions (officials) ------------------------------------------------------------------

KIND_CHOICES = [
    (rules.ConditionKind.HOME_QUARANTINE.value, _("Home quarantine (yellow)")),
    (rules.ConditionKind.CENTRALIZED_QUARANTINE.value, _("Centralized quarantine (red)")),
    (rules.ConditionKind.ACTIVE_CASE.value, _("Active case (red until closed)")),
]
# The order reasons first: officials order quarantine far more often than they record a case.
REASON_CHOICES = [
    (
        _("Quarantine orders"),
        [(r.value, texts.REASON_LABEL[r]) for r in rules.ReasonCode if r in rules.ORDER_REASONS],
    ),
    (
        _("Cases"),
        [(r.value, texts.REASON_LABEL[r]) for r in rules.ReasonCode if r in rules.CASE_REASONS],
    ),
]
# A start this far back or ahead is a typing slip rather than an order (as tracing's orders).
START_DAYS_BACK, START_DAYS_AHEAD = 14, 7
MAX_LENGTH_DAYS = 366


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class EarliestEndMixin:
    """An earliest end given as a date or as a length in days from the start (day 1)."""

    def earliest_end(self, data: dict, starts_on: dt.date | None) -> dt.date | None:
        not_before, days = data.get("not_before"), data.get("days")
        if not_before is not None and days is not None:
            self.add_error("days", _("Give an end date or a length, not both."))
            return None
        if days is not None and starts_on is not None:
            # Day 1 is the start: a 14-day order may end on its 14th day, as 14 reports do.
            return starts_on + dt.timedelta(days=days - 1)
        return not_before


class WhyField(forms.CharField):
    """The reason recorded with the change (who and when are recorded by the service)."""

    def __init__(self, **kwargs):
        super().__init__(
            label=_("Why (recorded in the history with your name)"),
            max_length=500,
            widget=forms.Textarea(attrs={"rows": 2}),
            **kwargs,
        )


class ConditionImposeForm(DomainErrorsMixin, EarliestEndMixin, PageForm):
    """Impose a case or a quarantine order: kind, reason, start, earliest end, why."""

    kind = forms.ChoiceField(label=_("Condition"), choices=KIND_CHOICES)
    reason = forms.ChoiceField(
        label=_("Reason (the resident reads it in plain words)"), choices=REASON_CHOICES
    )
    starts_on = forms.DateField(label=_("Start"), widget=_date_input())
    not_before = forms.DateField(
        label=_("Not before (earliest end)"), required=False, widget=_date_input()
    )
    days = forms.IntegerField(
        label=_("Or length in days"),
        min_value=1,
        max_value=MAX_LENGTH_DAYS,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text=_(
            "Optional. An order also needs its run of normal daily reports (14 red, 7 yellow)."
        ),
    )
    why = WhyField()
    # Names this form's submission: sent twice (a double tap), the order is imposed once.
    nonce = forms.RegexField(regex=r"^[0-9a-f]{32}$", widget=forms.HiddenInput)

    def __init__(self, *args, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["starts_on"].initial = today
        self.fields["kind"].initial = rules.ConditionKind.HOME_QUARANTINE.value
        self.fields["reason"].initial = rules.ReasonCode.OFFICIAL_ORDER.value
        self.fields["nonce"].initial = uuid.uuid4().hex

    def clean(self):
        data = super().clean()
        kind, reason, starts_on = data.get("kind"), data.get("reason"), data.get("starts_on")
        is_case = kind == rules.ConditionKind.ACTIVE_CASE
        if kind and reason and is_case != (reason in rules.CASE_REASONS):
            self.add_error(
                "reason",
                _("A case takes a case's reason (confirmed, suspected, asymptomatic).")
                if is_case
                else _("A quarantine order takes an order's reason, not a case's."),
            )
        if starts_on is not None and not (
            self.today - dt.timedelta(days=START_DAYS_BACK)
            <= starts_on
            <= self.today + dt.timedelta(days=START_DAYS_AHEAD)
        ):
            self.add_error(
                "starts_on",
                _("Start within %(back)d days before and %(ahead)d days after today.")
                % {"back": START_DAYS_BACK, "ahead": START_DAYS_AHEAD},
            )
        earliest = self.earliest_end(data, starts_on)
        if is_case and (data.get("not_before") or data.get("days")):
            self.add_error(
                "days" if data.get("days") else "not_before",
                _("A case ends when it is closed: leave the end and length empty."),
            )
        elif earliest is not None and starts_on is not None and earliest < starts_on:
            self.add_error("not_before", _("The earliest end cannot come before the start."))
        data["earliest_end"] = earliest
        return data


class ConditionLengthenForm(DomainErrorsMixin, EarliestEndMixin, PageForm):
    """Lengthen an order: a later earliest end, as a date or a length from its start."""

    not_before = forms.DateField(label=_("New earliest end"), required=False, widget=_date_input())
    days = forms.IntegerField(
        label=_("Or new length in days, from the start"),
        min_value=1,
        max_value=MAX_LENGTH_DAYS,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    why = WhyField()

    def __init__(self, *args, condition, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.condition, self.today = condition, today

    def clean(self):
        data = super().clean()
        condition = self.condition
        if condition.kind == rules.ConditionKind.ACTIVE_CASE:
            raise forms.ValidationError(
                _("A case ends when it is closed; it cannot be lengthened.")
            )
        if condition.ends_on is not None and condition.ends_on <= self.today:
            raise forms.ValidationError(_("This condition has ended; impose a new one instead."))
        earliest = self.earliest_end(data, condition.starts_on)
        field = "days" if data.get("days") is not None else "not_before"
        if earliest is None:
            if "days" not in self.errors and "not_before" not in self.errors:
                self.add_error("not_before", _("Give the new earliest end or the new length."))
        elif condition.not_before is not None and earliest <= condition.not_before:
            self.add_error(
                field,
                _("Lengthen past the current earliest end, %(date)s.")
                % {"date": condition.not_before.isoformat()},
            )
        elif earliest < self.today:
            self.add_error(field, _("The new earliest end cannot lie in the past."))
        data["earliest_end"] = earliest
        return data


class ConditionEndForm(DomainErrorsMixin, PageForm):
    """End a condition: it no longer holds the code from that day."""

    ends_on = forms.DateField(
        label=_("Ends on (no longer applies from this day)"), widget=_date_input()
    )
    why = WhyField()

    def __init__(self, *args, condition, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.condition, self.today = condition, today
        self.fields["ends_on"].initial = max(today, condition.starts_on)

    def clean(self):
        data = super().clean()
        condition, ends_on = self.condition, data.get("ends_on")
        if condition.ends_on is not None and condition.ends_on <= self.today:
            raise forms.ValidationError(_("This condition has ended already."))
        if ends_on is not None and ends_on < condition.starts_on:
            self.add_error(
                "ends_on",
                _("A condition cannot end before it starts (%(date)s).")
                % {"date": condition.starts_on.isoformat()},
            )
        return data
