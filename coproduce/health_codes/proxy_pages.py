"""Staff record a family proxy for a resident of their scope (an elderly parent without a
phone whose daughter will report for them), with the consent given in person.

The same service as `POST /residents/{public_id}/proxies`; the resident is found with the
person picker, within the scope of `health_codes.proxy`. Reached from the People page.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coproduce.accounts.models import User
from coproduce.accounts.permissions import authorize
from coproduce.core.errors import DomainError
from coproduce.core.forms import PageForm, refuse
from coproduce.health_codes import services
from coproduce.people.pickers import PersonField


class StaffProxyForm(PageForm):
    """Who may manage whose code, and the consent as it was given."""

    person = PersonField(permission="health_codes.proxy", label=gettext_lazy("Resident"))
    username = forms.CharField(
        label=gettext_lazy("The family member's account name"), max_length=150
    )
    relation = forms.CharField(label=gettext_lazy("Relation (daughter, son, ...)"), max_length=40)
    consent = forms.CharField(
        label=gettext_lazy("How the resident consented"),
        max_length=300,
        initial=gettext_lazy("in person, before me"),
    )
    service_fields = {"user": "username"}

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].set_scope(scope)

    def clean_username(self):
        user = User.objects.filter(username=self.cleaned_data["username"], is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("No active account has that name."))
        return user


@login_required
def proxy_new(request: HttpRequest):
    """Record a family proxy for a resident of the scope."""
    scope = authorize(request.user, "health_codes.proxy")
    initial = {"person": request.GET.get("person", "")[:16] or None}
    form = StaffProxyForm(request.POST or None, scope=scope, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.proxy_grant(
                person=data["person"],
                user=data["username"],
                relation=data["relation"],
                consent=data["consent"],
                actor=request.user,
            )
        except DomainError as exc:
            refuse(form, exc)
        else:
            messages.success(
                request,
                _("%(user)s can now manage the code of %(name)s.")
                % {"user": data["username"].get_username(), "name": data["person"].name},
            )
            return redirect("people:detail", public_id=data["person"].public_id)
    status = 422 if form.errors else 200
    return render(request, "health_codes/proxy_new.html", {"form": form}, status=status)
