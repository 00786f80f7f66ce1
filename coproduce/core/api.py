"""The JSON API's shared pieces: the error shape of API.md and its exception handlers."""

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import DataError
from django.http import Http404, HttpRequest, JsonResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError
from pydantic import BaseModel, field_validator

from coproduce.core.errors import DomainError, RateLimited

log = logging.getLogger(__name__)


class InputSchema(BaseModel):
    """A request body (or part of one): a JSON object of the declared fields, nothing else.

    Bodies are plain pydantic models, not ninja's Schema: Schema reads attributes off any value
    (it is made for ORM objects), so a nested part given a string or a number would silently
    take its defaults instead of being refused with its field named.
    """

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul_characters(cls, value):
        # PostgreSQL cannot store NUL in text: refused here, with the field named, not as a 500.
        if _holds_nul(value):
            raise ValueError("Text may not contain NUL characters.")
        return value


def _holds_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, list | tuple):
        return any(_holds_nul(v) for v in value)
    return False


class ErrorBody(Schema):
    """The body of every error answer: {"error": {"code", "message", "fields"}}."""

    code: str
    message: str
    fields: dict[str, list[str]] = {}


class ErrorOut(Schema):
    error: ErrorBody


def error_response(status: int, code: str, message: str, fields=None) -> JsonResponse:
    """An error answer in the shape of API.md."""
    return JsonResponse(
        {"error": {"code": code, "message": message, "fields": fields or {}}}, status=status
    )


def _field_name(loc: list) -> str:
    # ["body", "payload", "declaration", "travel", 0, "date"] -> "declaration.travel.0.date"
    parts = [str(p) for p in loc]
    if parts and parts[0] in {"body", "query", "path", "form", "header", "cookie"}:
        parts = parts[1:]
        if len(parts) > 1 and parts[0] == "payload":
            parts = parts[1:]
    return ".".join(parts) or "body"


def _validation_fields(errors: list[dict]) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for err in errors:
        message = str(err.get("msg", "invalid"))
        if message.startswith("Value error, "):
            message = message.removeprefix("Value error, ")
        fields.setdefault(_field_name(list(err.get("loc", []))), []).append(message)
    return fields


def install_error_handlers(api: NinjaAPI) -> None:
    """Answer every failure in the error shape; never a 500 for bad input."""

    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError):
        response = error_response(exc.status, exc.code, exc.message, exc.fields)
        if isinstance(exc, RateLimited):
            response["Retry-After"] = str(exc.retry_after)
        return response

    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, exc: ValidationError):
        fields = _validation_fields(exc.errors)
        first = next(iter(fields.items()))
        return error_response(422, "validation_error", f"{first[0]}: {first[1][0]}", fields)

    @api.exception_handler(AuthenticationError)
    def authentication_error(request: HttpRequest, exc: AuthenticationError):
        return error_response(401, "not_authenticated", "Sign in, or send an API token.")

    @api.exception_handler(AuthorizationError)
    def authorization_error(request: HttpRequest, exc: AuthorizationError):
        return error_response(403, "permission_denied", str(exc) or "Not allowed.")

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError):
        code = {400: "bad_request", 404: "not_found", 405: "method_not_allowed"}.get(
            exc.status_code, "error"
        )
        return error_response(exc.status_code, code, str(exc))

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404):
        return error_response(404, "not_found", "Not found.")

    @api.exception_handler(DataError)
    def data_error(request: HttpRequest, exc: DataError):
        # A path or query value the database cannot hold (a NUL, say): bad input, not a crash.
        log.info("data error on %s: %s", request.path, exc)
        return error_response(400, "bad_request", "The request holds a value that is not valid.")

    @api.exception_handler(DjangoPermissionDenied)
    def permission_denied(request: HttpRequest, exc: DjangoPermissionDenied):
        return error_response(403, "permission_denied", str(exc) or "Not allowed.")
