"""Template filters: a condition's kind and reason in the reader's language."""

from django import template

from coproduce.health_codes import rules, texts

register = template.Library()


@register.filter
def kind_label(value: str) -> str:
    """The condition kind, translated."""
    try:
        return str(texts.KIND_LABEL[rules.ConditionKind(value)])
    except ValueError:
        return value


@register.filter
def reason_label(value: str) -> str:
    """The condition reason, translated."""
    try:
        return str(texts.REASON_LABEL[rules.ReasonCode(value)])
    except ValueError:
        return value


@register.filter
def color_label(value: str) -> str:
    """A code color, translated."""
    try:
        return str(texts.COLOR_TEXT[rules.Color(value)])
    except ValueError:
        return value
