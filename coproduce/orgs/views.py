"""Pages about organizations: the list in the caller's scope and one organization."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.shortcuts import render

from coproduce.accounts.permissions import authorize
from coproduce.orgs import selectors
from coproduce.orgs.models import Organization


@login_required
def organization_list(request: HttpRequest):
    """Organizations based in the caller's scope, by category."""
    scope = authorize(request.user, "orgs.view")
    category = request.GET.get("category") or None
    if category not in Organization.Category.values:
        category = None
    orgs = selectors.organization_list(scope=scope, category=category)
    return render(
        request,
        "orgs/list.html",
        {"orgs": orgs, "categories": Organization.Category.choices, "category": category},
    )


@login_required
def organization_detail(request: HttpRequest, slug: str):
    """One organization: category, verification, regions served and member count."""
    scope = authorize(request.user, "orgs.view")
    org = selectors.organization_get(slug=slug, scope=scope)
    return render(request, "orgs/detail.html", {"org": org, "members": org.memberships.count()})
