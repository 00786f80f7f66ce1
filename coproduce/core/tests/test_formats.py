"""Numbers keep their thousands separators in Chinese (issue 17's walk-through)."""

from decimal import Decimal

from django.template import Context, Template
from django.utils import translation


def render(text: str, **values) -> str:
    return Template(text).render(Context(values))


def test_money_is_grouped_by_thousands_in_chinese_as_in_english():
    for language in ("en", "zh-hans"):
        with translation.override(language):
            assert render('{{ n|floatformat:"2g" }}', n=Decimal("1557000000")) == "1,557,000,000.00"
            assert render('{{ n|floatformat:"g" }}', n=15356300) == "15,356,300"
