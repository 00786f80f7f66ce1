"""How API callers prove who they are: a bearer token, or the browser session (with CSRF)."""

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from coproduce.accounts.services import token_authenticate


class BearerToken(HttpBearer):
    """`Authorization: Bearer TOKEN` for devices and integrations."""

    def authenticate(self, request: HttpRequest, token: str):
        user = token_authenticate(token)
        if user is not None:
            request.user = user
        return user


# Every endpoint takes either; public ones say auth=None.
API_AUTH = [BearerToken(), SessionAuth(csrf=True)]


def _anyone(request: HttpRequest) -> bool:
    """Lets a public request through after the token and the session had their try."""
    return True


# For public endpoints that show more to some signed-in callers (a region's stage shows its
# officials the suggested change): the caller is known when they sent credentials.
PUBLIC_OR_SIGNED_IN = [*API_AUTH, _anyone]
