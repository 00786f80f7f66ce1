"""Writes of parks, enterprises, association membership and representatives."""

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from coproduce.accounts.permissions import authorize
from coproduce.accounts.rules import Role
from coproduce.core.audit import audit_record
from coproduce.core.errors import Conflict, PermissionDenied, ValidationFailed
from coproduce.orgs.models import Organization
from coproduce.recovery.models import (
    ASSOCIATION_CATEGORIES,
    Enterprise,
    EnterpriseMembership,
    EnterpriseRepresentative,
    IndustrialPark,
    Industry,
    SizeClass,
)
from coproduce.recovery.services import aggregates
from coproduce.regions.models import Region


def park_create(*, actor, name: str, region: Region) -> IndustrialPark:
    """Register an industrial park in a region of the caller's scope."""
    authorize(actor, "recovery.parks", region=region)
    if not name.strip():
        raise ValidationFailed.field("name", _("A name is required."))
    with transaction.atomic():
        park = IndustrialPark.objects.create(name=name.strip()[:200], region=region)
        aggregates.park_added(park=park)
        audit_record(actor=actor, action="recovery.park.create", target=park)
    return park


def _associations_of(slugs: list[str]) -> list[Organization]:
    orgs = list(Organization.objects.filter(slug__in=slugs, category__in=ASSOCIATION_CATEGORIES))
    missing = sorted(set(slugs) - {o.slug for o in orgs})
    if missing:
        raise ValidationFailed.field(
            "associations",
            _("Not an industrial or business association: %(slugs)s")
            % {"slugs": ", ".join(missing)},
        )
    return orgs


def enterprise_create(
    *,
    actor,
    name: str,
    industry: str,
    size_class: str,
    workers_total: int,
    region: Region,
    park: IndustrialPark | None = None,
    associations: list[str] | None = None,
    lat: Decimal | None = None,
    lon: Decimal | None = None,
    representatives: list | None = None,
) -> Enterprise:
    """Register an enterprise; an enterprise_rep who registers it becomes its representative."""
    scope = authorize(actor, "recovery.enterprises", region=region)
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = [_("A name is required.")]
    if industry not in Industry.values:
        errors["industry"] = [_("Not a known industry.")]
    if size_class not in SizeClass.values:
        errors["size_class"] = [_("Not a known size class.")]
    if not isinstance(workers_total, int) or workers_total < 0:
        errors["workers_total"] = [_("Workers are a whole number, 0 or more.")]
    if (lat is None) != (lon is None):
        errors["lat"] = [_("Give both coordinates or neither.")]
    elif lat is not None and not (-90 <= lat <= 90 and -180 <= lon <= 180):
        errors["lat"] = [_("Coordinates out of range.")]
    if park is not None and not region.path.startswith(park.region.path):
        errors["park"] = [_("The park is not in the enterprise's region.")]
    orgs: list[Organization] = []
    try:
        orgs = _associations_of(sorted(set(associations or [])))
    except ValidationFailed as exc:
        errors.update(exc.fields)
    if errors:
        raise ValidationFailed(_("The enterprise has problems."), fields=errors)
    bound = {g.organization_id for g in scope.grants if g.organization_id is not None}
    if not scope.everywhere and bound and not bound & {o.pk for o in orgs}:
        # association staff register enterprises as members of their own association
        raise ValidationFailed.field(
            "associations", _("Name your association: an enterprise you register is its member.")
        )
    with transaction.atomic():
        ent = Enterprise.objects.create(
            name=name.strip()[:200],
            industry=industry,
            size_class=size_class,
            workers_total=workers_total,
            region=region,
            park=park,
            lat=lat,
            lon=lon,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        EnterpriseMembership.objects.bulk_create(
            [EnterpriseMembership(enterprise=ent, association=o) for o in orgs]
        )
        reps = list(representatives or [])
        if any(g.role == Role.ENTERPRISE_REP for g in scope.grants) and actor not in reps:
            reps.append(actor)
        EnterpriseRepresentative.objects.bulk_create(
            [EnterpriseRepresentative(enterprise=ent, user=u) for u in reps]
        )
        aggregates.enterprise_added(enterprise=ent)
        audit_record(
            actor=actor,
            action="recovery.enterprise.create",
            target=ent,
            details={"associations": [o.slug for o in orgs]},
        )
    return ent


def enterprise_membership_add(
    *, actor, enterprise: Enterprise, association: Organization
) -> EnterpriseMembership:
    """Make an enterprise of the caller's region a member of the caller's association."""
    if association.category not in ASSOCIATION_CATEGORIES:
        raise ValidationFailed.field("association", _("Not an industrial or business association."))
    authorize(
        actor, "recovery.enterprises", region=enterprise.region, organization_id=association.pk
    )
    scope = authorize(actor, "recovery.enterprises")
    if not scope.everywhere and association.pk not in {g.organization_id for g in scope.grants}:
        raise PermissionDenied(_("Only the association's staff add its members."))
    try:
        with transaction.atomic():
            link = EnterpriseMembership.objects.create(
                enterprise=enterprise, association=association
            )
            audit_record(
                actor=actor,
                action="recovery.membership.add",
                target=enterprise,
                details={"association": association.slug},
            )
    except IntegrityError:
        raise Conflict(_("The enterprise is already a member."), code="already_member") from None
    return link


def enterprise_representative_add(
    *, actor, enterprise: Enterprise, user
) -> EnterpriseRepresentative:
    """Let `user` act for `enterprise` (they also need an enterprise_rep role over its region)."""
    authorize(actor, "recovery.enterprises", region=enterprise.region)
    try:
        with transaction.atomic():
            link = EnterpriseRepresentative.objects.create(enterprise=enterprise, user=user)
            audit_record(
                actor=actor,
                action="recovery.representative.add",
                target=enterprise,
                details={"user": user.pk},
            )
    except IntegrityError:
        raise Conflict(
            _("That user already represents the enterprise."), code="already_representative"
        ) from None
    return link
