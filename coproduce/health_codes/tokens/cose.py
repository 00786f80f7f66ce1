"""Signed health-code tokens that a checkpoint verifies offline (PRODUCT.md section 3.2).

Payload layout, the container of the EU Digital COVID Certificate (HCERT) with our own prefix::

    "CP1:" + base45( zlib( COSE_Sign1( CBOR claims ) ) )

COSE_Sign1 (RFC 9052), built here over cbor2 and cryptography::

    tag 18 [
        protected:   bstr .cbor { 1: -7 (alg ES256), 4: kid (bstr) },
        unprotected: {}  (a kid found here is accepted too, as HCERT allows; protected wins),
        payload:     bstr .cbor claims,
        signature:   bstr, 64 bytes: r || s, each 32 bytes big-endian (not DER)
    ]
    signed bytes = CBOR ["Signature1", protected, b"", payload]

Claims (a CWT claims map, RFC 8392, integer keys)::

    1  iss  tstr  issuer (the deployment, e.g. "CN-ZJ")
    2  sub  tstr  the resident's opaque public id (never a name or an ID number)
    4  exp  int   expiry, seconds since the epoch (UTC)
    6  iat  int   issued at, seconds since the epoch (UTC)
    -65537  map   our private claim (RFC 8392 reserves keys below -65536 for private use):
        1  tstr  token kind: "live" or "card"
        2  tstr  color: "green" | "yellow" | "red"; absent on a card (the checkpoint asks
                 the server for the current color)

Unknown claims are ignored (CWT). kid = the first 8 bytes of SHA-256 over the public key's
SubjectPublicKeyInfo DER, as HCERT computes it for its document signer certificates.

Reading and writing that container lives here; ``verify.token_verify`` answers exactly one of valid, expired, not_yet_valid, bad_signature,
unknown_key, malformed, and never raises on any payload.
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, NamedTuple

import base45
import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
)

from coproduce.health_codes.rules import Color
from coproduce.health_codes.tokens.keys import SigningKey, _aware

PREFIX = "CP1:"
ALG_ES256 = -7  # COSE algorithm id of ECDSA P-256 with SHA-256

_HDR_ALG = 1
_HDR_KID = 4
_CLAIM_ISS = 1
_CLAIM_SUB = 2
_CLAIM_EXP = 4
_CLAIM_IAT = 6
_CLAIM_COPRODUCE = -65537
_CP_KIND = 1
_CP_COLOR = 2
_COSE_SIGN1_TAG = 18

# Bounds for hostile input: a QR code holds at most 4296 alphanumeric characters (version 40-L),
# so nothing longer can come from a scan; our tokens are about 250 characters.
MAX_PAYLOAD_CHARS = 4296
MAX_DECOMPRESSED = 16 * 1024  # refuses zlib bombs long before they cost memory
_MAX_TEXT = 256  # issuer and subject
_MAX_KID = 64
_ECDSA = ec.ECDSA(hashes.SHA256())


class TokenKind(StrEnum):
    """A live code (with color, short-lived, on a phone) or a printed card (identity only)."""

    LIVE = "live"
    CARD = "card"


@dataclass(frozen=True, slots=True)
class TokenPolicy:
    """Token settings (PRODUCT.md 3.2), with their defaults."""

    # 24 h: PRODUCT.md's default lifetime of a live code.
    live_ttl: dt.timedelta = dt.timedelta(hours=24)
    # A printed card only proves identity (the color comes from the server), so it lives as long
    # as a paper card is expected to last; its key must stay in the trust list that long.
    card_ttl: dt.timedelta = dt.timedelta(days=365)
    # Tolerated clock skew of a checkpoint device ahead of the issuer for ``iat``.
    clock_leeway: dt.timedelta = dt.timedelta(minutes=5)


DEFAULT_TOKEN_POLICY = TokenPolicy()


@dataclass(frozen=True, slots=True)
class TokenClaims:
    """What a token asserts: who issued it, about whom, when, and (live codes) the color."""

    issuer: str
    subject: str
    issued_at: dt.datetime
    expires_at: dt.datetime
    kind: TokenKind
    color: Color | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", TokenKind(self.kind))
        if self.color is not None:
            object.__setattr__(self, "color", Color(self.color))
        for name in ("issuer", "subject"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value or len(value) > _MAX_TEXT:
                raise ValueError(f"{name} must be a non-empty text of at most {_MAX_TEXT}")
        _aware(self.issued_at, "issued_at")
        _aware(self.expires_at, "expires_at")
        if self.expires_at <= self.issued_at:
            raise ValueError("a token must expire after it is issued")
        if (self.kind is TokenKind.LIVE) != (self.color is not None):
            raise ValueError("a live code carries a color; a card never does")


# --- issuing -------------------------------------------------------------------------------


def token_claims(
    *,
    kind: TokenKind,
    issuer: str,
    subject: str,
    now: dt.datetime,
    color: Color | None = None,
    policy: TokenPolicy = DEFAULT_TOKEN_POLICY,
) -> TokenClaims:
    """Claims for a new token issued ``now``, expiring after the policy's lifetime for its kind."""
    _aware(now, "now")
    issued_at = now.astimezone(dt.UTC).replace(microsecond=0)  # CWT times are whole seconds
    ttl = policy.live_ttl if TokenKind(kind) is TokenKind.LIVE else policy.card_ttl
    return TokenClaims(
        issuer=issuer,
        subject=subject,
        issued_at=issued_at,
        expires_at=issued_at + ttl,
        kind=kind,
        color=color,
    )


def _claims_cbor(claims: TokenClaims) -> bytes:
    private: dict[int, str] = {_CP_KIND: claims.kind.value}
    if claims.color is not None:
        private[_CP_COLOR] = claims.color.value
    return cbor2.dumps(
        {
            _CLAIM_ISS: claims.issuer,
            _CLAIM_SUB: claims.subject,
            _CLAIM_EXP: int(claims.expires_at.timestamp()),
            _CLAIM_IAT: int(claims.issued_at.timestamp()),
            _CLAIM_COPRODUCE: private,
        },
        canonical=True,
    )


def _bstr_head(length: int) -> bytes:
    """The CBOR head of a byte string of ``length`` bytes (major type 2, RFC 8949 3.1)."""
    if length < 24:
        return bytes((0x40 | length,))
    if length < 0x100:
        return b"\x58" + length.to_bytes(1, "big")
    if length < 0x10000:
        return b"\x59" + length.to_bytes(2, "big")
    return b"\x5a" + length.to_bytes(4, "big")


# CBOR of an array of four, then the text "Signature1" (RFC 9052 section 4.4).
_SIG1_HEAD = b"\x84\x6aSignature1"


def _sig_structure(protected: bytes, payload: bytes) -> bytes:
    """CBOR ["Signature1", protected, b"", payload], assembled directly (equal to cbor2's)."""
    return b"".join(
        (
            _SIG1_HEAD,
            _bstr_head(len(protected)),
            protected,
            b"\x40",
            _bstr_head(len(payload)),
            payload,
        )
    )


def token_issue(*, claims: TokenClaims, key: SigningKey) -> str:
    """Sign claims into a QR payload: CP1: + base45(zlib(COSE_Sign1(CBOR claims)))."""
    protected = cbor2.dumps({_HDR_ALG: ALG_ES256, _HDR_KID: key.kid}, canonical=True)
    payload = _claims_cbor(claims)
    der = key.private_key.sign(_sig_structure(protected, payload), _ECDSA)
    r, s = decode_dss_signature(der)
    signature = r.to_bytes(32, "big") + s.to_bytes(32, "big")  # COSE wants raw r||s
    cose = cbor2.dumps(cbor2.CBORTag(_COSE_SIGN1_TAG, [protected, {}, payload, signature]))
    return PREFIX + base45.b45encode(zlib.compress(cose, 9)).decode("ascii")


# --- verifying -----------------------------------------------------------------------------


class _Malformed(Exception):
    """Internal: the payload cannot be read as a token."""


_B45_ALPHABET = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
_B45_VALUES = bytearray(b"\xff" * 256)
for _value, _char in enumerate(_B45_ALPHABET):
    _B45_VALUES[_char] = _value
_B45_TABLE = bytes(_B45_VALUES)


# Per 3-character group, a mask of its lowest byte and of its highest byte, for the longest
# payload; shorter ones shift them down.
_B45_MAX_GROUPS = MAX_PAYLOAD_CHARS // 3 + 1
_B45_LOW = int.from_bytes(b"\x00\x00\xff" * _B45_MAX_GROUPS, "big")
_B45_HIGH = int.from_bytes(b"\xff\x00\x00" * _B45_MAX_GROUPS, "big")


def _b45decode(text: str) -> bytes:
    """RFC 9285 base45 decoding, same answers as ``base45.b45decode`` but several times faster.

    The package decodes in a Python loop, which cost about 40% of a whole verification (see
    docs/benchmarks-tokens.md). Here the digit values of all groups [c, d, e] are read as one
    big integer of 3-byte slots (65536c + 256d + e each); masks and shifts pull c, d and e apart
    and c + 45d + 2025e is formed for every slot at once. A slot's value is at most 91124 < 2**24,
    so no slot carries into the next, and a nonzero top byte means a group above 0xFFFF.
    """
    try:
        digits = text.encode("ascii").translate(_B45_TABLE)
    except UnicodeEncodeError:
        raise ValueError("not base45") from None
    if b"\xff" in digits:
        raise ValueError("not base45")
    full, rest = divmod(len(digits), 3)
    if rest == 1 or full > _B45_MAX_GROUPS:
        raise ValueError("base45 length")
    size = 3 * full
    drop = 24 * (_B45_MAX_GROUPS - full)
    low, high = _B45_LOW >> drop, _B45_HIGH >> drop
    groups = int.from_bytes(digits[:size] if rest else digits, "big")
    value = ((groups >> 16) & low) + 45 * ((groups >> 8) & low) + 2025 * (groups & low)
    if value & high:
        raise ValueError("base45 group above 0xFFFF")
    out = bytearray(value.to_bytes(size, "big"))
    del out[0::3]  # the top byte of each slot is zero: keep the two value bytes
    if rest == 2:
        last = digits[-2] + 45 * digits[-1]
        if last > 0xFF:
            raise ValueError("base45 group above 0xFF")
        out.append(last)
    return bytes(out)


def _reject_tag(*_: object) -> object:
    raise _Malformed("unexpected CBOR tag")


# Tokens use no CBOR tag but 18 (COSE_Sign1). Tags that cbor2 would decode into objects that cost
# work or can be cyclic (regular expressions, MIME, shared references, sets) are refused.
_NO_SEMANTICS = dict.fromkeys((25, 28, 29, 35, 36, 256, 258, 260, 261, 1004, 55799), _reject_tag)


def _cbor(data: bytes) -> Any:
    return cbor2.loads(
        data,
        semantic_decoders=_NO_SEMANTICS,
        max_depth=8,
        allow_indefinite=False,
        # Two values for one claim or header must not be read differently by two verifiers.
        allow_duplicate_keys=False,
    )


def _inflate(data: bytes) -> bytes:
    inflater = zlib.decompressobj()
    out = inflater.decompress(data, MAX_DECOMPRESSED)
    if inflater.unconsumed_tail:
        raise _Malformed("payload too large once decompressed")
    if not inflater.eof or inflater.unused_data:
        raise _Malformed("truncated or trailing compressed data")
    return out


# cbor2 gives dict for a top-level map and its frozendict inside a tag; concrete types make the
# checks much cheaper than isinstance(..., Mapping) on the hot path.
_MAPS = (dict, cbor2.frozendict)
_KINDS = {kind.value: kind for kind in TokenKind}
_COLORS = {color.value: color for color in Color}


def _int(value: object) -> int:
    # bool is an int in Python; CBOR true/false is no timestamp.
    if type(value) is not int:
        raise _Malformed("a time claim is not an integer")
    return value


def _text(value: object, what: str) -> str:
    if type(value) is not str or not value or len(value) > _MAX_TEXT:
        raise _Malformed(f"{what} is missing or not a short text")
    return value


def _read_claims(body: object) -> TokenClaims:
    if not isinstance(body, _MAPS):
        raise _Malformed("claims are not a map")
    private = body.get(_CLAIM_COPRODUCE)
    if not isinstance(private, _MAPS):
        raise _Malformed("the Coproduce claim is missing")
    kind_value, color_value = private.get(_CP_KIND), private.get(_CP_COLOR)
    if type(kind_value) is not str or not (color_value is None or type(color_value) is str):
        raise _Malformed("unknown token kind or color")
    kind = _KINDS.get(kind_value)
    color = None if color_value is None else _COLORS.get(color_value)
    if kind is None or (color_value is not None and color is None):
        raise _Malformed("unknown token kind or color")
    if (kind is TokenKind.LIVE) != (color is not None):
        raise _Malformed("a live code needs a color and a card has none")
    issued, expires = _int(body.get(_CLAIM_IAT)), _int(body.get(_CLAIM_EXP))
    if expires <= issued:
        raise _Malformed("the token expires before it is issued")
    try:
        issued_at = dt.datetime.fromtimestamp(issued, dt.UTC)
        expires_at = dt.datetime.fromtimestamp(expires, dt.UTC)
    except (OverflowError, OSError, ValueError):
        raise _Malformed("a time claim is out of range") from None
    # Every field is checked above, so the constructor's checks are skipped on this hot path
    # (they were a third of the cost of reading claims when profiled).
    claims = _new_claims(TokenClaims)
    _set(claims, "issuer", _text(body.get(_CLAIM_ISS), "issuer"))
    _set(claims, "subject", _text(body.get(_CLAIM_SUB), "subject"))
    _set(claims, "issued_at", issued_at)
    _set(claims, "expires_at", expires_at)
    _set(claims, "kind", kind)
    _set(claims, "color", color)
    return claims


_new_claims = object.__new__
_set = object.__setattr__


class _Parsed(NamedTuple):
    # A tuple, not a dataclass: it is built once per scan on the hot path.
    kid: bytes
    protected: bytes
    payload: bytes
    signature: bytes
    claims: TokenClaims


# Every token of one key carries the same protected header; remembering the kid of the few
# headers seen saves a CBOR decode per scan. Bounded, and only well-formed headers go in.
_KID_BY_PROTECTED: dict[bytes, bytes] = {}
_KID_CACHE_SIZE = 256


def _kid_from_headers(protected: bytes, unprotected: Mapping[Any, Any]) -> bytes:
    kid = _KID_BY_PROTECTED.get(protected)
    if kid is not None:
        return kid
    try:
        header = _cbor(protected) if protected else {}
    except cbor2.CBORDecodeError:
        raise _Malformed("protected header is not CBOR") from None
    if not isinstance(header, _MAPS):
        raise _Malformed("protected header is not a map")
    alg = header.get(_HDR_ALG)
    if type(alg) is not int or alg != ALG_ES256:
        raise _Malformed("unsupported algorithm (ES256 expected)")
    kid = header.get(_HDR_KID)
    if kid is None:
        kid = unprotected.get(_HDR_KID)  # HCERT allows it there; it is not cached then
        if type(kid) is not bytes or not kid or len(kid) > _MAX_KID:
            raise _Malformed("key id missing")
        return kid
    if type(kid) is not bytes or not kid or len(kid) > _MAX_KID:
        raise _Malformed("key id missing")
    if len(_KID_BY_PROTECTED) >= _KID_CACHE_SIZE:
        _KID_BY_PROTECTED.clear()
    _KID_BY_PROTECTED[protected] = kid
    return kid


def _parse(payload: object) -> _Parsed:
    if not isinstance(payload, str) or not payload.startswith(PREFIX):
        raise _Malformed(f"not a Coproduce code (expected the {PREFIX} prefix)")
    if len(payload) > MAX_PAYLOAD_CHARS:
        raise _Malformed("payload too long")
    try:
        compressed = _b45decode(payload[len(PREFIX) :])
    except ValueError:
        raise _Malformed("not base45") from None
    try:
        cose = _cbor(_inflate(compressed))
    except zlib.error:
        raise _Malformed("not zlib data") from None
    except cbor2.CBORDecodeError:
        raise _Malformed("not CBOR") from None
    if not isinstance(cose, cbor2.CBORTag) or cose.tag != _COSE_SIGN1_TAG:
        raise _Malformed("not a COSE_Sign1 message")
    parts = cose.value
    if type(parts) not in (list, tuple) or len(parts) != 4:
        raise _Malformed("COSE_Sign1 is not an array of four")
    protected, unprotected, body, signature = parts
    if type(protected) is not bytes or type(body) is not bytes or type(signature) is not bytes:
        raise _Malformed("COSE_Sign1 parts are not byte strings")
    if not isinstance(unprotected, _MAPS):
        raise _Malformed("unprotected header is not a map")
    kid = _kid_from_headers(protected, unprotected)
    try:
        claims_map = _cbor(body)
    except cbor2.CBORDecodeError:
        raise _Malformed("claims are not CBOR") from None
    return _Parsed(kid, protected, body, signature, _read_claims(claims_map))
