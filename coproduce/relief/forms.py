"""Forms of the relief pages: each parses what its endpoint's InputSchema parses, and the
same service checks the rules again (its refusals are laid beside the fields)."""

import secrets

from django import forms
from django.utils.translation import gettext_lazy as _

from coproduce.accounts.permissions import Scope
from coproduce.accounts.pickers import RegionField
from coproduce.core import clock
from coproduce.core.forms import PageForm
from coproduce.orgs.models import Organization
from coproduce.relief import selectors
from coproduce.relief.models import (
    Campaign,
    Donation,
    DonorKind,
    Item,
    Lot,
    SupplyRequest,
    Warehouse,
)
from coproduce.relief.rules import quantity_to_decimal

LOCAL_DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DECIMAL = {"inputmode": "decimal"}
REQUEST_LINES = 5


def organizations_of(scope: Scope):
    """The organizations whose books the caller keeps under that permission."""
    return Organization.objects.filter(
        scope.q(region_field="home_region", org_field="pk")
    ).order_by("name")


class _OrgForm(PageForm):
    organization = forms.ModelChoiceField(
        Organization.objects.none(), label=_("Organization"), empty_label=_("Choose one")
    )

    def __init__(self, *args, scope: Scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope = scope
        orgs = organizations_of(scope)
        self.fields["organization"].queryset = orgs
        if orgs.count() == 1:
            self.fields["organization"].initial = orgs.first().pk
        for field in self.fields.values():
            if hasattr(field, "set_scope"):
                field.set_scope(scope)


class CampaignForm(_OrgForm):
    """Start a fundraising campaign."""

    title = forms.CharField(label=_("Title"), max_length=200)
    goal = forms.DecimalField(
        label=_("Goal (RMB)"),
        min_value=0,
        max_digits=14,
        decimal_places=2,
        widget=forms.TextInput(DECIMAL),
    )
    starts_at = forms.DateTimeField(label=_("Starts"), widget=LOCAL_DATETIME)
    ends_at = forms.DateTimeField(label=_("Ends (optional)"), required=False, widget=LOCAL_DATETIME)
    description = forms.CharField(
        label=_("Description"), max_length=4000, required=False, widget=forms.Textarea({"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["starts_at"].initial = clock.now().replace(second=0, microsecond=0)

    def service_args(self) -> dict:
        """The campaign service's arguments; its slug is made here (the page does not ask)."""
        data = dict(self.cleaned_data)
        data.pop("organization")
        data["slug"] = f"c-{clock.today():%Y%m%d}-{secrets.token_hex(3)}"
        return data


class _DonorFields(forms.Form):
    donor_name = forms.CharField(label=_("Donor's name"), max_length=200, required=False)
    anonymous = forms.BooleanField(
        label=_("Keep the donor's name off the public report"), required=False
    )
    campaign = forms.ModelChoiceField(
        Campaign.objects.none(),
        label=_("Campaign (optional)"),
        required=False,
        empty_label=_("No campaign"),
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class DonationForm(_OrgForm, _DonorFields):
    """Record a money donation (a receipt is made)."""

    amount = forms.DecimalField(
        label=_("Amount (RMB)"), max_digits=14, decimal_places=2, widget=forms.TextInput(DECIMAL)
    )
    channel = forms.ChoiceField(label=_("Paid by"), choices=Donation.Channel.choices)
    donor_kind = forms.ChoiceField(label=_("Donor"), choices=DonorKind.choices)
    received_at = forms.DateTimeField(
        label=_("Received (empty: now)"), required=False, widget=LOCAL_DATETIME
    )
    field_order = ["organization", "amount", "channel", "donor_kind", "donor_name", "anonymous"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = selectors.campaign_list(scope=self.scope)


class WarehouseForm(_OrgForm):
    """Open a warehouse."""

    name = forms.CharField(label=_("Name"), max_length=120)
    region = RegionField(permission="relief.stock", label=_("Where"))
    address = forms.CharField(label=_("Address"), max_length=200, required=False)


class _StockForm(PageForm):
    def __init__(self, *args, scope: Scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope = scope
        for name, field in self.fields.items():
            if hasattr(field, "set_scope"):
                field.set_scope(scope)
            elif name in ("warehouse", "to_warehouse"):
                field.queryset = selectors.warehouse_list(scope=scope)
            elif name == "lot":
                field.queryset = selectors.lot_list(scope=scope).select_related("warehouse")
            elif name == "campaign":
                field.queryset = selectors.campaign_list(scope=scope)


class LotChoice(forms.ModelChoiceField):
    """A lot, named by its item, warehouse, code, quantity and expiry."""

    def label_from_instance(self, lot):
        expiry = f" · {lot.expires_on:%Y-%m-%d}" if lot.expires_on else ""
        amount = quantity_to_decimal(lot.quantity, quantum=lot.item.quantum).normalize()
        return f"{lot.item.name} · {lot.warehouse.name} · {lot.code} ({amount}){expiry}"


class ReceiveForm(_StockForm, _DonorFields):
    """Goods received into a warehouse (a gift in kind, with its receipt)."""

    warehouse = forms.ModelChoiceField(
        Warehouse.objects.none(), label=_("Warehouse"), empty_label=_("Choose one")
    )
    item = forms.ModelChoiceField(
        Item.objects.order_by("category", "name"),
        label=_("Item"),
        to_field_name="slug",
        empty_label=_("Choose one"),
    )
    quantity = forms.DecimalField(
        label=_("Quantity"), max_digits=16, decimal_places=3, widget=forms.TextInput(DECIMAL)
    )
    lot_code = forms.CharField(label=_("Lot or batch number"), max_length=60, required=False)
    expires_on = forms.DateField(label=_("Expires (if it does)"), required=False, widget=DATE)
    value = forms.DecimalField(
        label=_("Value in RMB (empty: the catalogue's price)"),
        required=False,
        max_digits=14,
        decimal_places=2,
        widget=forms.TextInput(DECIMAL),
    )
    donor_kind = forms.ChoiceField(
        label=_("Donor"), choices=DonorKind.choices, initial=DonorKind.ORGANIZATION
    )
    field_order = ["warehouse", "item", "quantity", "lot_code", "expires_on", "value", "donor_kind"]


class TransferForm(_StockForm):
    """Move part of a lot to another warehouse."""

    lot = LotChoice(Lot.objects.none(), label=_("From lot"), empty_label=_("Choose one"))
    to_warehouse = forms.ModelChoiceField(
        Warehouse.objects.none(), label=_("To warehouse"), empty_label=_("Choose one")
    )
    quantity = forms.DecimalField(
        label=_("Quantity"), max_digits=16, decimal_places=3, widget=forms.TextInput(DECIMAL)
    )


class IssueForm(_StockForm):
    """Issue goods from a lot to a recipient."""

    lot = LotChoice(Lot.objects.none(), label=_("From lot"), empty_label=_("Choose one"))
    quantity = forms.DecimalField(
        label=_("Quantity"), max_digits=16, decimal_places=3, widget=forms.TextInput(DECIMAL)
    )
    recipient = forms.CharField(label=_("Given to"), max_length=200)
    region = RegionField(permission="relief.stock", label=_("In which region"))
    purpose = forms.CharField(label=_("Purpose"), max_length=60, required=False)


class RequestForm(PageForm):
    """A request for supplies, with up to five lines."""

    requester_kind = forms.ChoiceField(
        label=_("Who asks"), choices=SupplyRequest.RequesterKinds.choices
    )
    requester_name = forms.CharField(
        label=_("Name of the hospital, site or community"), max_length=200
    )
    region = RegionField(permission="relief.request", label=_("Where"))
    needed_by = forms.DateField(label=_("Needed by"), widget=DATE)
    priority = forms.TypedChoiceField(
        label=_("Priority"),
        choices=[("", _("By the kind of requester"))] + list(SupplyRequest.Priorities.choices),
        coerce=int,
        empty_value=None,
        required=False,
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args, scope: Scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].set_scope(scope)
        self.fields["needed_by"].initial = clock.today()
        items = Item.objects.order_by("category", "name")
        self.service_fields = {"lines": "item_1"}
        for n in range(1, REQUEST_LINES + 1):
            self.fields[f"item_{n}"] = forms.ModelChoiceField(
                items,
                label=_("Item %(n)s") % {"n": n},
                to_field_name="slug",
                required=False,
                empty_label="—",
            )
            self.fields[f"quantity_{n}"] = forms.DecimalField(
                label=_("Quantity %(n)s") % {"n": n},
                required=False,
                max_digits=16,
                decimal_places=3,
                widget=forms.TextInput(DECIMAL),
            )
            self.service_fields[f"lines.{n - 1}.quantity"] = f"quantity_{n}"
            self.service_fields[f"lines.{n - 1}.item"] = f"item_{n}"
            self.service_fields[f"lines.{n - 1}"] = f"item_{n}"

    def clean(self):
        data = super().clean()
        lines = []
        for n in range(1, REQUEST_LINES + 1):
            item, quantity = data.get(f"item_{n}"), data.get(f"quantity_{n}")
            if item is None and quantity is None:
                continue
            if item is None:
                self.add_error(f"item_{n}", _("Choose the item of this quantity."))
            elif quantity is None:
                self.add_error(f"quantity_{n}", _("Give the quantity of this item."))
            else:
                lines.append((item.slug, quantity))
        if not lines and not self.errors:
            self.add_error("item_1", _("Ask for at least one item."))
        data["lines"] = lines
        return data
