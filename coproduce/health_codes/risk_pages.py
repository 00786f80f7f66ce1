"""The officials' page of region risk levels: set one from a date, read a region's history.

It calls the service of `PUT /regions/{code}/risk` (regions.services.region_risk_set) after the
same authorization; the region is chosen with the region picker, within the official's scope.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coproduce.accounts.permissions import authorize
from coproduce.accounts.pickers import RegionField, region_in_scope
from coproduce.core import clock
from coproduce.core.errors import DomainError
from coproduce.core.forms import PageForm, refuse
from coproduce.core.paging import page_of
from coproduce.regions.models import RegionRiskLevel
from coproduce.regions.selectors import risk_history, risk_levels_at
from coproduce.regions.services import region_risk_set


class RiskForm(PageForm):
    """Set a region's risk level from a date."""

    region = RegionField(permission="regions.set_risk", label=gettext_lazy("Region"))
    level = forms.ChoiceField(
        label=gettext_lazy("Risk level"),
        choices=RegionRiskLevel.Levels.choices,
        widget=forms.RadioSelect,
    )
    effective_from = forms.DateField(
        label=gettext_lazy("From"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    note = forms.CharField(label=gettext_lazy("Why (optional)"), max_length=300, required=False)

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].set_scope(scope)
        self.fields["effective_from"].initial = clock.today()


@login_required
def risk_levels(request: HttpRequest):
    """Risk levels in the official's scope: set one (POST); a region's history (`?region=`)."""
    scope = authorize(request.user, "regions.set_risk")
    region = None
    if request.GET.get("region"):
        region = region_in_scope(code=request.GET["region"], scope=scope)
    form = RiskForm(request.POST or None, scope=scope, initial={"region": region})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        chosen = data.pop("region")
        authorize(request.user, "regions.set_risk", region=chosen)
        try:
            region_risk_set(region=chosen, actor=request.user, **data)
        except DomainError as exc:
            refuse(form, exc)
        else:
            messages.success(
                request,
                _("%(region)s is now %(level)s risk from %(day)s.")
                % {
                    "region": chosen.name,
                    "level": RegionRiskLevel.Levels(data["level"]).label,
                    "day": data["effective_from"].isoformat(),
                },
            )
            return redirect(reverse("health_codes:risk") + f"?region={chosen.code}")
    recent = RegionRiskLevel.objects.select_related("region", "set_by").filter(
        scope.region_q("region")
    )
    current = (
        risk_levels_at(paths={region.code: region.path}, on=clock.today())[region.code]
        if region
        else None
    )
    context = {
        "form": form,
        "region": region,
        "current": current,
        "current_label": RegionRiskLevel.Levels(current).label if current else "",
        "history": risk_history(region=region)[:100] if region else [],
        "page": page_of(request, recent.order_by("-set_at", "-id")),
    }
    return render(request, "health_codes/risk.html", context, status=422 if form.errors else 200)
