"""Template filters: a condition's kind, reason and source in the reader's language."""

from django import template
from django.utils.translation import gettext as _

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


@register.filter
def source_label(source: str) -> str:
    """Where a condition came from, in words (the raw source stays in the page's title)."""
    kind, _sep, rest = (source or "").partition(":")
    number = rest.split(":")[0]
    if kind == "health_codes.official":
        return str(_("imposed by an official"))
    if kind == "people.declaration":
        return str(_("declared at registration"))
    if kind == "tracing.case" and number.isdigit():
        return str(_("contact tracing, case %(n)s") % {"n": number})
    if kind == "tracing.order" and number.isdigit():
        return str(_("contact tracing, order %(n)s") % {"n": number})
    return source
