"""Quarantine pages that need a person, a region or a confirmation: order one person into
quarantine (person picker), open a site (region picker), and order a case's contacts by degree
(an irreversible bulk action: the page says who would be ordered and asks to confirm).
"""

from collections import Counter

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coproduce.accounts.permissions import Scope, authorize
from coproduce.accounts.pickers import RegionField
from coproduce.core import clock
from coproduce.core.errors import DomainError
from coproduce.core.forms import PageForm, refuse
from coproduce.people.pickers import PersonField
from coproduce.tracing import rules, selectors, services
from coproduce.tracing.models import Contact, QuarantineOrder, QuarantineSite
from coproduce.tracing.policy import tracing_policy


class SiteChoice(forms.ModelChoiceField):
    def label_from_instance(self, site):
        return _("%(name)s (%(free)s free)") % {"name": site.name, "free": site.free}


class OrderForm(PageForm):
    """Order one resident of the scope into quarantine."""

    person = PersonField(permission="tracing.orders.manage", label=gettext_lazy("Resident"))
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=QuarantineOrder.Kind.choices)
    site = SiteChoice(
        QuarantineSite.objects.none(),
        label=gettext_lazy("Site (centralized)"),
        required=False,
        empty_label="—",
    )
    reason = forms.ChoiceField(label=gettext_lazy("Reason"), choices=QuarantineOrder.Reason.choices)
    start_date = forms.DateField(
        label=gettext_lazy("Start"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    why = forms.CharField(label=gettext_lazy("Why"), max_length=500, required=False)

    def __init__(self, *args, scope: Scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].set_scope(scope)
        self.fields["site"].queryset = selectors.site_list(scope=scope)
        self.fields["start_date"].initial = clock.today()


class SiteForm(PageForm):
    """A centralized quarantine site."""

    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    region = RegionField(permission="tracing.orders.manage", label=gettext_lazy("Where"))
    capacity = forms.IntegerField(label=gettext_lazy("Places"), min_value=1, max_value=100_000)

    def __init__(self, *args, scope: Scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].set_scope(scope)


@login_required
def order_new(request: HttpRequest):
    """Order one person into quarantine (contacts, or arrivals from a risk region)."""
    scope = authorize(request.user, "tracing.orders.manage")
    form = OrderForm(request.POST or None, scope=scope)
    if request.method == "POST" and form.is_valid():
        try:
            order, _created = services.order_create(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            refuse(form, exc)
        else:
            messages.success(
                request, _("%(name)s is ordered into quarantine.") % {"name": order.person.name}
            )
            return redirect("tracing:orders")
    status = 422 if form.errors else 200
    return render(request, "tracing/order_new.html", {"form": form}, status=status)


@login_required
def site_new(request: HttpRequest):
    """Open a centralized quarantine site in a region of the scope."""
    scope = authorize(request.user, "tracing.orders.manage")
    form = SiteForm(request.POST or None, scope=scope)
    if request.method == "POST" and form.is_valid():
        authorize(request.user, "tracing.orders.manage", region=form.cleaned_data["region"])
        try:
            services.site_create(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            refuse(form, exc)
        else:
            messages.success(request, _("The site is open."))
            return redirect("tracing:orders")
    status = 422 if form.errors else 200
    return render(request, "tracing/site_new.html", {"form": form}, status=status)


@login_required
def contacts_quarantine(request: HttpRequest, case_id: int):
    """Order a case's contacts into quarantine by degree, after the official confirms."""
    scope = authorize(request.user, "tracing.cases.manage")
    case = selectors.case_get(case_id=case_id, scope=scope)
    services.contacts_refresh(case=case, actor=request.user)  # what is confirmed is current
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        try:
            done = services.orders_for_contacts(case=case, actor=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("%(n)s contacts ordered into quarantine.") % {"n": done})
        return redirect("tracing:case", case_id=case.pk)
    policy = tracing_policy()
    kinds = Counter(
        rules.quarantine_order_for(degree=degree, policy=policy)
        for degree in Contact.objects.filter(case=case).values_list("degree", flat=True)
    )
    context = {
        "case": case,
        "centralized": kinds.get(rules.QuarantineKind.CENTRALIZED, 0),
        "home": kinds.get(rules.QuarantineKind.HOME, 0),
    }
    return render(request, "tracing/contacts_quarantine.html", context)
