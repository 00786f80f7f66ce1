"""Organizations in the caller's scope."""

from typing import Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from coproduce.accounts.permissions import authorize
from coproduce.core.api import InputSchema
from coproduce.orgs import selectors, services
from coproduce.orgs.models import Organization
from coproduce.regions.selectors import region_get

router = Router(tags=["organizations"])


class OrganizationIn(InputSchema):
    name: str = Field(max_length=200)
    name_zh: str = Field(default="", max_length=200)
    category: str = Field(max_length=32)
    home_region: str = Field(max_length=20)
    service_regions: list[str] = Field(default_factory=list, max_length=500)
    slug: str = Field(default="", max_length=80, pattern=r"^[a-z0-9-]*$")
    description: str = Field(default="", max_length=2000)


class VerificationIn(InputSchema):
    state: Literal["verified", "rejected"]
    note: str = Field(default="", max_length=500)


class OrganizationOut(Schema):
    slug: str
    name: str
    name_zh: str
    category: str
    home_region: str
    verification: str


def organization_out(org: Organization) -> dict:
    return {
        "slug": org.slug,
        "name": org.name,
        "name_zh": org.name_zh,
        "category": org.category,
        "home_region": org.home_region_id,
        "verification": org.verification,
    }


@router.get("/organizations", response=list[OrganizationOut])
def organization_list(request: HttpRequest, category: str | None = None):
    """Organizations based in the caller's scope."""
    scope = authorize(request.user, "orgs.view")
    return [
        organization_out(o) for o in selectors.organization_list(scope=scope, category=category)
    ]


@router.get("/organizations/{slug}", response=OrganizationOut)
def organization_detail(request: HttpRequest, slug: str):
    """One organization in scope."""
    scope = authorize(request.user, "orgs.view")
    return organization_out(selectors.organization_get(slug=slug, scope=scope))


@router.post("/organizations", response={201: OrganizationOut})
def organization_create(request: HttpRequest, payload: OrganizationIn):
    """Register an organization in a region of the caller's scope (verification follows)."""
    home = region_get(code=payload.home_region)
    authorize(request.user, "orgs.verify", region=home)
    served = [region_get(code=c) for c in payload.service_regions]
    for region in served:
        authorize(request.user, "orgs.verify", region=region)
    org = services.organization_create(
        name=payload.name,
        name_zh=payload.name_zh,
        category=payload.category,
        home_region=home,
        service_regions=served or None,
        slug=payload.slug,
        description=payload.description,
        actor=request.user,
    )
    return Status(201, organization_out(org))


@router.post("/organizations/{slug}/verification", response=OrganizationOut)
def organization_verify(request: HttpRequest, slug: str, payload: VerificationIn):
    """Verify an organization, or reject it (stored as suspended), by an admin or a health
    official of the organization's region."""
    org = selectors.organization_get(slug=slug, scope=authorize(request.user, "orgs.verify"))
    org = services.organization_verify(
        organization=org,
        verified=payload.state == "verified",
        note=payload.note,
        actor=request.user,
    )
    return organization_out(org)
