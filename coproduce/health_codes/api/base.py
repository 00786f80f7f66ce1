"""The one router of the health codes API, and who may act for a person (every part uses it)."""

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router

from coproduce.accounts.permissions import scope_for
from coproduce.core.errors import NotFound, PermissionDenied
from coproduce.health_codes import selectors
from coproduce.health_codes.models import ProxyConsent
from coproduce.people import selectors as people_selectors
from coproduce.people.models import Person
from coproduce.people.services import person_open

router = Router(tags=["health codes"])


def person_for_request(request: HttpRequest, public_id: str, permission: str) -> tuple[Person, str]:
    """The person and how the caller acts for them: "self", "proxy" (family) or "staff" (audited)."""
    user = request.user
    own = people_selectors.person_of_user(user=user)
    if own is not None and own.public_id == public_id:
        return own, "self"
    managed = selectors.managed_people(user=user).filter(public_id=public_id).first()
    if managed is not None:
        return managed, "proxy"
    scope = scope_for(user, permission)
    if scope.empty:
        raise NotFound(_("No such person in your scope."), code="person_not_found")
    person = people_selectors.person_get(public_id=public_id, scope=scope)
    return person_open(person=person, actor=user), "staff"


def proxy_for_request(
    request: HttpRequest, public_id: str, username: str
) -> tuple[ProxyConsent, str]:
    """A live consent the caller may withdraw, and how they stand: "self", "proxy" or "staff".

    The parties may: the person (any of their proxies) and the proxy (their own consent); so
    may staff with health_codes.proxy in the person's scope (audited as a view of the record).
    Anyone else is not party to it (403, whether or not it exists); an unknown person or
    consent is 404, and so is a person outside the staff member's scope (architecture.md).
    """
    user = request.user
    own = people_selectors.person_of_user(user=user)
    if own is not None and own.public_id == public_id:
        return selectors.proxy_consent_named(person=own, username=username), "self"
    if username == user.get_username():
        managed = selectors.managed_people(user=user).filter(public_id=public_id).first()
        if managed is not None:
            return selectors.proxy_consent_named(person=managed, username=username), "proxy"
    scope = scope_for(user, "health_codes.proxy")
    if scope.empty:
        raise PermissionDenied(
            _("Only the person, the proxy themselves or staff in scope withdraw a consent.")
        )
    person = people_selectors.person_get(public_id=public_id, scope=scope)
    person_open(person=person, actor=user)
    return selectors.proxy_consent_named(person=person, username=username), "staff"
