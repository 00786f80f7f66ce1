"""Staff pages of relief that were API-only: campaigns and money donations with their receipts,
warehouses, goods received, transfers and issues of stock, requests for supplies.

Each action is one view calling the same service as its endpoint, after the same authorization;
a refused form comes back with what was typed and each error beside its field.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coproduce.accounts.permissions import authorize, scope_for
from coproduce.core.errors import DomainError
from coproduce.core.forms import refuse
from coproduce.core.paging import page_of
from coproduce.relief import forms, selectors, services


def _refused(request, template: str, context: dict):
    """The page again with the refused form (422: the input needs another look)."""
    return render(request, template, context, status=422)


@login_required
def money(request: HttpRequest):
    """Campaigns and money donations of the caller's organizations, with their receipts."""
    scope = authorize(request.user, "relief.view")
    books = scope_for(request.user, "relief.donations")
    context = {
        "campaigns": selectors.campaign_list(scope=scope)[:50],
        "page": page_of(request, selectors.donation_list(scope=scope)),
        "can_record": not books.empty,
    }
    return render(request, "relief/money.html", context)


@login_required
def campaign_new(request: HttpRequest):
    """Start a campaign (POST), or the empty form."""
    scope = authorize(request.user, "relief.donations")
    form = forms.CampaignForm(request.POST or None, scope=scope)
    if request.method == "POST" and form.is_valid():
        org = form.cleaned_data["organization"]
        authorize(request.user, "relief.donations", region=org.home_region, organization_id=org.pk)
        try:
            services.campaign_create(
                organization=org, region=org.home_region, actor=request.user, **form.service_args()
            )
        except DomainError as exc:
            refuse(form, exc)
        else:
            messages.success(request, _("The campaign is open."))
            return redirect("relief:money")
    if form.errors:
        return _refused(request, "relief/campaign_form.html", {"form": form})
    return render(request, "relief/campaign_form.html", {"form": form})


@login_required
def donation_new(request: HttpRequest):
    """Record a money donation; on success, its receipt to print or send."""
    scope = authorize(request.user, "relief.donations")
    form = forms.DonationForm(request.POST or None, scope=scope)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        org = data.pop("organization")
        authorize(request.user, "relief.donations", region=org.home_region, organization_id=org.pk)
        try:
            donation = services.donation_record(organization=org, actor=request.user, **data)
        except DomainError as exc:
            refuse(form, exc)
        else:
            messages.success(request, _("Recorded. Here is the receipt for the donor."))
            return redirect("relief:receipt", key=donation.receipt_key)
    if form.errors:
        return _refused(request, "relief/donation_form.html", {"form": form})
    return render(request, "relief/donation_form.html", {"form": form})


@login_required
def warehouses(request: HttpRequest):
    """Warehouses in scope; a coordinator opens one (POST)."""
    scope = authorize(request.user, "relief.view")
    stock_scope = scope_for(request.user, "relief.stock")
    form = (
        None if stock_scope.empty else forms.WarehouseForm(request.POST or None, scope=stock_scope)
    )
    status = 200
    if request.method == "POST":
        stock_scope = authorize(request.user, "relief.stock")
        if form.is_valid():
            data = dict(form.cleaned_data)
            org, region = data.pop("organization"), data.pop("region")
            authorize(request.user, "relief.stock", region=region, organization_id=org.pk)
            try:
                services.warehouse_create(
                    organization=org, region=region, actor=request.user, **data
                )
            except DomainError as exc:
                refuse(form, exc)
            else:
                messages.success(request, _("The warehouse is open."))
                return redirect("relief:warehouses")
        status = 422
    context = {"page": page_of(request, selectors.warehouse_list(scope=scope)), "form": form}
    return render(request, "relief/warehouses.html", context, status=status)


@login_required
def stock(request: HttpRequest):
    """Stock on hand per warehouse and item, and the lots, earliest expiry first."""
    scope = authorize(request.user, "relief.view")
    context = {
        "stock": selectors.stock_on_hand(scope=scope),
        "page": page_of(request, selectors.lot_list(scope=scope).select_related("warehouse")),
        "can_move": not scope_for(request.user, "relief.stock").empty,
    }
    return render(request, "relief/stock.html", context)


def _stock_action(request, form_class, act, title: str, done: str, receipt=False):
    """One stock action's page: the form, the service call, the refusal beside its fields."""
    scope = authorize(request.user, "relief.stock")
    form = form_class(request.POST or None, scope=scope)
    if request.method == "POST" and form.is_valid():
        try:
            result = act(form.cleaned_data, scope)
        except DomainError as exc:
            refuse(form, exc)
        else:
            messages.success(request, done)
            if receipt:
                return redirect("relief:receipt", key=result.receipt_key)
            return redirect("relief:stock")
    context = {"form": form, "title": title}
    return render(request, "relief/stock_form.html", context, status=422 if form.errors else 200)


@login_required
def stock_receive(request: HttpRequest):
    """Goods received into a warehouse: a lot with its expiry, valued, with a receipt."""

    def act(data, scope):
        data = dict(data)
        return services.stock_receive(
            warehouse=data.pop("warehouse"), item=data.pop("item"), actor=request.user, **data
        )

    return _stock_action(
        request, forms.ReceiveForm, act, _("Goods received"), _("Received into stock."), True
    )


@login_required
def stock_transfer(request: HttpRequest):
    """Move part of a lot to another warehouse of the scope."""

    def act(data, scope):
        return services.stock_transfer(actor=request.user, **data)

    return _stock_action(
        request, forms.TransferForm, act, _("Move stock"), _("The stock was moved.")
    )


@login_required
def stock_issue(request: HttpRequest):
    """Issue goods from a lot to a recipient in a region (on the public ledger)."""

    def act(data, scope):
        return services.stock_issue(actor=request.user, **data)

    return _stock_action(
        request, forms.IssueForm, act, _("Issue goods"), _("The goods were issued.")
    )


def _request_scope(user):
    scope = scope_for(user, "relief.request")
    return scope if not scope.empty else authorize(user, "relief.view")


@login_required
def requests(request: HttpRequest):
    """Requests for supplies from the scope's regions, most urgent first."""
    scope = _request_scope(request.user)
    status = request.GET.get("status", "open")
    status = status if status in {"open", "closed", "cancelled"} else "open"
    context = {
        "page": page_of(request, selectors.supply_request_list(scope=scope, status=status)),
        "status": status,
        "can_request": not scope_for(request.user, "relief.request").empty,
    }
    return render(request, "relief/requests.html", context)


@login_required
def request_new(request: HttpRequest):
    """File a request for supplies."""
    scope = authorize(request.user, "relief.request")
    form = forms.RequestForm(request.POST or None, scope=scope)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        authorize(request.user, "relief.request", region=data["region"])
        lines = [services.LineInput(item=i, quantity=q) for i, q in data.pop("lines")]
        for n in range(1, forms.REQUEST_LINES + 1):
            data.pop(f"item_{n}"), data.pop(f"quantity_{n}")
        try:
            services.supply_request_create(lines=lines, actor=request.user, **data)
        except DomainError as exc:
            refuse(form, exc)
        else:
            messages.success(request, _("The request is filed."))
            return redirect("relief:requests")
    status = 422 if form.errors else 200
    return render(request, "relief/request_form.html", {"form": form}, status=status)


@login_required
@require_POST
def request_cancel(request: HttpRequest, request_id: int):
    """Withdraw an open request."""
    scope = authorize(request.user, "relief.request")
    found = selectors.supply_request_get(request_id=request_id, scope=scope)
    try:
        services.supply_request_cancel(request=found, actor=request.user)
        messages.success(request, _("The request was withdrawn."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("relief:requests")
