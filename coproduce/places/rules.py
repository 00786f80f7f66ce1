"""Place codes: the printable QR of a checkpoint, venue or site, scanned by phones.

A place code carries no secret and no signature: it names a place by an opaque random code (a
guessed code finds nothing), so that anyone may print it and any phone may read it.
"""

import re
import secrets

PLACE_PREFIX = "CPP:"
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O, U look-alikes
CODE_LENGTH = 12  # 60 random bits
_PAYLOAD = re.compile(rf"^{PLACE_PREFIX}([{_ALPHABET}]{{{CODE_LENGTH}}})$")


def place_code_new() -> str:
    """A new random place code."""
    return "".join(secrets.choice(_ALPHABET) for _ in range(CODE_LENGTH))


def place_payload(code: str) -> str:
    """What the place's QR carries."""
    return f"{PLACE_PREFIX}{code}"


def place_code_parse(payload: str) -> str | None:
    """The place code in a scanned payload, or None when it is not a place code."""
    match = _PAYLOAD.match((payload or "").strip().upper())
    return match.group(1) if match else None
