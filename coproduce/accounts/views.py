"""Sign-in, sign-out and the home page that lists each role's modules."""

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.http import HttpRequest
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from coproduce.accounts.devices import remember_device
from coproduce.accounts.forms import SignInForm, retry_after_seconds
from coproduce.accounts.navigation import modules_for
from coproduce.accounts.permissions import user_grants, user_roles
from coproduce.accounts.rules import Role

# How each role is named on the pages (the API keeps the codes of accounts.rules).
ROLE_TITLES = {
    Role.RESIDENT: _("Resident"),
    Role.VOLUNTEER: _("Volunteer"),
    Role.CHECKPOINT_STAFF: _("Checkpoint staff"),
    Role.CBO_COORDINATOR: _("Community organization coordinator"),
    Role.TRACER: _("Contact tracer"),
    Role.HEALTH_OFFICIAL: _("Health official"),
    Role.ENTERPRISE_REP: _("Enterprise representative"),
    Role.ASSOCIATION_STAFF: _("Association staff"),
    Role.COUNSELOR: _("Counselor"),
    Role.CLINICIAN: _("Clinician"),
    Role.PARTNER: _("Partner business"),
    Role.ADMIN: _("Administrator"),
}


class SignInView(LoginView):
    """Django's sign-in page with the limits on failed sign-ins: a locked attempt gets 429."""

    form_class = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        remember_device(self.request, response, form.get_user().get_username())
        return response

    def form_invalid(self, form):
        return sign_in_refused(form, super().form_invalid(form))


def sign_in_refused(form, response):
    """A refused attempt answers 429 with Retry-After (the main page and the back office)."""
    if getattr(form, "refusal", None) is not None:
        response.status_code = 429
        response["Retry-After"] = str(retry_after_seconds(form.refusal, form.refused_at))
    return response


@login_required
def home(request: HttpRequest):
    """The caller's modules, by role and the current stage, with the regions they hold them in."""
    roles = user_roles(request.user)
    # Only what the caller can open (accounts.navigation), the current stage's modules first.
    modules, banner = modules_for(request.user, with_banner=True)
    grants = [
        {"role": g.role, "title": ROLE_TITLES[g.role], "region_code": g.region_code}
        for g in user_grants(request.user)
    ]
    return render(
        request,
        "accounts/home.html",
        {"modules": modules, "grants": grants, "roles": sorted(roles), "stage": banner},
    )
