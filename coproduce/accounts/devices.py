"""Known devices: a signed cookie naming the usernames that signed in from this browser.

An attempt to sign in from a browser where the username signed in before answers only to that
device's own count of failures (accounts.rules.SignInLimit.DEVICE), so that no one elsewhere
can lock the account's owner out by failing on purpose (docs/accounts.md). The cookie is signed
with SECRET_KEY: it cannot be made up, and it names usernames by a keyed hash only.
"""

import secrets

from django.conf import settings
from django.core import signing
from django.utils.crypto import salted_hmac

from coproduce.accounts.rules import sign_in_username_key

COOKIE = "coproduce_device"
SALT = "coproduce.accounts.device"
MAX_AGE_SECONDS = 180 * 24 * 3600
# The usernames remembered per browser (a shared family tablet, say), newest kept.
MAX_USERNAMES = 8


def _tag(username: str) -> str:
    key = sign_in_username_key(username)
    return salted_hmac(SALT, key, algorithm="sha256").hexdigest()[:32]


def _read(request) -> dict | None:
    raw = request.COOKIES.get(COOKIE) if request is not None else None
    if not raw:
        return None
    try:
        value = signing.loads(raw, salt=SALT, max_age=MAX_AGE_SECONDS)
    except signing.BadSignature:
        return None
    if not isinstance(value, dict) or not isinstance(value.get("d"), str):
        return None
    if not isinstance(value.get("u"), list):
        return None
    return value


def known_device(request, username: str) -> str | None:
    """The id of this browser if `username` signed in from it before, else None."""
    value = _read(request)
    if value is None or _tag(username) not in value["u"]:
        return None
    return value["d"]


def remember_device(request, response, username: str) -> None:
    """After a successful sign-in: this browser is a known device of `username` from now on."""
    value = _read(request) or {"d": secrets.token_urlsafe(16), "u": []}
    tag = _tag(username)
    tags = [t for t in value["u"] if t != tag][-(MAX_USERNAMES - 1) :] + [tag]
    response.set_cookie(
        COOKIE,
        signing.dumps({"d": value["d"], "u": tags}, salt=SALT),
        max_age=MAX_AGE_SECONDS,
        httponly=True,
        secure=settings.SESSION_COOKIE_SECURE,
        samesite="Lax",
    )
