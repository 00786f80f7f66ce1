"""Forms of the deliveries pages (the services check the rules again)."""

from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from coproduce.accounts.models import RoleAssignment
from coproduce.accounts.permissions import Scope
from coproduce.accounts.rules import roles_granting
from coproduce.core.forms import PageForm
from coproduce.deliveries.models import DeliveryOrder
from coproduce.deliveries.services import LineInput
from coproduce.people.pickers import PersonField


def couriers(scope: Scope):
    """Accounts that may deliver within the scope: its organizations' volunteers and staff."""
    held = RoleAssignment.objects.filter(role__in=roles_granting("deliveries.deliver")).filter(
        scope.q(region_field="region", org_field="organization")
    )
    return (
        get_user_model()
        .objects.filter(is_active=True, pk__in=held.values("user_id"))
        .order_by("username")
    )


class AssignForm(PageForm):
    """Give a run to a volunteer of the scope."""

    assignee = forms.ModelChoiceField(
        get_user_model().objects.none(),
        label=_("Volunteer"),
        to_field_name="username",
        empty_label=_("Choose one"),
    )

    def __init__(self, *args, scope: Scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = couriers(scope)
        self.fields["assignee"].label_from_instance = lambda u: (
            f"{u.volunteer_profile.name} ({u.username})"
            if hasattr(u, "volunteer_profile")
            else u.username
        )


class FeedbackForm(PageForm):
    """The household's word on a delivered order."""

    rating = forms.TypedChoiceField(
        label=_("How did it go?"),
        choices=[(5, "★★★★★"), (4, "★★★★"), (3, "★★★"), (2, "★★"), (1, "★")],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea({"rows": 2}),
    )


class ProxyOrderForm(PageForm):
    """An order placed for a household by a volunteer or coordinator (someone without a phone)."""

    person = PersonField(permission="deliveries.proxy", label=_("For whom"))
    kind = forms.ChoiceField(label=_("What do they need?"), choices=DeliveryOrder.Kind.choices)
    description = forms.CharField(
        label=_("Medicine or other needs (described)"), max_length=200, required=False
    )
    note = forms.CharField(label=_("Note for the volunteer"), max_length=300, required=False)

    def __init__(self, *args, scope: Scope, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].set_scope(scope)
        self.items = list(items)
        for item in self.items:
            self.fields[f"qty-{item.slug}"] = forms.DecimalField(
                label=_("%(item)s (%(unit)s, RMB %(price)s)")
                % {
                    "item": item.name_zh
                    if item.name_zh and (get_language() or "").startswith("zh")
                    else item.name,
                    "unit": item.get_unit_display(),
                    "price": item.unit_value,
                },
                required=False,
                min_value=0,
                max_digits=10,
                decimal_places=3,
                widget=forms.TextInput({"inputmode": "decimal", "placeholder": "0"}),
            )
        self.order_fields(["person", "kind"])

    def clean_person(self):
        person = self.cleaned_data["person"]
        if person is not None and person.household_id is None:
            raise forms.ValidationError(_("This person has no household yet: add one first."))
        return person

    def lines(self):
        """The order's lines as the service takes them."""
        data = self.cleaned_data
        lines = [
            LineInput(item=item.slug, quantity=data[f"qty-{item.slug}"], unit_price=item.unit_value)
            for item in self.items
            if data.get(f"qty-{item.slug}")
        ]
        if data.get("description", "").strip():
            lines.append(
                LineInput(description=data["description"], quantity=1, unit_price=Decimal(0))
            )
        return lines
