"""The health code over JSON: its color and reasons with a signed payload, the QR images."""

import datetime as dt

from django.http import HttpRequest, HttpResponse
from ninja import Schema

from coproduce.accounts.permissions import authorize
from coproduce.core.api import SafeDate
from coproduce.health_codes import qrcodes, rules, selectors, services, texts
from coproduce.health_codes.api.base import person_for_request, router
from coproduce.people.models import Person


class CodeReasonOut(Schema):
    code: str
    text: str
    since: dt.date
    reports_remaining: int | None
    green_on: dt.date | None


class CodeOut(Schema):
    color: str
    as_of: dt.date
    reasons: list[CodeReasonOut]
    green_on: dt.date | None
    payload: str | None
    expires_at: dt.datetime | None


def code_out(person: Person, state: rules.CodeState, *, with_token: bool) -> dict:
    """The code as the API and pages show it; a live token only for today's code."""
    token = (
        services.token_issue_for(person=person, kind="live", color=state.color)
        if with_token
        else None
    )
    return {
        "color": state.color.value,
        "as_of": state.as_of,
        "reasons": [
            {
                "code": r.code.value,
                "text": texts.reason_words(r),
                "since": r.since,
                "reports_remaining": r.reports_remaining,
                "green_on": r.green_on,
            }
            for r in state.reasons
        ],
        "green_on": state.green_on,
        "payload": token.payload if token else None,
        "expires_at": token.claims.expires_at if token else None,
    }


def current_state(person: Person) -> rules.CodeState:
    """Today's code, storing it first if a date-driven change made the stored color stale."""
    state = selectors.code_state(person=person)
    if selectors.colors_of(person_ids=[person.pk])[person.pk] != state.color.value:
        # A date-driven change the daily recompute has not reached yet: store it now.
        services.health_code_recompute(person=person, actor=None)
    return state


@router.get("/residents/{public_id}/health-code", response=CodeOut)
def health_code_get(request: HttpRequest, public_id: str, as_of: SafeDate | None = None):
    """The code: color, reasons in plain words, reports remaining, a signed payload.

    `as_of` (a past or future day, no token) is for officials with health_codes.view.
    """
    person, how = person_for_request(request, public_id, "health_codes.view")
    if as_of is not None:
        if how != "staff":
            authorize(request.user, "health_codes.view", region=person.home_region)
        return code_out(person, selectors.code_state(person=person, as_of=as_of), with_token=False)
    return code_out(person, current_state(person), with_token=True)


# The code as an image: declared so that the schema says what the answer is.
SVG = {"responses": {200: {"content": {"image/svg+xml": {"schema": {"type": "string"}}}}}}


@router.get("/residents/{public_id}/health-code.svg", openapi_extra=SVG)
def health_code_svg(request: HttpRequest, public_id: str):
    """The live QR code in the code's color."""
    person, _ = person_for_request(request, public_id, "health_codes.view")
    state = current_state(person)
    token = services.token_issue_for(person=person, kind="live", color=state.color)
    svg = qrcodes.qr_svg(token.payload, color=state.color, scale=6)
    return HttpResponse(svg, content_type="image/svg+xml", headers={"Cache-Control": "no-store"})


@router.get("/residents/{public_id}/card.svg", openapi_extra=SVG)
def card_svg(request: HttpRequest, public_id: str):
    """The printable card: an identity QR (no color) with the name and the public id."""
    person, _how = person_for_request(request, public_id, "health_codes.card")
    token = services.token_issue_for(person=person, kind="card")
    svg = qrcodes.card_svg(
        token.payload,
        name=person.name,
        subject=person.public_id,
        lines=(f"valid until {token.claims.expires_at.date().isoformat()}",),
    )
    return HttpResponse(svg, content_type="image/svg+xml", headers={"Cache-Control": "no-store"})
