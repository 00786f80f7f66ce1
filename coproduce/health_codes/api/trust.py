"""The trust list of signing keys and the verification of a payload (both public)."""

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Schema

from coproduce.core.api import InputSchema
from coproduce.health_codes import selectors, services
from coproduce.health_codes.api.base import router


class TrustKeyOut(Schema):
    kid: str
    alg: str
    issuer: str
    public_key: str
    not_before: str | None
    not_after: str | None


class TrustListOut(Schema):
    keys: list[TrustKeyOut]


@router.get("/trust-list", response=TrustListOut, auth=None)
def trust_list(request: HttpRequest):
    """The public keys that sign codes (own and imported issuers'), for offline checkpoints."""
    return {"keys": selectors.trust_list_entries()}


class TokenVerifyIn(InputSchema):
    payload: str = Field(max_length=5000)


class ClaimsOut(Schema):
    issuer: str
    subject: str
    issued_at: dt.datetime
    expires_at: dt.datetime
    kind: str
    color: str | None


class TokenVerifyOut(Schema):
    result: str
    message: str
    claims: ClaimsOut | None = None


@router.post("/verify", response=TokenVerifyOut, auth=None)
def verify(request: HttpRequest, payload: TokenVerifyIn):
    """Verify a payload against the trust list: exactly one of the six results.

    Public, like the trust list it uses: anyone could verify offline with the published keys.
    Claims come back only when the signature verified (valid, expired, not_yet_valid).
    """
    result = services.payload_verify(payload=payload.payload)
    claims = None
    if result.claims is not None and result.result.value in {
        "valid",
        "expired",
        "not_yet_valid",
    }:
        c = result.claims
        claims = {
            "issuer": c.issuer,
            "subject": c.subject,
            "issued_at": c.issued_at,
            "expires_at": c.expires_at,
            "kind": c.kind.value,
            "color": c.color.value if c.color else None,
        }
    return {"result": result.result.value, "message": result.message, "claims": claims}
