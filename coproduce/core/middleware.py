"""Request middleware of the shared kernel."""

from django.contrib.auth.views import redirect_to_login
from django.db import DataError
from django.shortcuts import render

from coproduce.core.errors import DomainError, NotAuthenticated
from coproduce.core.origin import Origin, origin_reset, origin_set


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
