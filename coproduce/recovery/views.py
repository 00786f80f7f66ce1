"""Pages of enterprise recovery, phone-first: an enterprise reports today's status, an
association runs purchases, its service desk and rent relief, an official reads the resumption
table and trend of their region. One view per action; each calls the service the API calls."""

from collections.abc import Callable
from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Max
from django.http import HttpRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coproduce.accounts.permissions import authorize, scope_for
from coproduce.core import clock
from coproduce.core.errors import DomainError, NotFound, ValidationFailed
from coproduce.orgs.models import Organization
from coproduce.recovery import forms, rules, selectors, services
from coproduce.recovery.models import (
    ASSOCIATION_CATEGORIES,
    Blocker,
    Enterprise,
    Industry,
    Procurement,
    ProcurementLine,
    ResumptionReport,
    ResumptionTally,
)
from coproduce.recovery.scope import enterprise_scope
from coproduce.recovery.selectors import member as member_reads
from coproduce.recovery.selectors import resumption as figures
from coproduce.regions.models import Region


def _staffed(user) -> list[Organization]:
    """The associations whose staff the user is (every association for an admin)."""
    scope = scope_for(user, "recovery.procure")
    qs = Organization.objects.filter(category__in=ASSOCIATION_CATEGORIES)
    if not scope.everywhere:
        qs = qs.filter(pk__in=[g.organization_id for g in scope.grants if g.organization_id])
    return list(qs.order_by("name"))


def _act(request: HttpRequest, form_class, action: Callable, ok: str) -> bool:
    """Parse the form, run the action, and say how it went (errors with their fields)."""
    form = form_class(request.POST)
    if not form.is_valid():
        for field, errs in form.errors.items():
            messages.error(
                request,
                f"{form.fields[field].label if field in form.fields else ''}: {' '.join(errs)}",
            )
        return False
    try:
        action(form.cleaned_data)
    except ValidationFailed as exc:
        details = "; ".join(" ".join(v) for v in exc.fields.values())
        messages.error(request, f"{exc.message} {details}".strip())
        return False
    except DomainError as exc:
        messages.error(request, exc.message)
        return False
    messages.success(request, ok)
    return True


def _back(request: HttpRequest, fallback: str, *args):
    nxt = request.POST.get("next", "")
    if nxt.startswith("/recovery/"):
        return redirect(nxt)
    return redirect(fallback, *args)


# --- home and enterprise --------------------------------------------------------------------------


@login_required
def home(request: HttpRequest):
    """My enterprises (with today's report), my associations, and my region's figures."""
    authorize(request.user, "recovery.view")
    today = clock.today()
    mine = list(selectors.enterprises_of_user(user=request.user).select_related("region", "park"))
    reported = set(
        ResumptionReport.objects.filter(enterprise__in=mine, date=today).values_list(
            "enterprise_id", flat=True
        )
    )
    figures_scope = scope_for(request.user, "recovery.aggregates")
    regions = []
    if figures_scope.everywhere:
        regions = list(Region.objects.filter(parent__isnull=True))
    else:
        codes = sorted({g.region_code for g in figures_scope.grants})
        regions = list(Region.objects.filter(code__in=codes))
    context = {
        "today": today,
        "enterprises": [(e, e.pk in reported) for e in mine],
        "associations": _staffed(request.user),
        "regions": regions,
        "form": forms.ReportForm(initial={"date": today, "open": "1"}),
    }
    return render(request, "recovery/home.html", context)


@login_required
def enterprise(request: HttpRequest, enterprise_id: int):
    """An enterprise: today's report form, its reports, purchases it may join, its lines."""
    scope = enterprise_scope(request.user, "recovery.view")
    ent = selectors.enterprise_get(enterprise_id=enterprise_id, scope=scope)
    today = clock.today()
    associations = list(ent.associations.order_by("name"))
    open_purchases = Procurement.objects.filter(
        association__in=associations, status=Procurement.Status.OPEN
    ).exclude(needs__enterprise=ent)
    lines = ProcurementLine.objects.filter(enterprise=ent).select_related("procurement")
    context = {
        "e": ent,
        "today": today,
        "reports": selectors.report_list(enterprise=ent)[:14],
        "associations": associations,
        "open_purchases": open_purchases,
        "lines": lines,
        "form": forms.ReportForm(initial={"date": today, "open": "1"}),
        "reported_today": selectors.report_list(enterprise=ent).filter(date=today).exists(),
    }
    return render(request, "recovery/enterprise.html", context)


@login_required
@require_POST
def enterprise_report(request: HttpRequest, enterprise_id: int):
    """File the enterprise's report (the form of the home or enterprise page)."""
    _act(
        request,
        forms.ReportForm,
        lambda d: services.resumption_report_create(
            actor=request.user, enterprise_id=enterprise_id, **d
        ),
        _("Thank you: today's status is recorded."),
    )
    return _back(request, "recovery:enterprise", enterprise_id)


# --- resumption figures ---------------------------------------------------------------------------


@login_required
def resumption(request: HttpRequest):
    """The resumption table of a region and its children, by industry, the trend and blockers."""
    scope = authorize(request.user, "recovery.aggregates")
    code = request.GET.get("region", "")[:20]
    if not code:
        code = "330000" if scope.everywhere else scope.grants[0].region_code
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise NotFound(_("No such region."))
    try:
        on = date.fromisoformat(request.GET["date"]) if request.GET.get("date") else None
    except ValueError:
        on = None
    if on is None:
        # the page opens on the latest day reported in the region (or today)
        latest = ResumptionTally.objects.filter(
            region_id=region.code, date__gt=date(1, 1, 1)
        ).aggregate(d=Max("date"))["d"]
        on = latest or clock.today()
    total = figures.resumption_on(scope=scope, region=region, on=on)
    series = figures.resumption_series(
        scope=scope, region=region, start=on - timedelta(days=13), end=on
    )
    context = {
        "region": region,
        "on": on,
        "total": total,
        "children": figures.resumption_by_child(scope=scope, region=region, on=on),
        "industries": figures.resumption_by_industry(scope=scope, region=region, on=on),
        "series": series,
        "blockers": [
            (dict(Blocker.choices).get(b, b), n)
            for b, n in figures.blockers_top(
                scope=scope, region=region, start=on - timedelta(days=6), end=on
            )
        ],
        "industry_labels": dict(Industry.choices),
    }
    return render(request, "recovery/resumption.html", context)


# --- associations and procurement -----------------------------------------------------------------


def _association(request, slug: str) -> Organization:
    org = next((o for o in _staffed(request.user) if o.slug == slug), None)
    if org is None:
        raise NotFound(_("No such association at your desk."))
    return org


@login_required
def association(request: HttpRequest, slug: str):
    """An association's desk: members, purchases, service requests, rent relief."""
    org = _association(request, slug)
    scope = enterprise_scope(request.user, "recovery.view")
    members = selectors.enterprise_list(scope=scope, association_id=org.pk)
    context = {
        "org": org,
        "members": members[:200],
        "member_count": members.count(),
        "purchases": member_reads.procurement_list(scope=scope).filter(association=org)[:50],
        "requests": member_reads.service_requests(scope=scope).filter(association=org)[:50],
        "programs": member_reads.rent_relief_programs(scope=scope).filter(association=org),
        "today": clock.today(),
        "procurement_form": forms.ProcurementForm(initial={"needed_by": clock.today()}),
        "relief_form": forms.ReliefProgramForm(),
        "service_update_form": forms.ServiceUpdateForm(),
    }
    return render(request, "recovery/association.html", context)


@login_required
@require_POST
def procurement_new(request: HttpRequest, slug: str):
    """Open a collective purchase."""
    org = _association(request, slug)
    made = {}

    def run(d):
        made["p"] = services.procurement_create(actor=request.user, association=org, **d)

    if _act(request, forms.ProcurementForm, run, _("The purchase is open for members' needs.")):
        return redirect("recovery:procurement", made["p"].pk)
    return redirect("recovery:association", slug)


@login_required
def procurement(request: HttpRequest, procurement_id: int):
    """A purchase from needs to receipt: needs, quotes, award with each member's saving."""
    scope = enterprise_scope(request.user, "recovery.view")
    p = member_reads.procurement_get(procurement_id=procurement_id, scope=scope)
    staff = any(o.pk == p.association_id for o in _staffed(request.user))
    mine = set(selectors.enterprises_of_user(user=request.user).values_list("pk", flat=True))
    quotes = [
        (
            q,
            [
                (t.min_quantity, rules.hao_to_price(t.unit_price_hao))
                for t in services.quote_tiers(q)
            ],
        )
        for q in p.quotes.all()
    ]
    members = Enterprise.objects.filter(memberships__association_id=p.association_id)
    if not staff:
        members = members.filter(pk__in=mine)
    context = {
        "p": p,
        "staff": staff,
        "mine": mine,
        "needs": p.needs.select_related("enterprise"),
        "quotes": quotes,
        "lines": p.lines.select_related("enterprise"),
        "members": members.order_by("name")[:300],
        "unit_price": rules.hao_to_price(p.unit_price_hao) if p.unit_price_hao else None,
        "total_cost": rules.fen_to_money(p.total_cost_fen)
        if p.total_cost_fen is not None
        else None,
        "saving": rules.fen_to_money(p.alone_cost_fen - p.total_cost_fen)
        if p.total_cost_fen is not None
        else None,
    }
    return render(request, "recovery/procurement.html", context)


def _procurement_action(form_class, ok, call):
    @login_required
    @require_POST
    def view(request: HttpRequest, procurement_id: int):
        _act(request, form_class, lambda d: call(request.user, procurement_id, d), ok)
        return redirect("recovery:procurement", procurement_id)

    return view


procurement_need = _procurement_action(
    forms.NeedForm,
    _("The need is recorded."),
    lambda u, pid, d: services.procurement_need_add(
        actor=u, procurement_id=pid, enterprise_id=d["enterprise"], quantity=d["quantity"]
    ),
)
procurement_quote = _procurement_action(
    forms.QuoteForm,
    _("The quote is recorded."),
    lambda u, pid, d: services.procurement_quote_add(
        actor=u, procurement_id=pid, supplier=d["supplier"], tiers=d["tiers"]
    ),
)
procurement_award = _procurement_action(
    forms.AwardForm,
    _("Awarded: each member's share and saving are below."),
    lambda u, pid, d: services.procurement_award(actor=u, procurement_id=pid, quote_id=d["quote"]),
)
procurement_order = _procurement_action(
    forms.OrderForm,
    _("The order is recorded."),
    lambda u, pid, d: services.procurement_order(
        actor=u, procurement_id=pid, reference=d["reference"]
    ),
)
procurement_deliver = _procurement_action(
    forms.OrderForm,
    _("The delivery is recorded."),
    lambda u, pid, d: services.procurement_deliver(actor=u, procurement_id=pid),
)
procurement_receipt = _procurement_action(
    forms.ReceiptForm,
    _("Receipt confirmed."),
    lambda u, pid, d: services.procurement_receipt_confirm(
        actor=u, procurement_id=pid, enterprise_id=d["enterprise"]
    ),
)


# --- board ----------------------------------------------------------------------------------------


@login_required
def board(request: HttpRequest):
    """The supply-chain board of my associations: open posts, my matches, closed history."""
    scope = enterprise_scope(request.user, "recovery.board")
    if scope.empty:
        authorize(request.user, "recovery.board")
    mine = list(Enterprise.objects.filter(scope.q()).order_by("name")[:100])
    context = {
        "posts": member_reads.board_posts(scope=scope)[:100],
        "history": member_reads.board_posts(scope=scope, include_closed=True).exclude(
            status="open"
        )[:50],
        "matches": member_reads.board_matches_of(scope=scope).order_by("-id")[:50],
        "mine": mine,
        "mine_ids": {e.pk for e in mine},
        "form": forms.BoardPostForm(),
    }
    return render(request, "recovery/board.html", context)


@login_required
@require_POST
def board_post(request: HttpRequest):
    """Post a shortage or an offer."""

    def run(d):
        _, matches = services.board_post_create(
            actor=request.user, enterprise_id=d.pop("enterprise"), **d
        )
        if matches:
            messages.info(
                request, _("The board found %(n)d possible matches.") % {"n": len(matches)}
            )

    _act(request, forms.BoardPostForm, run, _("Posted on the board."))
    return redirect("recovery:board")


@login_required
@require_POST
def board_accept(request: HttpRequest, match_id: int):
    """Accept or decline a match for my enterprise."""
    _act(
        request,
        forms.AcceptForm,
        lambda d: services.board_match_accept(
            actor=request.user, match_id=match_id, enterprise_id=d["enterprise"], accept=d["accept"]
        ),
        _("Your answer is recorded."),
    )
    return redirect("recovery:board")


@login_required
@require_POST
def board_close(request: HttpRequest, post_id: int):
    """Close my post (it stays as history)."""
    try:
        services.board_post_close(actor=request.user, post_id=post_id)
        messages.success(request, _("The post is closed."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("recovery:board")


# --- member services and rent relief --------------------------------------------------------------


@login_required
def member_services(request: HttpRequest):
    """Requests for financial services and legal aid: mine, or my desk's."""
    scope = enterprise_scope(request.user, "recovery.services")
    if scope.empty:
        authorize(request.user, "recovery.services")
    mine = list(selectors.enterprises_of_user(user=request.user).prefetch_related("associations"))
    today = clock.today()
    reqs = [
        (r, rules.service_overdue(status=r.status, due_on=r.due_on, today=today))
        for r in member_reads.service_requests(scope=scope)[:100]
    ]
    context = {
        "requests": reqs,
        "mine": mine,
        "desk": {o.pk for o in _staffed(request.user)},
        "form": forms.ServiceRequestForm(),
        "update_form": forms.ServiceUpdateForm(),
    }
    return render(request, "recovery/services.html", context)


@login_required
@require_POST
def service_new(request: HttpRequest):
    """Ask the association's desk for help."""

    def run(d):
        org = Organization.objects.filter(
            slug=d["association"], category__in=ASSOCIATION_CATEGORIES
        ).first()
        if org is None:
            raise ValidationFailed.field("association", _("No such association."))
        kind = (
            "finance"
            if d["topic"] in [t.value for t in rules.TOPICS[rules.ServiceKind.FINANCE]]
            else "legal"
        )
        amount = d.get("amount")
        services.service_request_create(
            actor=request.user,
            enterprise_id=d["enterprise"],
            association=org,
            kind=kind,
            topic=d["topic"],
            description=d["description"],
            amount_fen=int(amount * 100) if amount else None,
        )

    _act(request, forms.ServiceRequestForm, run, _("Your request is at the association's desk."))
    return redirect("recovery:services")


@login_required
@require_POST
def service_update(request: HttpRequest, request_id: int):
    """The desk moves a request on."""
    _act(
        request,
        forms.ServiceUpdateForm,
        lambda d: services.service_request_update(actor=request.user, request_id=request_id, **d),
        _("The request is updated."),
    )
    return _back(request, "recovery:services")


@login_required
@require_POST
def relief_new(request: HttpRequest, slug: str):
    """Record a rent relief program."""
    org = _association(request, slug)

    def run(d):
        amount = d.pop("amount", None)
        services.rent_relief_program_create(
            actor=request.user,
            association=org,
            percent=d.pop("percent") or 0,
            amount_fen=int(amount * 100) if amount else 0,
            **d,
        )

    _act(request, forms.ReliefProgramForm, run, _("The program is recorded."))
    return redirect("recovery:association", slug)


@login_required
@require_POST
def relief_beneficiary(request: HttpRequest, program_id: int):
    """Add a member that benefits from a program."""
    _act(
        request,
        forms.BeneficiaryForm,
        lambda d: services.rent_relief_beneficiary_add(
            actor=request.user,
            program_id=program_id,
            enterprise_id=d["enterprise"],
            monthly_rent_fen=int(d["monthly_rent"] * 100),
        ),
        _("The member is added."),
    )
    return _back(request, "recovery:home")
