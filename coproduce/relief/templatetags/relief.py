"""Template filters of relief (and deliveries, above it): items and units in the reader's language."""

from django import template
from django.utils.translation import get_language

from coproduce.relief.models import Item
from coproduce.relief.rules import quantity_to_decimal

register = template.Library()


@register.filter
def unit_label(value) -> str:
    """An item's unit ("piece", "kg"), translated; an unknown unit as it is."""
    try:
        return str(Item.Unit(str(value)).label)
    except ValueError:
        return str(value or "")


@register.filter
def item_name(item, name_zh: str = "") -> str:
    """An item's name in the reader's language: the catalog's Chinese name when there is one.

    Takes an Item, or the English name of a values() row with its Chinese name as argument:
    `{{ r.item__name|item_name:r.item__name_zh }}`.
    """
    if isinstance(item, Item):
        name, name_zh = item.name, item.name_zh
    else:
        name = str(item or "")
    if name_zh and (get_language() or "").startswith("zh"):
        return name_zh
    return name


@register.filter
def quanta(count, quantum) -> str:
    """A stored count of quanta in the item's unit (`{{ lot.quantity|quanta:lot.item.quantum }}`)."""
    return str(quantity_to_decimal(int(count or 0), quantum=quantum).normalize())
