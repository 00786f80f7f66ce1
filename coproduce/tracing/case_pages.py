"""Case pages that need a person: report a case, add a contact named in the interview.

The resident is found with the person picker (name, phone, last four of the ID) within the
official's or tracer's scope; an unregistered contact's area with the region picker. The views
call the same services as `POST /cases` and `POST /cases/{id}/interview-contacts`.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coproduce.accounts.permissions import Scope, authorize
from coproduce.accounts.pickers import RegionField
from coproduce.core.errors import DomainError
from coproduce.core.forms import PageForm, refuse
from coproduce.people.pickers import PersonField
from coproduce.tracing import selectors, services

LOCAL_DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class _Scoped(PageForm):
    def __init__(self, *args, scope: Scope, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if hasattr(field, "set_scope"):
                field.set_scope(scope)


class CaseForm(_Scoped):
    """Report a case of a resident of the scope."""

    person = PersonField(permission="tracing.cases.manage", label=gettext_lazy("Resident"))
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        choices=[
            ("confirmed", gettext_lazy("confirmed")),
            ("suspected", gettext_lazy("suspected")),
            ("asymptomatic", gettext_lazy("asymptomatic")),
        ],
    )
    onset_date = forms.DateField(label=gettext_lazy("Symptom onset"), required=False, widget=DATE)
    test_date = forms.DateField(label=gettext_lazy("Test date"), required=False, widget=DATE)
    isolated_at = forms.DateTimeField(
        label=gettext_lazy("Isolated at"), required=False, widget=LOCAL_DATETIME
    )
    reporting_unit = forms.CharField(
        label=gettext_lazy("Reporting unit"), max_length=200, required=False
    )
    cluster = forms.CharField(label=gettext_lazy("Cluster"), max_length=40, required=False)


class InterviewForm(_Scoped):
    """A contact the case named: a known resident, or what is known of someone else."""

    person = PersonField(
        permission="tracing.contacts.add",
        label=gettext_lazy("A resident we know"),
        required=False,
        help_text=gettext_lazy("Or leave this empty and give what is known below."),
    )
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100, required=False)
    national_id = forms.CharField(
        label=gettext_lazy("ID number"),
        max_length=18,
        required=False,
        widget=forms.TextInput({"autocomplete": "off"}),
    )
    phone = forms.CharField(
        label=gettext_lazy("Phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput({"type": "tel"}),
    )
    home_region = RegionField(
        permission="tracing.contacts.add",
        label=gettext_lazy("Where they live (if not registered)"),
        required=False,
    )
    exposed_at = forms.DateTimeField(label=gettext_lazy("Exposed at"), widget=LOCAL_DATETIME)
    note = forms.CharField(label=gettext_lazy("Note"), max_length=300, required=False)

    def service_args(self) -> dict:
        data = dict(self.cleaned_data)
        region = data.pop("home_region")
        data["home_region"] = region.code if region else ""
        return data


@login_required
def case_new(request: HttpRequest):
    """Report a case (health officials of the resident's area)."""
    scope = authorize(request.user, "tracing.cases.manage")
    form = CaseForm(request.POST or None, scope=scope)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_report(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            refuse(form, exc)
        else:
            return redirect("tracing:case", case_id=case.pk)
    status = 422 if form.errors else 200
    return render(request, "tracing/case_new.html", {"form": form}, status=status)


@login_required
def interview_add(request: HttpRequest, case_id: int):
    """Add a contact named in the case's interview."""
    scope = authorize(request.user, "tracing.contacts.add")
    case = selectors.case_get(case_id=case_id, scope=scope)
    form = InterviewForm(request.POST or None, scope=scope)
    if request.method == "POST" and form.is_valid():
        try:
            services.interview_contact_add(case=case, actor=request.user, **form.service_args())
        except DomainError as exc:
            refuse(form, exc)
        else:
            messages.success(request, _("The contact was added."))
            return redirect("tracing:case", case_id=case.pk)
    context = {"form": form, "case": case}
    return render(request, "tracing/interview.html", context, status=422 if form.errors else 200)
