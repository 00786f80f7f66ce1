"""Template filters of the labor pages."""

from django import template

from coproduce.labor.models import ProposalState

register = template.Library()


@register.filter
def proposal_state(value: str) -> str:
    """A proposal state's label in the reader's language."""
    try:
        return ProposalState(value).label
    except ValueError:
        return value
