"""The page forms of enterprise recovery: each parses one action's input like its endpoint."""

from django import forms
from django.utils.translation import gettext_lazy as _

from coproduce.recovery.models import (
    Blocker,
    BoardPost,
    RentReliefProgram,
    ServiceRequest,
)


class ReportForm(forms.Form):
    """Today's status of an enterprise."""

    date = forms.DateField(label=_("Date"))
    open = forms.TypedChoiceField(
        label=_("Open today?"),
        choices=[("1", _("Open")), ("0", _("Closed"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    workers_on_site = forms.IntegerField(label=_("Workers on site"), min_value=0)
    capacity_pct = forms.IntegerField(
        label=_("Capacity in use (%)"), min_value=0, max_value=100, required=False
    )
    blockers = forms.MultipleChoiceField(
        label=_("What holds you back?"),
        choices=Blocker.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class ProcurementForm(forms.Form):
    """A new collective purchase."""

    item = forms.CharField(label=_("Item"), max_length=200)
    unit = forms.CharField(label=_("Unit"), max_length=30)
    needed_by = forms.DateField(label=_("Needed by"))


class NeedForm(forms.Form):
    """A member's need."""

    enterprise = forms.IntegerField(label=_("Member"), min_value=1)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1)


class QuoteForm(forms.Form):
    """A supplier's quote: tiers as lines "minimum quantity = unit price"."""

    supplier = forms.CharField(label=_("Supplier"), max_length=200)
    tiers = forms.CharField(
        label=_("Price tiers"),
        help_text=_("One tier a line: minimum quantity = unit price, e.g. 1 = 0.50"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_tiers(self):
        tiers = []
        for line in self.cleaned_data["tiers"].splitlines():
            if not line.strip():
                continue
            left, sep, right = line.partition("=")
            try:
                if not sep:
                    raise ValueError
                tiers.append((int(left.strip()), right.strip()))
            except ValueError:
                raise forms.ValidationError(
                    _("Write each tier as: minimum quantity = unit price.")
                ) from None
        return tiers


class AwardForm(forms.Form):
    """The quote to award."""

    quote = forms.IntegerField(min_value=1)


class OrderForm(forms.Form):
    """The supplier's order reference."""

    reference = forms.CharField(label=_("Order reference"), max_length=100, required=False)


class ReceiptForm(forms.Form):
    """The member confirming receipt."""

    enterprise = forms.IntegerField(min_value=1)


class BoardPostForm(forms.Form):
    """A shortage or an offer on the supply-chain board."""

    enterprise = forms.IntegerField(label=_("Enterprise"), min_value=1)
    kind = forms.ChoiceField(label=_("Kind"), choices=BoardPost.Kind.choices)
    topic = forms.ChoiceField(label=_("About"), choices=BoardPost.Topic.choices)
    material = forms.CharField(label=_("Material or route"), max_length=200)
    quantity = forms.CharField(label=_("Quantity"), max_length=100, required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class AcceptForm(forms.Form):
    """One side's answer to a proposed match."""

    enterprise = forms.IntegerField(min_value=1)
    accept = forms.TypedChoiceField(choices=[("1", "1"), ("0", "0")], coerce=lambda v: v == "1")


class ServiceRequestForm(forms.Form):
    """A request for financial services or legal aid."""

    enterprise = forms.IntegerField(label=_("Enterprise"), min_value=1)
    association = forms.CharField(label=_("Association"), max_length=80)
    topic = forms.ChoiceField(label=_("Topic"), choices=ServiceRequest.Topic.choices)
    description = forms.CharField(
        label=_("What do you need?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    amount = forms.DecimalField(
        label=_("Amount (RMB)"), max_digits=14, decimal_places=2, min_value=0.01, required=False
    )


class ServiceUpdateForm(forms.Form):
    """The desk moving a request on."""

    status = forms.ChoiceField(label=_("Status"), choices=ServiceRequest.Status.choices)
    partner = forms.CharField(label=_("Bank or law firm"), max_length=200, required=False)
    outcome = forms.CharField(label=_("Outcome"), max_length=500, required=False)


class ReliefProgramForm(forms.Form):
    """A rent relief program."""

    name = forms.CharField(label=_("Name"), max_length=200)
    provider_kind = forms.ChoiceField(
        label=_("Given by"), choices=RentReliefProgram.Provider.choices
    )
    provider_name = forms.CharField(label=_("Landlord or park"), max_length=200)
    kind = forms.ChoiceField(label=_("Reduction"), choices=RentReliefProgram.Kind.choices)
    percent = forms.IntegerField(label=_("Percentage"), min_value=0, max_value=100, required=False)
    amount = forms.DecimalField(
        label=_("Amount a month (RMB)"), max_digits=14, decimal_places=2, required=False
    )
    start_month = forms.DateField(label=_("From (month)"))
    months = forms.IntegerField(label=_("Months"), min_value=1, max_value=24)


class BeneficiaryForm(forms.Form):
    """A member benefiting from a program."""

    enterprise = forms.IntegerField(label=_("Member"), min_value=1)
    monthly_rent = forms.DecimalField(
        label=_("Monthly rent (RMB)"), max_digits=14, decimal_places=2, min_value=0.01
    )
