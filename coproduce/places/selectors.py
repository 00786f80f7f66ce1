"""Reads of places."""

from django.utils.translation import gettext as _

from coproduce.core.errors import NotFound
from coproduce.places.models import Place
from coproduce.places.rules import place_code_parse


def place_by_payload(*, payload: str) -> Place:
    """The active place a scanned place code names, or NotFound."""
    code = place_code_parse(payload)
    place = (
        Place.objects.select_related("region", "operator").filter(code=code, active=True).first()
        if code
        else None
    )
    if place is None:
        raise NotFound(_("This is not the code of a place we know."), code="place_not_found")
    return place
