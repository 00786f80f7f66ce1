"""Template filters of the recovery pages: money from whole fen and the labels of stored codes."""

from django import template

from coproduce.recovery import rules
from coproduce.recovery.models import Blocker, Industry

register = template.Library()


@register.filter
def fen(value):
    """Whole fen as RMB with two decimals ("" for None)."""
    return "" if value is None else rules.fen_to_money(int(value))


@register.filter
def industry_label(value):
    """An industry code in the reader's words."""
    return dict(Industry.choices).get(value, value)


@register.filter
def blocker_label(value):
    """A blocker code in the reader's words."""
    return dict(Blocker.choices).get(value, value)
