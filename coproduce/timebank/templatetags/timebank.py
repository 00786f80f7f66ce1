"""Template filters of the Voluntary Bank: a posting's kind in the reader's language."""

from django import template

from coproduce.timebank.models import Posting

register = template.Library()


@register.filter
def posting_kind(value) -> str:
    """Why hours moved (earn, gift, redeem...), translated; an unknown kind as it is."""
    try:
        return str(Posting.Kind(str(value)).label)
    except ValueError:
        return str(value)
