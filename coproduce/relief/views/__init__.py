"""Pages of donations and supplies: the staff desk, the public transparency page, receipts."""

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coproduce.accounts.permissions import authorize, scope_for
from coproduce.core.errors import DomainError, ValidationFailed
from coproduce.orgs.models import Organization
from coproduce.regions.selectors import region_get
from coproduce.relief import selectors, services


@login_required
def home(request: HttpRequest):
    """The relief desk: stock on hand, open requests, allocations, dispatches to confirm."""
    scope = authorize(request.user, "relief.view")
    allocate = scope_for(request.user, "relief.allocate")
    context = {
        "stock": selectors.stock_on_hand(scope=scope),
        "requests": selectors.supply_request_list(scope=scope, status="open")[:50],
        "allocations": selectors.allocation_list(scope=scope).prefetch_related(
            "lines__lot__item", "lines__request_line__request"
        )[:10],
        "to_confirm": selectors.dispatches_to_confirm(
            scope=scope_for(request.user, "relief.receive")
        )[:50],
        "allocating_orgs": [g.organization_id for g in allocate.grants if g.organization_id],
        "can_allocate": not allocate.empty,
    }
    template = "relief/_desk.html" if request.htmx else "relief/home.html"
    return render(request, template, context)


@login_required
@require_POST
def allocation_action(request: HttpRequest, action: str, allocation_id: int = 0):
    """Propose, approve, discard or dispatch from the desk (the same services as the API)."""
    try:
        scope = authorize(request.user, "relief.allocate")
        if action == "propose":
            org = Organization.objects.select_related("home_region").get(
                pk=int(request.POST.get("organization", 0))
            )
            authorize(
                request.user, "relief.allocate", region=org.home_region, organization_id=org.pk
            )
            services.stock_allocate(organization=org, region=org.home_region, actor=request.user)
        else:
            allocation = selectors.allocation_get(allocation_id=allocation_id, scope=scope)
            {
                "approve": services.allocation_approve,
                "discard": services.allocation_discard,
                "dispatch": services.allocation_dispatch,
            }[action](allocation=allocation, actor=request.user)
        messages.success(request, _("Done."))
    except (DomainError, Organization.DoesNotExist, KeyError, ValueError) as exc:
        messages.error(request, getattr(exc, "message", _("This cannot be done.")))
    return redirect("relief:home")


@login_required
@require_POST
def receipt_confirm(request: HttpRequest, line_id: int):
    """The recipient confirms what arrived."""
    scope = authorize(request.user, "relief.receive")
    try:
        line = selectors.allocation_line_for_recipient(line_id=line_id, scope=scope)
        try:
            quantity = Decimal(request.POST.get("quantity", ""))
        except InvalidOperation:
            raise ValidationFailed.field("quantity", _("Give a number.")) from None
        services.receipt_confirm(
            line=line, quantity=quantity, note=request.POST.get("note", ""), actor=request.user
        )
        messages.success(request, _("Receipt confirmed."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("relief:home")


def transparency(request: HttpRequest):
    """Public, without login: what came in and where it went, and the ledger's head."""
    region = region_get(code=request.GET.get("region", "330000")[:20])
    report = selectors.transparency_report(region=region)
    for campaign in report["campaigns"]:
        campaign.progress = selectors.campaign_progress(campaign=campaign, bucket="day")
    return render(request, "relief/transparency.html", report)


def ledger_check(request: HttpRequest):
    """Public: recompute the chain now (htmx partial of the transparency page)."""
    return render(request, "relief/_verify.html", {"check": services.ledger_verify()})


def receipt(request: HttpRequest, key: str):
    """A donor's receipt, by the unguessable link given when the gift was recorded."""
    gift = selectors.receipt_get(key=key[:40])
    return render(request, "relief/receipt.html", {"gift": gift})
