"""Forms of the labor pages; the services still check everything."""

from django import forms
from django.utils.translation import gettext_lazy as _

from coproduce.accounts.pickers import RegionField
from coproduce.core.errors import DomainError
from coproduce.labor.models import PostingKind


class DomainErrorsMixin:
    """Show a service's field errors on the form's fields (or at the top)."""

    def add_domain_error(self, exc: DomainError) -> None:
        if not exc.fields:
            self.add_error(None, exc.message)
        for name, problems in exc.fields.items():
            for problem in problems:
                self.add_error(name if name in self.fields else None, problem)


class DateInput(forms.DateInput):
    input_type = "date"


class PostingForm(DomainErrorsMixin, forms.Form):
    """Post surplus workers or a shortage (enterprise and skill choices come from the view)."""

    enterprise = forms.TypedChoiceField(label=_("Enterprise"), coerce=int)
    kind = forms.ChoiceField(
        label=_("What you post"), choices=PostingKind.choices, widget=forms.RadioSelect
    )
    skill = forms.ChoiceField(label=_("Skill"))
    workers = forms.IntegerField(
        label=_("Workers"), widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )
    start_date = forms.DateField(label=_("From"), widget=DateInput)
    end_date = forms.DateField(label=_("To"), widget=DateInput)
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=300)

    def __init__(self, *args, enterprises=(), skills=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].choices = [(e.pk, e.name) for e in enterprises]
        self.fields["skill"].choices = [(s.code, s.label) for s in skills]


class PostingChangeForm(DomainErrorsMixin, forms.Form):
    """Change the workers or the dates of an open posting."""

    workers = forms.IntegerField(
        label=_("Workers"), widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )
    start_date = forms.DateField(label=_("From"), widget=DateInput)
    end_date = forms.DateField(label=_("To"), widget=DateInput)


class AcceptForm(DomainErrorsMixin, forms.Form):
    """Accept a proposal; the first enterprise to accept states the terms."""

    side = forms.ChoiceField(
        choices=[("", ""), ("lender", _("as the lender")), ("borrower", _("as the borrower"))],
        required=False,
        widget=forms.HiddenInput,
    )
    pay_terms = forms.CharField(
        label=_("Pay"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Who pays the workers, how much, and how."),
    )
    insurance_terms = forms.CharField(
        label=_("Insurance"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Who insures the workers while they are lent."),
    )


class RefuseForm(DomainErrorsMixin, forms.Form):
    """Refuse a proposal, with an optional reason."""

    reason = forms.CharField(label=_("Reason (optional)"), required=False, max_length=300)


class RunForm(DomainErrorsMixin, forms.Form):
    """Run the matching over a region of the caller's scope, picked from the tree or by name."""

    region = RegionField(
        permission="labor.match",
        label=_("Region"),
        required=False,
        help_text=_("Leave empty to match over all of your area."),
    )
    max_distance_km = forms.FloatField(
        label=_("Maximum distance (km)"), min_value=1, max_value=500, required=False
    )

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].set_scope(scope)
