"""`{% region_picker "region" "permission" chosen %}`: the region picker in a hand-written form
(a GET filter, a small inline form), with the drill-down from the caller's own regions."""

from django import template

from coproduce.accounts.permissions import scope_for
from coproduce.accounts.pickers import picker_context
from coproduce.regions.models import Region

register = template.Library()


@register.inclusion_tag("accounts/_region_picker.html", takes_context=True)
def region_picker(context, name: str, permission: str, chosen=None):
    """The picker for `name`, within the scope of `permission`, starting at `chosen`."""
    scope = scope_for(context["request"].user, permission)
    region = chosen if isinstance(chosen, Region) else None
    if region is None and chosen:  # a region's code
        region = Region.objects.filter(code=str(chosen)[:20]).first()
    if region is not None and not scope.covers(region.path):
        region = None
    return picker_context(scope=scope, name=name, perm=permission, chosen=region)
