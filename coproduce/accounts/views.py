"""Sign-in, sign-out and the home page that lists each role's modules."""

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.http import HttpRequest
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from coproduce.accounts.forms import SignInForm, retry_after_seconds
from coproduce.accounts.permissions import user_grants, user_roles
from coproduce.accounts.rules import Role, home_modules
from coproduce.accounts.signals import home_modules_ordering

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

# name -> (title, what it is for, URL name of its first page)
MODULES = {
    "resident": (
        _("My health code"),
        _("Your code, daily report and declaration."),
        "health_codes:mine",
    ),
    "people": (
        _("People"),
        _("Register residents, by proxy too; households; duplicates."),
        "people:list",
    ),
    "health_codes": (
        _("Health codes"),
        _("Codes by color, appeals, a person's code history."),
        "health_codes:officials",
    ),
    "checkpoints": (
        _("Checkpoints"),
        _("Scan codes, take temperatures, staff shifts."),
        "checkpoints:list",
    ),
    "tracing": (_("Contact tracing"), _("Cases, contacts, rounds and tasks."), "tracing:tasks"),
    "volunteers": (
        _("Volunteers"),
        _("Calls for volunteers, teams and service records."),
        "volunteers:home",
    ),
    "timebank": (_("Voluntary Bank"), _("Hours earned, given and redeemed."), "timebank:home"),
    "relief": (
        _("Donations and supplies"),
        _("Campaigns, stock, requests and allocation."),
        "relief:home",
    ),
    "deliveries": (
        _("Deliveries"),
        _("Groceries and medicine for households in quarantine."),
        "deliveries:home",
    ),
    "recovery": (
        _("Enterprise recovery"),
        _("Resumption, procurement and labor sharing."),
        "recovery:home",
    ),
    "labor": (
        _("Labor sharing"),
        _("Surplus and short workers, matching, agreements, the labor map."),
        "labor:home",
    ),
    "care": (
        _("Counseling and clinic"),
        _("Hotline, sessions and the voluntary clinic."),
        "care:home",
    ),
    "organizations": (
        _("Organizations"),
        _("Community organizations and their members."),
        "orgs:list",
    ),
    "stages": (
        _("Response stage"),
        _("Your region's stage, what each stage asks of organizations, suggested changes."),
        "stages:home",
    ),
    "dashboard": (_("Dashboard"), _("The overview of your region."), "dashboard:home"),
    "admin": (_("Back office"), _("Users, roles, regions and the audit trail."), "admin:index"),
    "visits": (
        _("Visits"),
        _("Record a visit by scanning a place code."),
        "checkpoints:visit",
    ),
}


class SignInView(LoginView):
    """Django's sign-in page with the limits on failed sign-ins: a locked attempt gets 429."""

    form_class = SignInForm
    redirect_authenticated_user = True

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.refusal is not None:
            response.status_code = 429
            response["Retry-After"] = str(retry_after_seconds(form.refusal, form.refused_at))
        return response


def _link(url_name: str) -> str | None:
    try:
        return reverse(url_name)
    except NoReverseMatch:
        return None  # a module not installed in this deployment is listed without a link


@login_required
def home(request: HttpRequest):
    """The caller's modules, by role, with the regions they hold them in."""
    roles = user_roles(request.user)
    names, banner = home_modules(roles), None
    for _receiver, answer in home_modules_ordering.send(
        sender=None, user=request.user, modules=names
    ):
        if answer:
            names, banner = answer["modules"], answer.get("banner")
    modules = [
        {
            "name": name,
            "title": MODULES[name][0],
            "text": MODULES[name][1],
            "url": _link(MODULES[name][2]),
        }
        for name in names
    ]
    grants = [
        {"role": g.role, "title": ROLE_TITLES[g.role], "region_code": g.region_code}
        for g in user_grants(request.user)
    ]
    return render(
        request,
        "accounts/home.html",
        {"modules": modules, "grants": grants, "roles": sorted(roles), "stage": banner},
    )
