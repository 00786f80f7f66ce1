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
