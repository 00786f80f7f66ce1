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


# What people type for the code printed under the QR: spaces and dashes between groups, and the
# letters Crockford's base32 reads as digits (O for 0, I and L for 1).
_TYPED = str.maketrans({"O": "0", "I": "1", "L": "1", " ": None, "-": None})


def place_code_parse(payload: str) -> str | None:
    """The place code in a scanned payload, or in a code typed with or without its prefix
    (`CPP:ABCD…` or `ABCD…`, any case, spaced), or None when it is not a place code."""
    text = (payload or "").strip().upper()
    if not text.startswith(PLACE_PREFIX):
        text = PLACE_PREFIX + text.translate(_TYPED)
    else:
        text = PLACE_PREFIX + text[len(PLACE_PREFIX) :].translate(_TYPED)
    match = _PAYLOAD.match(text)
    return match.group(1) if match else None
