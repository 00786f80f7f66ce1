"""Request middleware of the shared kernel."""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.db import DataError
from django.shortcuts import render

from coproduce.core.errors import DomainError, NotAuthenticated
from coproduce.core.origin import Origin, client_address, origin_reset, origin_set


def permissions_policy_middleware(get_response):
    """Send the Permissions-Policy of settings.PERMISSIONS_POLICY on every answer."""

    def middleware(request):
        response = get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response

    return middleware


def client_address_middleware(get_response):
    """Behind a trusted reverse proxy, REMOTE_ADDR becomes the client's address (its header).

    First in MIDDLEWARE, so that the audit trail, sign-in limits and everything else see the
    client, not the proxy (COPRODUCE_TRUSTED_PROXIES, COPRODUCE_CLIENT_ADDRESS_HEADER).
    """

    def middleware(request):
        trusted = settings.TRUSTED_PROXIES
        if trusted:
            meta = request.META
            meta["REMOTE_ADDR"] = client_address(
                meta.get("REMOTE_ADDR"), meta.get(settings.CLIENT_ADDRESS_HEADER), trusted
            )
        return get_response(request)

    return middleware


def request_origin_middleware(get_response):
    """Make the request's origin available to the audit trail while it is served."""

    def middleware(request):
        token = origin_set(
            Origin(
                ip=request.META.get("REMOTE_ADDR") or None,
                agent=request.META.get("HTTP_USER_AGENT", "")[:200],
                path=request.path[:200],
            )
        )
        try:
            return get_response(request)
        finally:
            origin_reset(token)

    return middleware


def domain_error_middleware(get_response):
    """Turn a domain failure raised in a page view into the page a person expects (403, 404...)."""

    def middleware(request):
        return get_response(request)

    def process_exception(request, exception):
        if request.path.startswith("/api/"):
            return None  # the API answers in its own JSON shape
        if isinstance(exception, NotAuthenticated):
            return redirect_to_login(request.get_full_path())
        if isinstance(exception, DomainError):
            return render(
                request,
                "error.html",
                {
                    "status": exception.status,
                    # a refusal's words for a page, if it has them ("This page is for...")
                    "message": getattr(exception, "page_message", "") or exception.message,
                },
                status=exception.status,
            )
        if isinstance(exception, DataError):
            # A value the database cannot hold (a NUL in the address, say): bad input.
            return render(request, "error.html", {"status": 400, "message": ""}, status=400)
        return None

    middleware.process_exception = process_exception
    return middleware
