"""Voluntary Bank pages: my balance, statement (page, CSV, PDF), give, redeem; partner's desk."""

import secrets
from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from coproduce.accounts.permissions import authorize, scope_for, user_roles
from coproduce.accounts.rules import Role
from coproduce.core import clock
from coproduce.core.errors import DomainError, PermissionDenied, ValidationFailed
from coproduce.timebank import rules, selectors, services
from coproduce.timebank.api import account_out, my_account, statement_answer
from coproduce.timebank.models import Account
from coproduce.volunteers.selectors import volunteer_of_user


@login_required
def home(request: HttpRequest):
    """My balance, latest entries, a gift to a neighbour and the partners' offers."""
    try:
        account = my_account(request.user)
    except PermissionDenied:
        if Role.VOLUNTEER not in user_roles(request.user) or volunteer_of_user(user=request.user):
            raise
        # No profile yet (a volunteer by role who has not registered): say where hours come from.
        return render(request, "timebank/no_account.html")
    if request.method == "POST":
        try:
            _act(request, account)
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("timebank:home")
    account.refresh_from_db()
    context = {
        "account": account,
        "hours": rules.minutes_to_hours(account.balance),
        "lines": selectors.entries_recent(account=account),
        "offers": selectors.offers_for(home_region=account.region),
        "redemptions": selectors.redemptions_of(account=account)[:10],
        "nonce": secrets.token_hex(8),  # the idempotency key of this page's forms
        # Staff and volunteers who register people find the recipient with the person picker.
        "pick_permission": "people.register"
        if not scope_for(request.user, "people.register").empty
        else "",
    }
    return render(request, "timebank/home.html", context)


def _hours_refused() -> str:
    # rules.hours_to_minutes says why in English (for the API); a page says it in the reader's words.
    return _("Give the hours as a number that makes whole minutes, such as 1.5.")


def _act(request, account: Account) -> None:
    key = request.POST.get("key", "")[:60] or secrets.token_hex(8)
    if request.POST.get("action") == "give":
        try:
            minutes = rules.hours_to_minutes(request.POST.get("hours", "").strip() or "0")
        except ValueError:
            raise ValidationFailed.field("hours", _hours_refused()) from None
        services.hours_gift(
            source=account,
            to=request.POST.get("to", ""),
            minutes=minutes,
            key=key,
            actor=request.user,
        )
        messages.success(request, _("The hours were given."))
    elif request.POST.get("action") == "redeem":
        offer = selectors.offer_get(
            offer_id=int(request.POST.get("offer", 0)), home_region=account.region
        )
        services.redemption_request(account=account, offer=offer, key=key, actor=request.user)
        messages.success(request, _("Requested: the partner will confirm."))


@login_required
def statement(request: HttpRequest):
    """My statement for a period: the page, or `?format=csv` / `?format=pdf` to download."""
    account = my_account(request.user)
    end = clock.now()
    start = datetime(2000, 1, 1, tzinfo=clock.local_zone())
    fmt = request.GET.get("format", "")
    holder = account_out(account)["holder"]
    if fmt in {"csv", "pdf"}:
        return statement_answer(account, start, end, fmt, holder)
    data = selectors.statement_get(account=account, start=start, end=end, for_reader=True)
    return render(request, "timebank/statement.html", {"s": data, "holder": holder})


@login_required
def partner(request: HttpRequest):
    """A partner's desk: redemptions to confirm or refuse, and offers to publish."""
    scope = authorize(request.user, "timebank.partner")
    partners = selectors.partners_of_user(user=request.user, scope=scope)
    if request.method == "POST":
        try:
            _decide(request, partners)
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("timebank:partner")
    return render(
        request,
        "timebank/partner.html",
        {
            "partners": partners,
            "pending": selectors.redemptions_for_partners(partners=partners, status="pending"),
            "recent": selectors.redemptions_for_partners(partners=partners).exclude(
                status="pending"
            )[:20],
        },
    )


def _decide(request, partners) -> None:
    if request.POST.get("action") == "offer":
        slug = request.POST.get("partner", "")
        chosen = partners.filter(slug=slug).first()
        if chosen is None:
            raise ValidationFailed.field("partner", _("You do not work for this partner."))
        try:
            minutes = rules.hours_to_minutes(request.POST.get("hours", "").strip() or "0")
        except ValueError:
            raise ValidationFailed.field("hours", _hours_refused()) from None
        services.offer_create(
            partner=chosen,
            title=request.POST.get("title", ""),
            price_minutes=minutes,
            description=request.POST.get("description", "")[:2000],
            actor=request.user,
        )
        messages.success(request, _("The offer is published."))
        return
    redemption = (
        selectors.redemptions_for_partners(partners=partners)
        .filter(pk=int(request.POST.get("redemption", 0)))
        .first()
    )
    if redemption is None:
        raise ValidationFailed.field("redemption", _("No such redemption of your offers."))
    accept = request.POST.get("action") == "confirm"
    services.redemption_decide(
        redemption=redemption,
        accept=accept,
        actor=request.user,
        note=request.POST.get("note", "")[:300],
    )
    messages.success(request, _("Confirmed.") if accept else _("Refused: the hours went back."))
