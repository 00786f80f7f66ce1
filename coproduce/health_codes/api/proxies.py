"""Family proxies over JSON: grant with consent, list, withdraw; the people one manages."""

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Schema, Status

from coproduce.accounts.models import User
from coproduce.core.api import InputSchema
from coproduce.core.errors import NotFound, PermissionDenied
from coproduce.health_codes import selectors, services
from coproduce.health_codes.api.base import person_for_request, proxy_for_request, router
from coproduce.health_codes.models import ProxyConsent


class ProxyIn(InputSchema):
    username: str = Field(min_length=1, max_length=150)
    relation: str = Field(min_length=1, max_length=40)
    consent: str = Field(min_length=1, max_length=300)


class ProxyOut(Schema):
    person: str
    username: str
    relation: str
    granted_at: dt.datetime
    revoked_at: dt.datetime | None = None


def proxy_out(consent: ProxyConsent) -> dict:
    return {
        "person": consent.person.public_id,
        "username": consent.user.get_username(),
        "relation": consent.relation,
        "granted_at": consent.granted_at,
        "revoked_at": consent.revoked_at,
    }


@router.post("/residents/{public_id}/proxies", response={201: ProxyOut})
def proxy_create(request: HttpRequest, public_id: str, payload: ProxyIn):
    """Let a family member's account manage this person's code and reports, with consent.

    The person grants it from their own account, or staff in scope record consent given in
    person (an elderly parent without a phone).
    """
    person, how = person_for_request(request, public_id, "health_codes.proxy")
    if how == "proxy":
        raise PermissionDenied("Only the person or staff in scope add a proxy.")
    user = User.objects.filter(username=payload.username, is_active=True).first()
    if user is None:
        raise NotFound("No active account has that name.", code="user_not_found")
    consent = services.proxy_grant(
        person=person,
        user=user,
        relation=payload.relation,
        consent=payload.consent,
        actor=request.user,
    )
    return Status(201, proxy_out(consent))


@router.get("/residents/{public_id}/proxies", response=list[ProxyOut])
def proxy_list(request: HttpRequest, public_id: str):
    """The accounts that manage this person's code: for the person and staff in scope; a
    proxy sees only their own consent."""
    person, how = person_for_request(request, public_id, "health_codes.proxy")
    consents = selectors.proxies_of(person=person)
    if how == "proxy":
        consents = consents.filter(user=request.user)
    return [proxy_out(c) for c in consents]


@router.delete("/residents/{public_id}/proxies/{username}", response=ProxyOut)
def proxy_delete(request: HttpRequest, public_id: str, username: str):
    """Withdraw a family proxy's consent: the person, the proxy themselves, or staff in scope
    (consent withdrawn in person). The proxy loses access at once; audited."""
    consent, _how = proxy_for_request(request, public_id, username)
    return proxy_out(services.proxy_revoke(consent=consent, actor=request.user))


class ManagedOut(Schema):
    id: str
    name: str
    color: str


@router.get("/me/family", response=list[ManagedOut])
def family_list(request: HttpRequest):
    """The people the caller manages as a family proxy, with their current colors."""
    people = list(selectors.managed_people(user=request.user))
    colors = selectors.colors_of(person_ids=[p.pk for p in people])
    return [{"id": p.public_id, "name": p.name, "color": colors[p.pk]} for p in people]
