"""Pages of deliveries: the household's orders, the volunteer's runs, the coordinator's desk,
and the report per area and period."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coproduce.accounts.permissions import authorize, scope_for
from coproduce.core import clock
from coproduce.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from coproduce.core.forms import refuse
from coproduce.core.paging import page_of
from coproduce.deliveries import forms, selectors, services
from coproduce.orgs.models import Organization
from coproduce.people.selectors import person_of_user
from coproduce.regions.selectors import region_get
from coproduce.relief.selectors import item_list


@login_required
def home(request: HttpRequest):
    """What the caller does with deliveries: order, deliver, plan runs."""
    own = person_of_user(user=request.user)
    view = scope_for(request.user, "deliveries.view")
    if own is None and view.empty:
        raise PermissionDenied(_("Your roles do not include deliveries."))
    context = {
        "household": own.household if own and own.household_id else None,
        "my_orders": selectors.orders_of_household(household=own.household)[:20]
        if own and own.household_id
        else [],
        "items": item_list().filter(category="food"),
        "today": clock.today(),
    }
    if not view.empty:
        context["my_runs"] = selectors.run_list(scope=view, mine=request.user).exclude(
            status="done"
        )[:20]
        context["run_orders"] = {
            r.pk: selectors.order_list(scope=view, run=r, status="scheduled")
            for r in context["my_runs"]
        }
        context["waiting"] = selectors.order_list(scope=view, status="requested")[:50]
        context["runs"] = selectors.run_list(scope=view)[:20]
        manage = scope_for(request.user, "deliveries.manage")
        context["can_manage"] = not manage.empty
        context["orgs"] = Organization.objects.filter(
            pk__in=[g.organization_id for g in manage.grants if g.organization_id]
        )
    return render(request, "deliveries/home.html", context)


def _decimal(value: str, field: str) -> Decimal:
    try:
        return Decimal(value)
    except InvalidOperation:
        raise ValidationFailed.field(field, _("Give a number.")) from None


@login_required
@require_POST
def order_place(request: HttpRequest):
    """The resident orders groceries or medicine for their household (form of the home page)."""
    own = person_of_user(user=request.user)
    try:
        if own is None or own.household_id is None:
            raise ValidationFailed.field("household", _("Your record has no household yet."))
        lines = [
            services.LineInput(
                item=slug,
                quantity=_decimal(request.POST.get(f"qty-{slug}") or "0", f"qty-{slug}"),
                unit_price=_decimal(request.POST.get(f"price-{slug}") or "0", f"price-{slug}"),
            )
            for slug in request.POST.getlist("item")
            if (request.POST.get(f"qty-{slug}") or "0") not in ("0", "")
        ]
        if request.POST.get("description", "").strip():
            lines.append(
                services.LineInput(
                    description=request.POST["description"],
                    quantity=1,
                    unit_price=Decimal(0),
                )
            )
        services.order_place(
            household=own.household,
            for_person=own,
            kind=request.POST.get("kind", "groceries"),
            lines=lines,
            by_proxy=False,
            note=request.POST.get("note", ""),
            actor=request.user,
        )
        messages.success(request, _("Your order is placed."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("deliveries:home")


@login_required
@require_POST
def order_deliver(request: HttpRequest, order_id: int):
    """The volunteer records proof of delivery (code, or left at the door with a note)."""
    try:
        scope = authorize(request.user, "deliveries.deliver")
        services.order_deliver(
            order=selectors.order_get(order_id=order_id, scope=scope),
            handover_code=request.POST.get("handover_code", ""),
            left_at_door=bool(request.POST.get("left_at_door")),
            proof_note=request.POST.get("proof_note", ""),
            actor=request.user,
        )
        messages.success(request, _("Delivered."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("deliveries:home")


@login_required
@require_POST
def run_create(request: HttpRequest):
    """The coordinator plans a run through an area for a day."""
    try:
        region = region_get(code=request.POST.get("region", "")[:20])
        org = Organization.objects.filter(pk=request.POST.get("organization") or 0).first()
        if org is None:
            raise ValidationFailed.field("organization", _("Choose an organization."))
        authorize(request.user, "deliveries.manage", region=region, organization_id=org.pk)
        services.run_create(
            region=region,
            on=date.fromisoformat(request.POST.get("date") or clock.today().isoformat()),
            organization=org,
            assignee=request.user,
            actor=request.user,
        )
        messages.success(request, _("The run is planned."))
    except (DomainError, ValueError) as exc:
        messages.error(request, getattr(exc, "message", _("Give a valid date.")))
    return redirect("deliveries:home")


@login_required
def report(request: HttpRequest):
    """What was delivered per item and its value, for an area and a period."""
    scope = authorize(request.user, "deliveries.report")
    try:
        start = date.fromisoformat(request.GET.get("start") or "2020-01-26")
        end = date.fromisoformat(request.GET.get("end") or clock.today().isoformat())
    except ValueError:
        raise ValidationFailed.field("start", _("Dates are YYYY-MM-DD.")) from None
    code = request.GET.get("region") or (scope.grants[0].region_code if scope.grants else "330000")
    context = selectors.delivery_report(
        scope=scope, region=region_get(code=code[:20]), start=start, end=end
    )
    template = "deliveries/_report.html" if request.htmx else "deliveries/report.html"
    return render(request, template, context)


@login_required
def runs(request: HttpRequest):
    """Runs in scope, newest first; a coordinator gives each to a volunteer."""
    scope = authorize(request.user, "deliveries.view")
    manage = scope_for(request.user, "deliveries.manage")
    context = {
        "page": page_of(request, selectors.run_list(scope=scope)),
        "assign_form": None if manage.empty else forms.AssignForm(scope=manage),
    }
    return render(request, "deliveries/runs.html", context)


@login_required
@require_POST
def run_assign(request: HttpRequest, run_id: int):
    """Give a run (and its task) to a volunteer of the coordinator's organization."""
    scope = authorize(request.user, "deliveries.manage")
    run = selectors.run_get(run_id=run_id, scope=scope)
    form = forms.AssignForm(request.POST, scope=scope)
    if form.is_valid():
        try:
            services.run_assign(run=run, assignee=form.cleaned_data["assignee"], actor=request.user)
            messages.success(
                request,
                _("The run is given to %(name)s.")
                % {"name": form.cleaned_data["assignee"].username},
            )
        except DomainError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, _("Choose a volunteer from the list."))
    return redirect("deliveries:runs")


@login_required
def my_runs(request: HttpRequest):
    """The volunteer's own runs, past ones too, with their orders."""
    scope = authorize(request.user, "deliveries.deliver")
    page = page_of(request, selectors.run_list(scope=scope, mine=request.user))
    for run in page:
        run.order_rows = selectors.order_list(scope=scope, run=run)
    return render(request, "deliveries/my_runs.html", {"page": page})


def _own_order(request: HttpRequest, order_id: int):
    """An order of the caller's own household (anything else is absent)."""
    own = person_of_user(user=request.user)
    found = None
    if own is not None and own.household_id:
        found = selectors.orders_of_household(household=own.household).filter(pk=order_id).first()
    if found is None:
        raise NotFound(_("No such order."), code="order_not_found")
    return found


@login_required
def feedback(request: HttpRequest, order_id: int):
    """The household rates a delivered order once."""
    order = _own_order(request, order_id)
    form = forms.FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.feedback_give(order=order, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            refuse(form, exc)
        else:
            messages.success(request, _("Thank you for your feedback."))
            return redirect("deliveries:home")
    context = {"order": order, "form": form}
    return render(request, "deliveries/feedback.html", context, status=422 if form.errors else 200)


@login_required
def order_for(request: HttpRequest):
    """A volunteer or coordinator orders for a household of their area (found by the picker)."""
    scope = authorize(request.user, "deliveries.proxy")
    items = item_list().filter(category="food")
    form = forms.ProxyOrderForm(request.POST or None, scope=scope, items=items)
    if request.method == "POST" and form.is_valid():
        person = form.cleaned_data["person"]
        try:
            services.order_place(
                household=person.household,
                for_person=person,
                kind=form.cleaned_data["kind"],
                lines=form.lines(),
                by_proxy=True,
                note=form.cleaned_data["note"],
                actor=request.user,
            )
        except DomainError as exc:
            refuse(form, exc)
        else:
            messages.success(
                request, _("The order is placed for %(name)s.") % {"name": person.name}
            )
            return redirect("deliveries:home")
    status = 422 if form.errors else 200
    return render(request, "deliveries/order_for.html", {"form": form}, status=status)
