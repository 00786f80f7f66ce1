"""The sign-in forms: Django's, with the limits on failed sign-ins (docs/accounts.md)."""

import math
from datetime import datetime

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import ngettext
from django.views.decorators.debug import sensitive_variables

from coproduce.accounts.devices import known_device
from coproduce.accounts.rules import SignInLimit, SignInVerdict
from coproduce.accounts.services import (
    sign_in_check,
    sign_in_failure_record,
    sign_in_success_record,
)


def sign_in_refusal_message(verdict: SignInVerdict, now: datetime) -> str:
    """What a refused sign-in is told: why, and when to try again (local time, minutes)."""
    minutes = retry_after_minutes(verdict, now)
    params = {
        "time": formats.time_format(timezone.localtime(verdict.retry_at), "H:i"),
        "minutes": minutes,
    }
    if verdict.until.keys() & {SignInLimit.USERNAME, SignInLimit.PAIR, SignInLimit.DEVICE}:
        return (
            ngettext(
                "Too many failed sign-ins for this username. Sign-in is paused: try again at "
                "%(time)s (in %(minutes)d minute).",
                "Too many failed sign-ins for this username. Sign-in is paused: try again at "
                "%(time)s (in %(minutes)d minutes).",
                minutes,
            )
            % params
        )
    return (
        ngettext(
            "Too many failed sign-ins from your network. Sign-in is paused: try again at %(time)s "
            "(in %(minutes)d minute).",
            "Too many failed sign-ins from your network. Sign-in is paused: try again at %(time)s "
            "(in %(minutes)d minutes).",
            minutes,
        )
        % params
    )


def retry_after_seconds(verdict: SignInVerdict, now: datetime) -> int:
    """Whole seconds until the attempt may be made again (at least 1), for Retry-After."""
    return max(1, math.ceil((verdict.retry_at - now).total_seconds()))


def retry_after_minutes(verdict: SignInVerdict, now: datetime) -> int:
    """Whole minutes until the attempt may be made again, rounded up."""
    return math.ceil(retry_after_seconds(verdict, now) / 60)


class SignInLimitsMixin:
    """Refuse an attempt whose username or address is locked before its password is checked;
    count a wrong password; clear the username's failures on success.

    In the form rather than a `user_login_failed` receiver: the signal is sent only after the
    password has been checked, too late to refuse, and the form serves our page and the admin's.
    """

    refusal: SignInVerdict | None = None
    refused_at: datetime | None = None

    @sensitive_variables("password")
    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is None or not password:
            return super().clean()  # a field is missing: no password is checked
        # The client's address (core.middleware.client_address_middleware behind a proxy).
        address = self.request.META.get("REMOTE_ADDR") if self.request else None
        device = known_device(self.request, username)
        now = timezone.now()
        verdict = sign_in_check(username=username, address=address, device=device, now=now)
        if not verdict.allowed:
            self.refusal, self.refused_at = verdict, now
            raise ValidationError(sign_in_refusal_message(verdict, now), code="sign_in_limited")
        try:
            cleaned = super().clean()
        except ValidationError:
            # user_cache is set when the password was right but the account may not sign in
            # here (inactive, not staff in the admin): that is no guess at a password.
            if self.user_cache is None:
                sign_in_failure_record(
                    username=username, address=address, device=device, before=verdict
                )
            raise
        sign_in_success_record(user=self.user_cache, address=address, device=device)
        return cleaned


class SignInForm(SignInLimitsMixin, AuthenticationForm):
    """The sign-in page's form."""


class AdminSignInForm(SignInLimitsMixin, AdminAuthenticationForm):
    """The back office's sign-in form (admin.site.login_form): the same limits."""
