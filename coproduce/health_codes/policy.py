"""The health-code settings as the pure rules' policy objects (read once per process)."""

import datetime as dt
from decimal import Decimal, InvalidOperation
from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from coproduce.health_codes import rules
from coproduce.health_codes.tokens import TokenPolicy


@cache
def code_policy() -> rules.CodePolicy:
    """Report counts, fever threshold and travel look-back from settings (PRODUCT.md 3.2)."""
    try:
        fever = Decimal(str(settings.HEALTH_CODE_FEVER_C))
    except InvalidOperation:
        raise ImproperlyConfigured(
            f"COPRODUCE_HC_FEVER_C={settings.HEALTH_CODE_FEVER_C!r} is not a temperature."
        ) from None
    if not Decimal("35") <= fever <= Decimal("40"):
        raise ImproperlyConfigured(f"COPRODUCE_HC_FEVER_C={fever} is outside 35..40 degrees C.")
    return rules.CodePolicy(
        red_reports=settings.HEALTH_CODE_RED_REPORTS,
        yellow_reports=settings.HEALTH_CODE_YELLOW_REPORTS,
        fever_c=fever,
        travel_lookback_days=settings.HEALTH_CODE_TRAVEL_LOOKBACK_DAYS,
    )


@cache
def token_policy() -> TokenPolicy:
    """Token lifetimes from settings."""
    return TokenPolicy(
        live_ttl=dt.timedelta(hours=settings.HEALTH_CODE_LIVE_TTL_HOURS),
        card_ttl=dt.timedelta(days=settings.HEALTH_CODE_CARD_TTL_DAYS),
    )


def issuer() -> str:
    """The issuer this deployment names in its tokens."""
    return settings.HEALTH_CODE_ISSUER
