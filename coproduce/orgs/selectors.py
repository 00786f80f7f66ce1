"""Reads of organizations."""

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from coproduce.accounts.permissions import Scope
from coproduce.core.errors import NotFound
from coproduce.orgs.models import Organization


def organization_list(*, scope: Scope, category: str | None = None) -> QuerySet[Organization]:
    """Organizations based in the scope, with their home region."""
    qs = Organization.objects.select_related("home_region").filter(scope.region_q("home_region"))
    if category:
        qs = qs.filter(category=category)
    return qs.order_by("name")


def organization_get(*, slug: str, scope: Scope) -> Organization:
    """One organization in scope by slug, or NotFound."""
    org = (
        organization_list(scope=scope).prefetch_related("service_regions").filter(slug=slug).first()
    )
    if org is None:
        raise NotFound(_("No organization %(slug)r in your scope.") % {"slug": slug})
    return org
