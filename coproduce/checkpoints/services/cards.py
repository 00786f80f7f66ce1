"""The id printed on a paper code card, typed at the scanner when the QR cannot be read.

A card's QR carries a signed identity token; under it the card prints the holder's public id.
Typed, that id is checked on the server: it must name a person, whose card token is then
issued afresh and judged like a scanned card (the server's current color decides).
"""

import re

from django.utils.translation import gettext as _

from coproduce.core.errors import ValidationFailed
from coproduce.health_codes import services as hc_services
from coproduce.people.models import Person

# A public id as printed (people.rules.public_id_new), typed with spaces or dashes, any case;
# a signed payload always has its "CPn:" prefix, so the two never meet.
_CARD_ID = re.compile(r"^[0-9A-Z]{12,16}$")
_LOOK_ALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})  # not in the ids' alphabet


def card_payload_from_typed(payload: str) -> str:
    """The signed card payload of a typed card id; any other payload as it came."""
    text = re.sub(r"[\s\-]", "", payload or "").upper().translate(_LOOK_ALIKES)
    if not _CARD_ID.match(text):
        return payload
    person = Person.objects.select_related("merged_into").filter(public_id=text).first()
    if person is not None and person.status == Person.Status.MERGED:
        person = person.merged_into
    if person is None:
        raise ValidationFailed.field(
            "payload", _("No code card has this id: check the characters, or scan the QR.")
        )
    return hc_services.token_issue_for(person=person, kind="card").payload
