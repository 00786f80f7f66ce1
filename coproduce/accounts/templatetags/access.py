"""`{% if user|holds:"people.duplicates" %}`: show a link only to those whom its page lets in."""

from django import template

from coproduce.accounts.permissions import scope_for

register = template.Library()


@register.filter
def holds(user, permission: str) -> bool:
    """Whether `user` holds `permission` anywhere (the page behind the link checks the scope)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return not scope_for(user, permission).empty
