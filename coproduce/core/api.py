"""The JSON API's shared pieces: bounded input types, the error shape of API.md and its handlers.

Every integer, date and time a client sends goes through one of the bounded types below (path
and query parameters too), so that a value the database or Python's date arithmetic cannot hold
is refused as a 422 in the error shape, never a 500: an id is 1..2^63-1 (a BIGINT), a date or a
time lies within the years 1900..2200. `InputSchema` applies the same bounds to any plain
`int`, `date` or `datetime` field of a request body, as a net under the types.
"""

import logging
from datetime import date, datetime
from typing import Annotated

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import DataError
from django.http import Http404, HttpRequest, JsonResponse
from django.shortcuts import render
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError
from ninja.openapi.docs import Swagger, _csrf_needed
from pydantic import AfterValidator, BaseModel, Field, WithJsonSchema, field_validator

from coproduce.core.errors import DomainError, RateLimited

log = logging.getLogger(__name__)


# --- bounded types ----------------------------------------------------------------------------

# The largest value of a BIGINT (PostgreSQL) and of an INTEGER (SQLite): 2^63 - 1.
BIGINT_MAX = 2**63 - 1
# Paging beyond a billion rows means nothing here; the bound also keeps offset + limit a BIGINT.
OFFSET_MAX = 1_000_000_000
# Dates and times a record may name: far from Python's year 1..9999, whose edges break date
# arithmetic (a day before 0001-01-01, a week after 9999-12-31) and PostgreSQL's conversions.
YEAR_MIN, YEAR_MAX = 1900, 2200
DATE_MIN, DATE_MAX = date(YEAR_MIN, 1, 1), date(YEAR_MAX, 12, 31)


def _date_in_range(value: date) -> date:
    if not YEAR_MIN <= value.year <= YEAR_MAX:
        raise ValueError(f"Give a date between the years {YEAR_MIN} and {YEAR_MAX}.")
    return value


def _datetime_in_range(value: datetime) -> datetime:
    # Compared in UTC as well: 2200-12-31T23:00-05:00 is already in the year 2201 there.
    years = {value.year} if value.tzinfo is None else {value.year, _utc_year(value)}
    if not all(YEAR_MIN <= year <= YEAR_MAX for year in years):
        raise ValueError(f"Give a time between the years {YEAR_MIN} and {YEAR_MAX}.")
    return value


def _utc_year(value: datetime) -> int:
    try:
        return (value - value.utcoffset()).year
    except OverflowError:
        return value.year + (1 if value.year > YEAR_MAX else -1)


# An object's id, in a path, a query or a body.
Id = Annotated[int, Field(ge=1, le=BIGINT_MAX)]
# A count or an amount of whole things a client gives (a BIGINT, not negative).
Count = Annotated[int, Field(ge=0, le=BIGINT_MAX)]
# Paging of lists: `offset: Offset = 0`, `limit: Limit = 100` (or a tighter Annotated bound).
Offset = Annotated[int, Field(ge=0, le=OFFSET_MAX)]
Limit = Annotated[int, Field(ge=1, le=1000)]
SafeDate = Annotated[
    date,
    AfterValidator(_date_in_range),
    WithJsonSchema(
        {
            "type": "string",
            "format": "date",
            "description": f"A date (ISO 8601) of the years {YEAR_MIN} to {YEAR_MAX}.",
        }
    ),
]
SafeDateTime = Annotated[
    datetime,
    AfterValidator(_datetime_in_range),
    WithJsonSchema(
        {
            "type": "string",
            "format": "date-time",
            "description": f"A time (ISO 8601, with its offset) of the years {YEAR_MIN} to "
            f"{YEAR_MAX}.",
        }
    ),
]


def input_problem(value) -> str | None:
    """What makes a parsed input value unstorable (a NUL, an integer or a date out of range)."""
    if isinstance(value, str):
        return "Text may not contain NUL characters." if "\x00" in value else None
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        if not -BIGINT_MAX <= value <= BIGINT_MAX:
            return "The number is too large."
        return None
    if isinstance(value, datetime):
        try:
            _datetime_in_range(value)
        except ValueError as exc:
            return str(exc)
        return None
    if isinstance(value, date):
        try:
            _date_in_range(value)
        except ValueError as exc:
            return str(exc)
        return None
    if isinstance(value, list | tuple | set | frozenset):
        return next((p for v in value if (p := input_problem(v))), None)
    if isinstance(value, dict):
        return next(
            (p for kv in value.items() for v in kv if (p := input_problem(v))),
            None,
        )
    return None


class InputSchema(BaseModel):
    """A request body (or part of one): a JSON object of the declared fields, nothing else.

    Bodies are plain pydantic models, not ninja's Schema: Schema reads attributes off any value
    (it is made for ORM objects), so a nested part given a string or a number would silently
    take its defaults instead of being refused with its field named. Every field is checked by
    `input_problem`: no NUL (PostgreSQL cannot store it), no integer beyond a BIGINT, no date or
    time outside the years 1900..2200, whatever type the field was declared with.
    """

    @field_validator("*", mode="after")
    @classmethod
    def _storable(cls, value):
        # Refused here, with the field named, not as a 500 from the database or date arithmetic.
        if problem := input_problem(value):
            raise ValueError(problem)
        return value


class ErrorBody(Schema):
    """The body of every error answer: {"error": {"code", "message", "fields"}}."""

    code: str
    message: str
    fields: dict[str, list[str]] = {}


class ErrorOut(Schema):
    error: ErrorBody


# The 4xx answers an operation may give, each in the error shape (declared on every operation by
# CoproduceAPI): why each one happens, as the OpenAPI schema says it.
ERROR_ANSWERS = {
    400: "Malformed JSON, or a value the database cannot hold.",
    401: "Not signed in and no API token (or an unknown one).",
    403: "The caller's roles do not allow this here.",
    404: "No such object, or one outside the caller's scope (answered alike).",
    409: "The request conflicts with what is stored (a duplicate, a reused key, a state).",
    422: "A field is missing or not valid; `fields` names each one.",
    429: "Too many requests: try again after Retry-After seconds.",
}
# `openapi_extra=RATE_LIMITED` on an operation that may answer 429.
RATE_LIMITED = {"responses": {"429": {"description": ERROR_ANSWERS[429]}}}


class LocalSwagger(Swagger):
    """The API reference page with Swagger UI from our static files (npm `swagger-ui-dist`).

    django-ninja loads Swagger UI from a CDN unless ninja is an installed app; this page needs
    no third-party origin and no inline script (the Content Security Policy refuses both).
    """

    template = "api/swagger.html"

    def render_page(self, request, api, **kwargs):
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        context = {
            "swagger_settings": dict(self.settings),
            "api": api,
            "add_csrf": _csrf_needed(api),
        }
        return render(request, self.template, context)


class CoproduceAPI(NinjaAPI):
    """NinjaAPI whose OpenAPI schema declares the error answers of every operation.

    django-ninja documents only the answers an operation's `response=` names; every operation
    here may also answer 400, 404 and (with parameters or a body) 422, and those behind
    authentication 401 and 403, writes 409, all in the error shape (`ErrorOut`).
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("docs", LocalSwagger())
        super().__init__(*args, **kwargs)

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        declare_error_answers(schema)
        return schema


def declare_error_answers(schema: dict) -> None:
    """Add the error answers, in the error shape, to every operation of an OpenAPI schema."""
    error_schema = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.update(error_schema.pop("$defs", {}))
    components["ErrorOut"] = error_schema
    content = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
    for operations in schema.get("paths", {}).values():
        for method, operation in operations.items():
            statuses = {400, 404}
            if operation.get("security"):
                statuses |= {401, 403}
            if method in {"post", "put", "patch", "delete"}:
                statuses.add(409)
            if operation.get("parameters") or operation.get("requestBody"):
                statuses.add(422)
            # ninja keys its own answers by int, openapi_extra by str: one key per status.
            answers = {str(k): v for k, v in operation.get("responses", {}).items()}
            operation["responses"] = answers
            for status in sorted(statuses):
                answers.setdefault(str(status), {"description": ERROR_ANSWERS[status]})
            for status, answer in answers.items():
                if status.startswith("4") and "content" not in answer:
                    answer["content"] = content


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
