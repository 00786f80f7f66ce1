"""Writes to organizations and their memberships."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from coproduce.core.audit import audit_record
from coproduce.core.errors import Conflict, ValidationFailed
from coproduce.orgs.models import Membership, Organization
from coproduce.regions.models import Region


def organization_create(
    *,
    name: str,
    category: str,
    home_region: Region,
    actor,
    slug: str = "",
    name_zh: str = "",
    service_regions: list[Region] | None = None,
    description: str = "",
    verified: bool = False,
) -> Organization:
    """Register an organization serving `home_region` (and any further service regions)."""
    if category not in Organization.Category.values:
        raise ValidationFailed.field("category", f"{category!r} is not a known category.")
    if not name.strip():
        raise ValidationFailed.field("name", "A name is required.")
    slug = slug or slugify(name)[:80]
    try:
        with transaction.atomic():
            org = Organization.objects.create(
                slug=slug,
                name=name.strip(),
                name_zh=name_zh,
                category=category,
                home_region=home_region,
                description=description,
                verification=Organization.Verification.VERIFIED
                if verified
                else Organization.Verification.PENDING,
                verified_at=timezone.now() if verified else None,
            )
            org.service_regions.set(service_regions or [home_region])
            audit_record(actor=actor, action="orgs.create", target=org)
    except IntegrityError:
        raise Conflict(
            f"An organization with the slug {slug!r} exists.", code="slug_taken"
        ) from None
    return org


def organization_verify(
    *, organization: Organization, verified: bool, actor, note: str = ""
) -> Organization:
    """Mark an organization verified, or suspend it (a rejected verification), with a note."""
    with transaction.atomic():
        organization.verification = (
            Organization.Verification.VERIFIED if verified else Organization.Verification.SUSPENDED
        )
        organization.verified_at = timezone.now() if verified else None
        organization.save(update_fields=["verification", "verified_at"])
        audit_record(
            actor=actor,
            action="orgs.verify" if verified else "orgs.suspend",
            target=organization,
            details={"note": note[:500]} if note else None,
        )
    return organization


def member_add(
    *, organization: Organization, user, kind: str, actor, title: str = ""
) -> Membership:
    """Add a user to an organization; adding twice updates the kind and title."""
    if kind not in Membership.Kind.values:
        raise ValidationFailed.field(
            "kind", f"{kind!r} is not one of {', '.join(Membership.Kind.values)}."
        )
    with transaction.atomic():
        membership, _ = Membership.objects.update_or_create(
            organization=organization, user=user, defaults={"kind": kind, "title": title}
        )
        audit_record(
            actor=actor,
            action="orgs.member_add",
            target=organization,
            details={"user": user.pk, "kind": kind},
        )
    return membership
