"""Pages of health codes: my code, daily report, registration with declaration, card, officials'
overview and code history, appeals and family proxies. Each view serves the page or its htmx
partial, and calls the same services and selectors as the API."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coproduce.accounts.models import User
from coproduce.accounts.permissions import authorize, scope_for
from coproduce.core import clock
from coproduce.core.errors import Conflict, DomainError, NotFound
from coproduce.health_codes import forms, qrcodes, rules, selectors, services, texts
from coproduce.health_codes.api import (
    code_out,
    current_state,
    person_for_request,
    proxy_for_request,
)
from coproduce.people import selectors as people_selectors
from coproduce.people.services import DeclarationInput, TravelInput, person_open, person_register


def _person(request: HttpRequest, public_id: str | None, permission: str):
    """The caller's own record, or (with an id) a family member's or one in staff scope."""
    if public_id:
        return person_for_request(request, public_id, permission)
    own = people_selectors.person_of_user(user=request.user)
    if own is None:
        raise NotFound(_("You are not registered yet."), code="not_registered")
    return own, "self"


def _code_context(person) -> dict:
    state = current_state(person)
    code = code_out(person, state, with_token=True)
    color = rules.Color(code["color"])
    return {
        "person": person,
        "code": code,
        "color_name": texts.COLOR_TEXT[color],
        "color_meaning": texts.COLOR_MEANING[color],
        "qr": qrcodes.qr_svg(
            code["payload"], color=color, scale=8, title=str(texts.COLOR_TEXT[color]), fluid=True
        ),
        # Refresh well before the token expires (24 h): every 10 minutes while the page is open.
        "refresh_seconds": 600,
    }


@login_required
def my_code(request: HttpRequest, public_id: str | None = None):
    """The code in its color with a large QR, the reasons and the reports remaining."""
    try:
        person, how = _person(request, public_id, "health_codes.view")
    except NotFound:
        if public_id is None:
            return redirect("health_codes:register")
        raise
    context = _code_context(person) | {
        "how": how,
        "family": selectors.managed_people(user=request.user) if how == "self" else [],
        "appeals": selectors.appeals_of(person=person)[:5],
        "reported_today": selectors.reported_on(person=person, day=clock.today()),
        "appeal_form": forms.AppealForm(),
    }
    template = "health_codes/_code.html" if request.htmx else "health_codes/mine.html"
    return render(request, template, context)


@login_required
def report(request: HttpRequest, public_id: str | None = None):
    """The daily report form: temperature and symptoms, for oneself, a family member or by proxy."""
    person, how = _person(request, public_id, "health_codes.report")
    form = forms.ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_file(
                person=person,
                report=services.ReportInput(
                    on=clock.today(),
                    temperature_c=form.cleaned_data["temperature_c"],
                    symptoms=form.cleaned_data["symptoms"],
                ),
                actor=request.user,
                by_proxy=how != "self",
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("Your daily report was filed. Thank you."))
            if how == "staff":
                return redirect("health_codes:history", public_id=person.public_id)
            return redirect(_mine_url(person, how))
    recent = selectors.report_list(person=person, limit=14)
    return render(
        request,
        "health_codes/report.html",
        {"form": form, "person": person, "how": how, "recent": recent, "today": clock.today()},
    )


def _mine_url(person, how: str) -> str:
    if how == "self":
        return reverse("health_codes:mine")
    return reverse("health_codes:person_code", kwargs={"public_id": person.public_id})


@login_required
def register(request: HttpRequest):
    """Registration with declaration: a resident for themselves, or staff for others (proxy)."""
    staff_scope = scope_for(request.user, "people.register")
    proxy = not staff_scope.empty
    if not proxy and people_selectors.person_of_user(user=request.user) is not None:
        return redirect("health_codes:mine")
    form = forms.RegistrationForm(request.POST or None, proxy=proxy, scope=staff_scope)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if proxy:
                authorize(request.user, "people.register", region=form.home_region)
            person = person_register(
                national_id=data["national_id"],
                name=data["name"],
                phone=data["phone"],
                home_region=data["home_region"],
                actor=request.user,
                own_account=None if proxy else request.user,
                declaration=DeclarationInput(
                    travel=[TravelInput(region=r, date=d) for r, d in data["travel"]],
                    case_contact=data["case_contact"],
                    symptoms=data["symptoms"],
                ),
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            if proxy:
                messages.success(request, _("Registered. Print this code card for them."))
                return redirect("health_codes:card", public_id=person.public_id)
            messages.success(request, _("Registered. This is the health code."))
            return redirect("health_codes:mine")
    return render(request, "health_codes/register.html", {"form": form, "proxy": proxy})


@login_required
def card(request: HttpRequest, public_id: str):
    """A printable code card for someone without a phone (identity only; no color)."""
    person, _how = person_for_request(request, public_id, "health_codes.card")
    token = services.token_issue_for(person=person, kind="card")
    svg = qrcodes.card_svg(
        token.payload,
        name=person.name,
        subject=person.public_id,
        lines=(
            _("Coproduce code card"),
            _("Valid until %(date)s") % {"date": token.claims.expires_at.date().isoformat()},
            _("Show it at checkpoints."),
        ),
    )
    return render(request, "health_codes/card.html", {"person": person, "svg": svg})


@login_required
def officials(request: HttpRequest):
    """Officials' overview: codes by color in scope, non-green people, open appeals, search."""
    scope = authorize(request.user, "health_codes.view")
    color = request.GET.get("color") or None
    if color not in {None, "yellow", "red"}:
        color = None
    search = request.GET.get("q", "")[:100]
    manage = scope_for(request.user, "health_codes.manage")
    found = [
        (p, manage.covers(p.home_region.path))
        for p in (people_selectors.person_list(scope=scope, search=search)[:20] if search else [])
    ]
    context = {
        "counts": selectors.code_counts(scope=scope),
        "codes": selectors.non_green_list(scope=scope, color=color, limit=100),
        "appeals": (
            selectors.appeal_list(scope=manage, status="open")[:50] if not manage.empty else []
        ),
        "color": color,
        "q": search,
        "found": found,
        # the code history is for officials: others' links open the person's code
        "history": not scope_for(request.user, "health_codes.history").empty,
        "perms_risk": not scope_for(request.user, "regions.set_risk").empty,
    }
    template = "health_codes/_non_green.html" if request.htmx else "health_codes/officials.html"
    return render(request, template, context)


@login_required
def history(request: HttpRequest, public_id: str):
    """One person's code history: conditions with every change, reports, appeals (audited).

    Officials who may manage the person's conditions impose, lengthen and end them here.
    """
    scope = authorize(request.user, "health_codes.history")
    person = person_open(
        person=people_selectors.person_get(public_id=public_id, scope=scope), actor=request.user
    )
    context = _record_context(request, person, as_of=_date(request.GET.get("as_of")))
    return render(
        request,
        "health_codes/history.html",
        context
        | {
            "reports": selectors.report_list(person=person, limit=30),
            "appeals": selectors.appeals_of(person=person),
        },
    )


def _record_context(
    request: HttpRequest, person, *, as_of=None, notice: str = "", bound=None
) -> dict:
    """The person's record as officials see it: the code, then the conditions with their forms.

    `bound` is a form that failed (shown with its errors in place of a fresh one).
    """
    today = clock.today()
    state = selectors.code_state(person=person, as_of=as_of)
    manage = scope_for(request.user, "health_codes.manage").covers(person.home_region.path)
    failed = {bound.prefix: bound} if bound is not None else {}
    rows = []
    for row in selectors.condition_rows(person=person, today=today):
        c = row.condition
        lengthen = end = None
        if manage and row.open and not c.follows_tracing:
            if c.kind != rules.ConditionKind.ACTIVE_CASE:
                lengthen = failed.get(f"c{c.pk}-lengthen") or forms.ConditionLengthenForm(
                    condition=c, today=today, prefix=f"c{c.pk}-lengthen"
                )
            end = failed.get(f"c{c.pk}-end") or forms.ConditionEndForm(
                condition=c, today=today, prefix=f"c{c.pk}-end"
            )
        rows.append((row, lengthen, end))
    impose = failed.get("impose") or forms.ConditionImposeForm(today=today, prefix="impose")
    return {
        "person": person,
        "state": state,
        "code": code_out(person, state, with_token=False),
        "color_name": texts.COLOR_TEXT[state.color],
        "as_of": as_of,
        "manage": manage,
        "impose_form": impose,
        "rows": rows,
        "today": today,
        "notice": notice,
    }


def _managed_person(request: HttpRequest, public_id: str):
    """A person whose conditions the caller manages (404 outside their scope), audited."""
    scope = authorize(request.user, "health_codes.manage")
    person = people_selectors.person_get(public_id=public_id, scope=scope)
    return person_open(person=person, actor=request.user)


def _managed_condition(request: HttpRequest, condition_id: int):
    """A condition the caller may change from these pages; its person's record is audited."""
    scope = authorize(request.user, "health_codes.manage")
    condition = selectors.condition_get(condition_id=condition_id, scope=scope)
    if condition.follows_tracing:
        raise Conflict(
            _("This condition follows a case or an order in contact tracing: change it there."),
            code="condition_follows_tracing",
        )
    person_open(person=condition.person, actor=request.user)
    return condition


def _condition_answer(request: HttpRequest, person, form, *, done: str = "", condition=None):
    """After a condition form: the record with the new color (htmx) or the history page; a
    form with errors in place (htmx) or on its own page."""
    if request.htmx:
        context = _record_context(request, person, notice=done, bound=None if done else form)
        return render(request, "health_codes/_record.html", context)
    if done:
        messages.success(request, done)
        return redirect("health_codes:history", public_id=person.public_id)
    state = selectors.code_state(person=person)
    return render(
        request,
        "health_codes/condition_form.html",
        {
            "person": person,
            "form": form,
            "condition": condition,
            "code": code_out(person, state, with_token=False),
            "color_name": texts.COLOR_TEXT[state.color],
        },
    )


def _now_color(person) -> str:
    color = rules.Color(selectors.colors_of(person_ids=[person.pk])[person.pk])
    return _("The code is now %(color)s.") % {"color": texts.COLOR_TEXT[color]}


@login_required
def condition_new(request: HttpRequest, public_id: str):
    """Impose a case or a quarantine order on a person (health officials in scope)."""
    person = _managed_person(request, public_id)
    form = forms.ConditionImposeForm(request.POST or None, today=clock.today(), prefix="impose")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.condition_impose(
                person=person,
                kind=data["kind"],
                reason=data["reason"],
                starts_on=data["starts_on"],
                not_before=data["earliest_end"],
                actor=request.user,
                source=f"health_codes.official:{person.public_id}:{data['nonce']}",
                why=data["why"],
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            done = _("The condition was imposed.") + " " + _now_color(person)
            return _condition_answer(request, person, form, done=done)
    return _condition_answer(request, person, form)


@login_required
def condition_lengthen(request: HttpRequest, condition_id: int):
    """Lengthen an order: a later earliest end, with the reason recorded."""
    condition = _managed_condition(request, condition_id)
    form = forms.ConditionLengthenForm(
        request.POST or None,
        condition=condition,
        today=clock.today(),
        prefix=f"c{condition.pk}-lengthen",
    )
    if request.method == "POST" and form.is_valid():
        earliest = form.cleaned_data["earliest_end"]
        # A hard end before the new earliest end would cut the lengthened order short: lift it.
        lift = condition.ends_on is not None and condition.ends_on <= earliest
        try:
            services.condition_adjust(
                condition=condition,
                actor=request.user,
                why=form.cleaned_data["why"],
                not_before=earliest,
                **({"ends_on": None} if lift else {}),
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            done = _("The order was lengthened.") + " " + _now_color(condition.person)
            return _condition_answer(request, condition.person, form, done=done)
    return _condition_answer(request, condition.person, form, condition=condition)


@login_required
def condition_finish(request: HttpRequest, condition_id: int):
    """End a condition from a day (lifted, case closed, shortened), with the reason recorded."""
    condition = _managed_condition(request, condition_id)
    form = forms.ConditionEndForm(
        request.POST or None,
        condition=condition,
        today=clock.today(),
        prefix=f"c{condition.pk}-end",
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.condition_end(
                condition=condition,
                ends_on=form.cleaned_data["ends_on"],
                actor=request.user,
                why=form.cleaned_data["why"],
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            done = _("The condition was ended.") + " " + _now_color(condition.person)
            return _condition_answer(request, condition.person, form, done=done)
    return _condition_answer(request, condition.person, form, condition=condition)


def _date(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


@login_required
def appeal_file(request: HttpRequest, public_id: str | None = None):
    """A resident (or family proxy) disputes the color with a reason (POST from my code)."""
    person, how = _person(request, public_id, "health_codes.manage")
    form = forms.AppealForm(request.POST or None)
    if how != "staff" and request.method == "POST" and form.is_valid():
        try:
            services.appeal_file(
                person=person, reason=form.cleaned_data["reason"], actor=request.user
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Your appeal was sent. An official will review it."))
    return redirect(_mine_url(person, how))


@login_required
def appeal_decide(request: HttpRequest, appeal_id: int):
    """An official corrects the code or refuses the appeal, with a recorded reason."""
    scope = authorize(request.user, "health_codes.manage")
    appeal = selectors.appeal_get(appeal_id=appeal_id, scope=scope)
    form = forms.DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.appeal_decide(
                appeal=appeal,
                actor=request.user,
                outcome=form.cleaned_data["outcome"],
                decision=form.cleaned_data["decision"],
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The decision was recorded."))
            return redirect("health_codes:officials")
    state = selectors.code_state(person=appeal.person)
    return render(
        request,
        "health_codes/appeal.html",
        {
            "appeal": appeal,
            "form": form,
            "code": code_out(appeal.person, state, with_token=False),
            "conditions": selectors.condition_list(person=appeal.person),
        },
    )


@login_required
def family(request: HttpRequest):
    """The family members one manages, and granting a relative access to one's own code."""
    own = people_selectors.person_of_user(user=request.user)
    form = forms.ProxyForm(request.POST or None)
    if request.method == "POST" and own is not None and form.is_valid():
        user = User.objects.filter(username=form.cleaned_data["username"], is_active=True).first()
        if user is None:
            form.add_error("username", _("No active account has that name."))
        else:
            try:
                services.proxy_grant(
                    person=own,
                    user=user,
                    relation=form.cleaned_data["relation"],
                    consent=_("granted by the person from their own account"),
                    actor=request.user,
                )
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(request, _("%(name)s can now manage your code.") % {"name": user})
                return redirect("health_codes:family")
    people = list(selectors.managed_people(user=request.user))
    colors = selectors.colors_of(person_ids=[p.pk for p in people])
    rows = [(p, colors[p.pk], texts.COLOR_TEXT[rules.Color(colors[p.pk])]) for p in people]
    proxies = list(selectors.proxies_of(person=own)) if own is not None else []
    return render(
        request,
        "health_codes/family.html",
        {"rows": rows, "form": form, "own": own, "proxies": proxies},
    )


@login_required
@require_POST
def proxy_revoke(request: HttpRequest, public_id: str, username: str):
    """Withdraw a family proxy's consent: the person (any proxy) or the proxy (their own)."""
    consent, how = proxy_for_request(request, public_id, username)
    try:
        services.proxy_revoke(consent=consent, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if how == "proxy":
            text = _("You no longer manage the code of %(name)s.") % {"name": consent.person.name}
        else:
            text = _("%(name)s can no longer manage this code.") % {"name": consent.user}
        messages.success(request, text)
    if how == "staff":
        return redirect("health_codes:person_code", public_id=consent.person.public_id)
    return redirect("health_codes:family")
