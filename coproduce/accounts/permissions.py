"""The one permission helper that every endpoint and page uses.

A grant is (role, region subtree, optional organization). `authorize` answers whether the caller
may act on an object in a region (and organization); `scope_for` turns the caller's grants into a
filter that selectors apply to their querysets, so that no query leaves the caller's scope.
"""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coproduce.accounts.models import RoleAssignment
from coproduce.accounts.rules import Role, roles_granting
from coproduce.core.errors import NotAuthenticated, PermissionDenied
from coproduce.core.sql import CompiledQuery

# Passed for objects that do not belong to any organization (see Scope.covers).
NO_ORGANIZATION = object()


@dataclass(frozen=True)
class Grant:
    """One role held in a region subtree (by its path), optionally for one organization."""

    role: Role
    region_code: str
    region_path: str
    organization_id: int | None


@dataclass(frozen=True)
class Scope:
    """Where a permission lets the caller act: everywhere, or a set of (subtree, organization)."""

    everywhere: bool
    grants: tuple[Grant, ...]

    @property
    def empty(self) -> bool:
        """Whether the permission is held nowhere."""
        return not self.everywhere and not self.grants

    def region_q(self, field: str) -> Q:
        """A filter for objects whose region (`field`, a Region foreign key) lies in scope."""
        if self.everywhere:
            return Q()
        if not self.grants:
            return Q(pk__in=[])
        q = Q(pk__in=[])
        for path in sorted({g.region_path for g in self.grants}):
            q |= Q(**{f"{field}__path__startswith": path})
        return q

    def q(self, *, region_field: str, org_field: str | None = None) -> Q:
        """A filter on region and, for organization-bound grants, organization."""
        if self.everywhere:
            return Q()
        q = Q(pk__in=[])
        for grant in self.grants:
            part = Q(**{f"{region_field}__path__startswith": grant.region_path})
            if grant.organization_id is not None and org_field is not None:
                part &= Q(**{org_field: grant.organization_id})
            q |= part
        return q

    def covers(self, region_path: str, organization_id=NO_ORGANIZATION) -> bool:
        """Whether an object in that region lies in scope.

        For objects that belong to an organization (a checkpoint, a call for volunteers), pass
        its id (or None): an organization-bound grant then covers only that organization's.
        Objects without one (a person) leave it out, and the region alone decides.
        """
        if self.everywhere:
            return True
        return any(
            region_path.startswith(g.region_path)
            and (
                organization_id is NO_ORGANIZATION
                or g.organization_id is None
                or g.organization_id == organization_id
            )
            for g in self.grants
        )


# Read on every request that checks a permission: compiled once (see core.sql) and kept a
# second per worker process; a grant or revocation shows at once in the process that made it
# (signals) and within a second in the others.
_GRANTS = CompiledQuery(
    lambda user_id: RoleAssignment.objects.filter(user_id=user_id).values_list(
        "role", "region__code", "region__path", "organization_id"
    ),
    fresh_for=1.0,
    forget_on=(RoleAssignment,),
    user_id=-8_191_013,
)


def user_grants(user) -> tuple[Grant, ...]:
    """The caller's grants, read once per request and kept on the user object."""
    cached = getattr(user, "_coproduce_grants", None)
    if cached is not None:
        return cached
    grants: tuple[Grant, ...] = ()
    if getattr(user, "is_authenticated", False) and user.is_active:
        grants = tuple(
            Grant(Role(role), code, path, org)
            for role, code, path, org in _GRANTS.rows(user_id=user.pk)
        )
    user._coproduce_grants = grants
    return grants


def user_roles(user) -> set[Role]:
    """The roles the caller holds anywhere (the home page lists their modules)."""
    roles = {g.role for g in user_grants(user)}
    if getattr(user, "is_superuser", False):
        roles.add(Role.ADMIN)
    return roles


def scope_for(user, permission: str) -> Scope:
    """Where `user` holds `permission`: a superuser or a province-wide admin everywhere."""
    if not getattr(user, "is_authenticated", False):
        raise NotAuthenticated(_("Sign in, or send an API token."))
    if user.is_superuser:
        return Scope(everywhere=True, grants=())
    holders = roles_granting(permission)
    grants = tuple(g for g in user_grants(user) if g.role in holders)
    return Scope(everywhere=False, grants=grants)


# The roles as the people who hold them, for refusals in plain words ("This page is for...").
ROLE_HOLDERS = {
    Role.RESIDENT: gettext_lazy("residents"),
    Role.VOLUNTEER: gettext_lazy("volunteers"),
    Role.CHECKPOINT_STAFF: gettext_lazy("checkpoint staff"),
    Role.CBO_COORDINATOR: gettext_lazy("coordinators of community organizations"),
    Role.TRACER: gettext_lazy("contact tracers"),
    Role.HEALTH_OFFICIAL: gettext_lazy("health officials"),
    Role.ENTERPRISE_REP: gettext_lazy("enterprise representatives"),
    Role.ASSOCIATION_STAFF: gettext_lazy("association staff"),
    Role.COUNSELOR: gettext_lazy("counselors"),
    Role.CLINICIAN: gettext_lazy("clinicians"),
    Role.PARTNER: gettext_lazy("partner businesses"),
    Role.ADMIN: gettext_lazy("administrators"),
}


def holders_text(permission: str) -> str:
    """Who holds `permission`, in words: "checkpoint staff and health officials"."""
    roles = [r for r in Role if r in roles_granting(permission) and r != Role.ADMIN] or [Role.ADMIN]
    names = [str(ROLE_HOLDERS[r]) for r in roles]
    if len(names) == 1:
        return names[0]
    return _("%(some)s and %(last)s") % {"some": _(", ").join(names[:-1]), "last": names[-1]}


def refusal(permission: str, *, outside: bool = False) -> PermissionDenied:
    """A refusal in plain words, never the permission's name: the API's message says who may do
    this, the page's message says whom the page is for (core.middleware shows it)."""
    if outside:
        error = PermissionDenied(_("This is outside your region or organization."))
        error.page_message = _("This page is about a region or organization outside yours.")
    else:
        who = holders_text(permission)
        error = PermissionDenied(_("Only %(holders)s may do this.") % {"holders": who})
        error.page_message = _("This page is for %(holders)s.") % {"holders": who}
    return error


def authorize(user, permission: str, *, region=None, organization_id=NO_ORGANIZATION) -> Scope:
    """Refuse (403) unless `user` holds `permission` at `region` (and organization), if given."""
    scope = scope_for(user, permission)
    if scope.empty:
        raise refusal(permission)
    if region is not None and not scope.covers(region.path, organization_id):
        raise refusal(permission, outside=True)
    return scope


def scoped(queryset: QuerySet, user, permission: str, *, region_field: str, org_field=None):
    """`queryset` narrowed to the caller's scope for `permission` (empty when none)."""
    scope = scope_for(user, permission)
    return queryset.filter(scope.q(region_field=region_field, org_field=org_field))
