"""The region picker: drill down the tree from the caller's own regions, or type a name.

One reusable widget: the template include `accounts/_region_picker.html`, the view
`region_pick` (htmx) and the scoped reads below. A form declares
`RegionField(permission=...)` and hands it the caller's scope; only a region of that scope is
accepted. It lives in accounts because the scope does (regions sits below accounts).
"""

from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from coproduce.accounts.permissions import Scope, authorize
from coproduce.accounts.rules import PERMISSIONS
from coproduce.core.errors import NotFound, PermissionDenied
from coproduce.regions.models import Region

LIST_LIMIT = 100


def _in_scope(scope: Scope) -> Q:
    if scope.everywhere:
        return Q()
    q = Q(pk__in=[])
    for path in {g.region_path for g in scope.grants}:
        q |= Q(path__startswith=path)
    return q


def region_in_scope(*, code: str, scope: Scope) -> Region:
    """One region of the scope by code, or NotFound (outside looks like absent)."""
    region = Region.objects.filter(code=(code or "")[:20]).first()
    if region is None or not scope.covers(region.path):
        raise NotFound(_("Choose a region of your area from the list."), code="region_not_found")
    return region


def region_roots(*, scope: Scope):
    """Where the drill-down starts: the caller's own regions (the top ones for an admin)."""
    if scope.everywhere:
        return Region.objects.filter(parent__isnull=True).order_by("code")
    return Region.objects.filter(code__in={g.region_code for g in scope.grants}).order_by("path")


def region_children_in_scope(*, region: Region, scope: Scope):
    """The regions just below `region`, in scope."""
    return Region.objects.filter(parent=region).filter(_in_scope(scope)).order_by("code")


def region_search(*, scope: Scope, query: str, limit: int = 20) -> list[Region]:
    """Regions of the scope whose name (Chinese or English) or code contains the query."""
    query = (query or "").strip()[:60]
    if not query or scope.empty:
        return []
    match = Q(name__icontains=query) | Q(name_en__icontains=query) | Q(code__startswith=query)
    return list(
        Region.objects.filter(_in_scope(scope)).filter(match).order_by("depth", "code")[:limit]
    )


def picker_context(*, scope: Scope, name: str, perm: str, chosen: Region | None, query: str = ""):
    """What the picker shows: the chosen region with its path, the regions below, results."""
    crumbs = []
    if chosen is not None:
        codes = [c for c in chosen.path.strip("/").split("/") if c != chosen.code]
        crumbs = [
            r
            for r in Region.objects.filter(code__in=codes).order_by("depth")
            if scope.covers(r.path)
        ]
        below = region_children_in_scope(region=chosen, scope=scope)[:LIST_LIMIT]
    else:
        below = region_roots(scope=scope)[:LIST_LIMIT]
    return {
        "name": name,
        "perm": perm,
        "chosen": chosen,
        "crumbs": crumbs,
        "below": below,
        "q": query,
        "results": region_search(scope=scope, query=query) if query else None,
    }


class RegionPicker(forms.Widget):
    """Renders the region picker (drill-down and search)."""

    template_name = "accounts/_region_picker_widget.html"

    def __init__(self, *, permission: str, attrs=None):
        super().__init__(attrs)
        self.permission = permission
        self.scope: Scope | None = None
        self.query = ""

    def value_from_datadict(self, data, files, name):
        self.query = (data.get(f"{name}_q") or "")[:60]
        return data.get(name) or None

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if self.scope is None:
            return context
        chosen = None
        if value:
            code = value.code if isinstance(value, Region) else str(value)
            try:
                chosen = region_in_scope(code=code, scope=self.scope)
            except NotFound:
                chosen = None
        context.update(
            picker_context(
                scope=self.scope, name=name, perm=self.permission, chosen=chosen, query=self.query
            )
        )
        return context


class RegionField(forms.Field):
    """A region of the caller's scope, chosen with the picker; cleans to the Region."""

    default_error_messages = {
        "required": _("Choose a region: go down the list or type its name."),
        "invalid": _("Choose a region of your area from the list."),
    }

    def __init__(self, *, permission: str, **kwargs):
        assert permission in PERMISSIONS, permission
        self.permission = permission
        self.scope: Scope | None = None
        kwargs.setdefault("widget", RegionPicker(permission=permission))
        super().__init__(**kwargs)

    def set_scope(self, scope: Scope) -> None:
        """The scope the region must lie in (the form's caller)."""
        self.scope = scope
        self.widget.scope = scope

    def prepare_value(self, value):
        return value.code if isinstance(value, Region) else value

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if self.scope is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            return region_in_scope(code=str(value), scope=self.scope)
        except NotFound:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


def _name_ok(name: str) -> str:
    if not name or len(name) > 40 or not all(c.isalnum() or c in "_-" for c in name):
        raise NotFound(_("No such picker."))
    return name


@login_required
def region_pick(request: HttpRequest):
    """htmx: the picker at `chosen` (drilled down), or search results for `<name>_q`."""
    perm = request.GET.get("perm", "")
    if perm not in PERMISSIONS:
        raise PermissionDenied(_("This search is not available."))
    scope = authorize(request.user, perm)
    name = _name_ok(request.GET.get("name", ""))
    chosen_code = request.GET.get("chosen")
    if chosen_code is not None:
        chosen = region_in_scope(code=chosen_code, scope=scope) if chosen_code else None
        context = picker_context(scope=scope, name=name, perm=perm, chosen=chosen)
        return render(request, "accounts/_region_picker.html", context)
    query = (request.GET.get(f"{name}_q") or "")[:60]
    context = {"name": name, "perm": perm, "q": query}
    context["results"] = region_search(scope=scope, query=query)
    return render(request, "accounts/_region_results.html", context)
