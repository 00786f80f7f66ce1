"""Rules about people's identifiers: national ID checks, keyed hashes, names and phones."""

import hashlib
import hmac
import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import date
from difflib import SequenceMatcher

# GB 11643-1999: 17 digits then a check character over ISO 7064 MOD 11-2.
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
# ASCII digits only: \d would accept other scripts' digits, whose hash differs from the same
# number in ASCII, and so let one ID number register twice.
_ID_PATTERN = re.compile(r"^[0-9]{17}[0-9X]$")
# Opaque public ids: Crockford base32 without look-alike letters, 16 characters (80 bits).
_PUBLIC_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
PUBLIC_ID_LENGTH = 16
_PHONE_PATTERN = re.compile(r"^\+?\d{5,15}$")


def national_id_normalize(raw: str) -> str:
    """Upper-case, half-width, without spaces or dashes (how people type it on any keyboard)."""
    return re.sub(r"[\s-]", "", unicodedata.normalize("NFKC", raw or "")).upper()


def national_id_check_char(first17: str) -> str:
    """The check character of a resident ID number's first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def national_id_problem(raw: str, *, today: date) -> str | None:
    """Why a resident ID number is invalid, or None when it is valid."""
    value = national_id_normalize(raw)
    if not _ID_PATTERN.match(value):
        return "A resident ID number has 17 digits and a check digit or X."
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return "The date of birth in the ID number does not exist."
    if born > today or born.year < 1880:
        return "The date of birth in the ID number is not plausible."
    if national_id_check_char(value[:17]) != value[17]:
        return "The check digit does not match: please check the number."
    return None


def national_id_hash(value: str, *, key: bytes) -> str:
    """The keyed hash (HMAC-SHA256) stored instead of the ID number, for uniqueness and look-up."""
    return hmac.new(key, national_id_normalize(value).encode(), hashlib.sha256).hexdigest()


def public_id_new() -> str:
    """A new opaque public id for a person (what QR tokens carry, never the ID number)."""
    return "".join(secrets.choice(_PUBLIC_ALPHABET) for _ in range(PUBLIC_ID_LENGTH))


def phone_normalize(raw: str) -> str:
    """Without the spaces, dashes, dots and brackets people type; '' when empty.

    Anything else stays, so that phone_problem refuses it: "abc" must not pass as "no phone".
    """
    return re.sub(r"[\s\-.()]", "", raw or "")


def phone_problem(normalized: str) -> str | None:
    """Why a normalized phone number is invalid, or None."""
    if normalized and not _PHONE_PATTERN.match(normalized):
        return "A phone number has 5 to 15 digits."
    return None


def name_key(name: str) -> str:
    """A name folded for comparison: NFKC, case-folded, without spaces or punctuation."""
    folded = unicodedata.normalize("NFKC", name or "").casefold()
    return "".join(ch for ch in folded if ch.isalnum())


def names_similar(a: str, b: str, *, threshold: float = 0.75) -> bool:
    """Whether two names are alike enough to be the same person (typing and transliteration slips).

    Chinese names are 2-4 characters: one character off out of three is a ratio of 0.67, which is
    too loose; two names of which one contains the other (a given name alone) count as similar.
    """
    ka, kb = name_key(a), name_key(b)
    if not ka or not kb:
        return False
    if ka == kb or (min(len(ka), len(kb)) >= 2 and (ka in kb or kb in ka)):
        return True
    return SequenceMatcher(None, ka, kb).ratio() >= threshold


@dataclass(frozen=True)
class DuplicateReason:
    """Why two person records may be the same person."""

    same_phone: bool
    similar_name_same_area: bool


def duplicate_reason(
    *, phone_a: str, phone_b: str, name_a: str, name_b: str, same_area: bool
) -> DuplicateReason | None:
    """The reason two records may be duplicates (same phone; similar name in the same area)."""
    same_phone = bool(phone_a) and phone_a == phone_b
    similar = same_area and names_similar(name_a, name_b)
    if same_phone or similar:
        return DuplicateReason(same_phone=same_phone, similar_name_same_area=similar)
    return None
