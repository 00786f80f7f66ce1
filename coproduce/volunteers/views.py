"""Volunteer pages: my volunteering (calls, check-in, records), calls, records to confirm, report."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coproduce.accounts.permissions import authorize, scope_for
from coproduce.core import clock
from coproduce.core.errors import DomainError
from coproduce.core.forms import refuse
from coproduce.core.paging import page_of
from coproduce.regions.models import Region
from coproduce.volunteers import forms, selectors, services


def _fail(request, exc: DomainError):
    messages.error(request, exc.message)


@login_required
def home(request: HttpRequest):
    """A volunteer's page: register, check in or out, calls in range, sign-ups and records."""
    me = selectors.volunteer_of_user(user=request.user)
    staff = not scope_for(request.user, "volunteers.view").empty
    if request.method == "POST":
        try:
            _act(request, me)
        except DomainError as exc:
            _fail(request, exc)
        if request.htmx and me is not None:
            return render(request, "volunteers/_mine.html", _mine(me))
        return redirect("volunteers:home")
    context = {"me": me, "staff": staff, "form": forms.RegisterForm()}
    context["can_void"] = not scope_for(request.user, "volunteers.void").empty
    if me is not None:
        context.update(_mine(me))
    return render(request, "volunteers/home.html", context)


def _mine(me) -> dict:
    now = clock.now()
    signed = selectors.signups_of(volunteer=me).filter(end__gt=now)
    return {
        "me": me,
        "calls": selectors.calls_in_range(volunteer=me, now=now)[:30],
        "signed_calls": {s.call_id for s in signed},
        "signups": signed,
        "records": selectors.records_of(volunteer=me)[:20],
        "open_record": selectors.records_of(volunteer=me).filter(status="checked_in").first(),
    }


def _act(request, me) -> None:
    action = request.POST.get("action")
    if action == "register":
        form = forms.RegisterForm(request.POST)
        if not form.is_valid():
            raise DomainError(_("Check the form: %(e)s") % {"e": form.errors.as_text()})
        home_region = Region.objects.filter(code=form.cleaned_data["home_region"]).first()
        if home_region is None:
            raise DomainError(_("No region has this code."))
        services.volunteer_register(
            actor=request.user, user=request.user, home_region=home_region, **form.profile()
        )
        messages.success(request, _("Welcome! You are registered as a volunteer."))
        return
    me = selectors.volunteer_require(user=request.user)
    if action == "signup":
        call = selectors.call_for_volunteer(call_id=int(request.POST["call"]), volunteer=me)
        services.signup_create(call=call, volunteer=me, actor=request.user)
        messages.success(request, _("You are signed up."))
    elif action == "cancel":
        signup = selectors.signups_of(volunteer=me).filter(call_id=request.POST["call"]).first()
        if signup:
            services.signup_cancel(signup=signup, actor=request.user)
            messages.success(request, _("Your place was given back."))
    elif action in {"check_in", "check_out"}:
        do = services.check_in if action == "check_in" else services.check_out
        do(volunteer=me, payload=request.POST.get("payload", "")[:40], actor=request.user)
        messages.success(
            request, _("Checked in.") if action == "check_in" else _("Checked out: thank you!")
        )


@login_required
def calls(request: HttpRequest):
    """Calls of the coordinator's organization: post one, see who signed up."""
    scope = authorize(request.user, "volunteers.view")
    form = forms.CallForm(request.POST or None, scope=scope)
    if request.method == "POST":
        authorize(request.user, "volunteers.manage")
        if form.is_valid():
            try:
                org, region = form.cleaned_data["organization"], form.cleaned_data["region"]
                authorize(request.user, "volunteers.manage", region=region, organization_id=org.pk)
                services.call_create(actor=request.user, **form.cleaned_data)
                messages.success(request, _("The call is posted."))
                return redirect("volunteers:calls")
            except DomainError as exc:
                _fail(request, exc)
    items = selectors.call_list(scope=scope, upcoming_from=clock.now())[:100]
    return render(request, "volunteers/calls.html", {"calls": items, "form": form})


@login_required
def records(request: HttpRequest):
    """Service records waiting for a second party's confirmation, in the caller's scope."""
    scope = authorize(request.user, "volunteers.records")
    if request.method == "POST":
        record = selectors.record_get(record_id=int(request.POST.get("record", 0)), scope=scope)
        try:
            if request.POST.get("action") == "confirm":
                record = services.service_record_confirm(record=record, actor=request.user)
            else:
                reason = request.POST.get("reason") or _("Not confirmed by the site")
                record = services.service_record_reject(
                    record=record, actor=request.user, reason=reason
                )
        except DomainError as exc:
            _fail(request, exc)
        if request.htmx:
            return render(request, "volunteers/_record_row.html", {"r": record, "decided": True})
        return redirect("volunteers:records")
    pending = selectors.record_list(scope=scope, status="pending")[:100]
    return render(request, "volunteers/records.html", {"records": pending})


@login_required
def report(request: HttpRequest):
    """Volunteers mobilized and confirmed hours by region, organization, activity and stage."""
    scope = authorize(request.user, "volunteers.report")
    by = request.GET.get("by", "region")
    by = by if by in selectors.REPORT_DIMENSIONS else "region"
    rows = selectors.volunteer_report(scope=scope, by=by)
    context = {"rows": rows, "by": by, "totals": selectors.volunteer_totals(scope=scope)}
    context["dimensions"] = selectors.REPORT_DIMENSIONS
    template = "volunteers/_report_rows.html" if request.htmx else "volunteers/report.html"
    return render(request, template, context)


@login_required
def teams(request: HttpRequest):
    """Teams of the caller's organizations with their members; a coordinator makes one (POST)."""
    scope = authorize(request.user, "volunteers.view")
    manage = scope_for(request.user, "volunteers.manage")
    form = None if manage.empty else forms.TeamForm(request.POST or None, scope=manage)
    if request.method == "POST":
        manage = authorize(request.user, "volunteers.manage")
        if form.is_valid():
            data = dict(form.cleaned_data)
            org, region = data["organization"], data["region"]
            authorize(request.user, "volunteers.manage", region=region, organization_id=org.pk)
            try:
                services.team_create(
                    organization=org, name=data["name"], region=region, actor=request.user
                )
            except DomainError as exc:
                refuse(form, exc)
            else:
                messages.success(request, _("The team is made."))
                return redirect("volunteers:teams")
    page = page_of(request, selectors.team_list(scope=scope).prefetch_related("members"))
    context = {
        "page": page,
        "form": form,
        "member_form": None if manage.empty else forms.MemberForm(scope=manage),
    }
    return render(
        request, "volunteers/teams.html", context, status=422 if form and form.errors else 200
    )


@login_required
@require_POST
def team_member_add(request: HttpRequest, team_id: int):
    """Add a volunteer of the scope to a team."""
    scope = authorize(request.user, "volunteers.manage")
    team = selectors.team_get(team_id=team_id, scope=scope)
    form = forms.MemberForm(request.POST, scope=scope)
    if form.is_valid():
        services.team_member_add(
            team=team, volunteer=form.cleaned_data["volunteer"], actor=request.user
        )
        messages.success(request, _("Added to the team."))
    else:
        messages.error(request, _("Choose a volunteer from the list."))
    return redirect("volunteers:teams")


@login_required
def confirmed_records(request: HttpRequest):
    """Confirmed service records in the official's scope, each of which can be voided."""
    scope = authorize(request.user, "volunteers.void")
    page = page_of(
        request,
        selectors.record_list(scope=scope, status="confirmed").select_related("volunteer", "place"),
    )
    return render(request, "volunteers/confirmed.html", {"page": page, "form": forms.VoidForm()})


@login_required
def record_void(request: HttpRequest, record_id: int):
    """Void a confirmed record found wrong: its hours are reversed (the reason is asked first)."""
    scope = authorize(request.user, "volunteers.void")
    record = selectors.record_get(record_id=record_id, scope=scope)
    form = forms.VoidForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.service_record_void(
                record=record, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            refuse(form, exc)
        else:
            messages.success(request, _("The record is voided and its hours reversed."))
            return redirect("volunteers:confirmed")
    context = {"record": record, "form": form}
    return render(request, "volunteers/void.html", context, status=422 if form.errors else 200)
