"""The caller's own account."""

from django.http import HttpRequest
from ninja import Router, Schema

from coproduce.accounts.permissions import user_grants, user_roles
from coproduce.accounts.rules import home_modules

router = Router(tags=["accounts"])


class GrantOut(Schema):
    role: str
    region: str
    organization: int | None


class MeOut(Schema):
    username: str
    roles: list[str]
    grants: list[GrantOut]
    modules: list[str]


@router.get("/me", response=MeOut)
def me(request: HttpRequest):
    """Who the caller is, with the roles and scopes they hold."""
    user = request.user
    return {
        "username": user.get_username(),
        "roles": sorted(user_roles(user)),
        "grants": [
            {"role": g.role, "region": g.region_code, "organization": g.organization_id}
            for g in user_grants(user)
        ],
        "modules": home_modules(user_roles(user)),
    }
