"""The recovery API's router and the helpers its parts share."""

from decimal import Decimal

from ninja import Router

from coproduce.core.errors import NotFound, ValidationFailed
from coproduce.orgs.models import Organization
from coproduce.recovery import rules
from coproduce.recovery.models import ASSOCIATION_CATEGORIES
from coproduce.regions.models import Region
from coproduce.regions.selectors import region_get

router = Router(tags=["recovery"])


def _region(code: str, field: str = "region") -> Region:
    try:
        return region_get(code=code)
    except NotFound:
        raise ValidationFailed.field(field, f"No region has the code {code!r}.") from None


def _association(slug: str, field: str = "association") -> Organization:
    org = Organization.objects.filter(slug=slug, category__in=ASSOCIATION_CATEGORIES).first()
    if org is None:
        raise ValidationFailed.field(field, f"No industrial or business association {slug!r}.")
    return org


def money(fen: int | None) -> str | None:
    return None if fen is None else str(rules.fen_to_money(fen))


def to_fen(value: Decimal | None, field: str) -> int | None:
    if value is None:
        return None
    if value != value.quantize(Decimal("0.01")) or value <= 0:
        raise ValidationFailed.field(field, "An amount is above zero with at most two decimals.")
    return int(value * 100)
