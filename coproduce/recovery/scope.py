"""Which enterprises a caller may act on for a permission (the recovery app's scope).

Built on `accounts.permissions.scope_for`: each grant of the permission widens the scope by
- a grant of the enterprise_rep role: the enterprises the user represents
  (EnterpriseRepresentative) whose region lies in the grant's region;
- a grant bound to an organization (association staff): that association's member enterprises;
- any other grant (an official): the enterprises of its region subtree.
An admin (superuser) sees every enterprise. Out of scope reads as absent (404).
"""

from dataclasses import dataclass

from django.db.models import Q

from coproduce.accounts.permissions import Scope, scope_for
from coproduce.accounts.rules import Role
from coproduce.recovery.models import EnterpriseMembership, EnterpriseRepresentative


@dataclass(frozen=True)
class EnterpriseScope:
    """The enterprises a permission reaches: by region, by association, by representation."""

    scope: Scope
    user_id: int | None
    region_paths: tuple[str, ...]
    association_ids: tuple[int, ...]
    rep_region_paths: tuple[str, ...]

    @property
    def everywhere(self) -> bool:
        return self.scope.everywhere

    @property
    def empty(self) -> bool:
        return self.scope.empty

    def q(self, prefix: str = "") -> Q:
        """A filter on Enterprise (or, with `prefix` such as "enterprise__", a related model)."""
        if self.everywhere:
            return Q()
        q = Q(pk__in=[]) if not prefix else Q(**{f"{prefix}pk__in": []})
        for path in self.region_paths:
            q |= Q(**{f"{prefix}region__path__startswith": path})
        if self.association_ids:
            members = EnterpriseMembership.objects.filter(
                association_id__in=self.association_ids
            ).values("enterprise_id")
            q |= Q(**{f"{prefix}pk__in": members})
        if self.rep_region_paths and self.user_id is not None:
            mine = EnterpriseRepresentative.objects.filter(user_id=self.user_id).values(
                "enterprise_id"
            )
            regions = Q(pk__in=[])
            for path in self.rep_region_paths:
                regions |= Q(**{f"{prefix}region__path__startswith": path})
            q |= Q(**{f"{prefix}pk__in": mine}) & regions
        return q

    def covers_association(self, association_id: int) -> bool:
        """Whether the caller acts for this association (a grant bound to it, or an admin)."""
        return self.everywhere or association_id in self.association_ids


def enterprise_scope(user, permission: str) -> EnterpriseScope:
    """The caller's enterprise scope for `permission` (see the module docstring)."""
    scope = scope_for(user, permission)
    regions, associations, reps = [], [], []
    for grant in scope.grants:
        if grant.role == Role.ENTERPRISE_REP:
            reps.append(grant.region_path)
        elif grant.organization_id is not None:
            associations.append(grant.organization_id)
        else:
            regions.append(grant.region_path)
    return EnterpriseScope(
        scope=scope,
        user_id=getattr(user, "pk", None),
        region_paths=tuple(sorted(set(regions))),
        association_ids=tuple(sorted(set(associations))),
        rep_region_paths=tuple(sorted(set(reps))),
    )
