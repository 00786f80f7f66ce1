"""Keys of health-code tokens: signing keys, trusted keys and the published trust list."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

ALG_NAME = "ES256"


def _aware(value: dt.datetime, name: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must carry a time zone")


@dataclass(frozen=True, slots=True)
class SigningKey:
    """An ES256 private key of this deployment with its key id."""

    kid: bytes
    private_key: ec.EllipticCurvePrivateKey = field(repr=False)

    @property
    def public_key(self) -> ec.EllipticCurvePublicKey:
        """The matching public key."""
        return self.private_key.public_key()


@dataclass(frozen=True, slots=True)
class TrustedKey:
    """A public key in the trust list: whose it is and for which issuance times it counts."""

    kid: bytes
    public_key: ec.EllipticCurvePublicKey = field(repr=False)
    issuer: str
    # The key signs tokens issued in [not_before, not_after]; None leaves that side open.
    not_before: dt.datetime | None = None
    not_after: dt.datetime | None = None

    def __post_init__(self) -> None:
        for name in ("not_before", "not_after"):
            value = getattr(self, name)
            if value is not None:
                _aware(value, name)


# --- keys ----------------------------------------------------------------------------------


def key_id(public_key: ec.EllipticCurvePublicKey) -> bytes:
    """Key id: first 8 bytes of SHA-256 over the SubjectPublicKeyInfo DER (as HCERT)."""
    spki = public_key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return hashlib.sha256(spki).digest()[:8]


def _require_p256(key: ec.EllipticCurvePrivateKey | ec.EllipticCurvePublicKey) -> None:
    if not isinstance(key.curve, ec.SECP256R1):
        raise ValueError("ES256 needs a P-256 key")


def key_generate() -> SigningKey:
    """A new ES256 (P-256) signing key."""
    private_key = ec.generate_private_key(ec.SECP256R1())
    return SigningKey(kid=key_id(private_key.public_key()), private_key=private_key)


def key_private_pem(key: SigningKey, *, password: bytes | None = None) -> bytes:
    """The private key as PKCS#8 PEM, encrypted when a password is given."""
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(password)
        if password
        else serialization.NoEncryption()
    )
    return key.private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    )


def key_from_pem(pem: bytes, *, password: bytes | None = None) -> SigningKey:
    """Load a signing key from PEM; refuses anything but a P-256 private key."""
    private_key = serialization.load_pem_private_key(pem, password=password)
    if not isinstance(private_key, ec.EllipticCurvePrivateKey):
        raise ValueError("not an elliptic-curve private key")
    _require_p256(private_key)
    return SigningKey(kid=key_id(private_key.public_key()), private_key=private_key)


def key_public_b64(key: SigningKey | ec.EllipticCurvePublicKey) -> str:
    """The public key as base64 of its SubjectPublicKeyInfo DER, as published in the trust list."""
    public_key = key.public_key if isinstance(key, SigningKey) else key
    spki = public_key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return base64.b64encode(spki).decode("ascii")


def trusted_key_load(
    *,
    public_key: str,
    issuer: str,
    not_before: dt.datetime | None = None,
    not_after: dt.datetime | None = None,
    kid: str | None = None,
) -> TrustedKey:
    """Parse one trust-list key (base64 SPKI DER); a given kid (base64) must match the key."""
    der = base64.b64decode(public_key, validate=True)
    loaded = serialization.load_der_public_key(der)
    if not isinstance(loaded, ec.EllipticCurvePublicKey):
        raise ValueError("not an elliptic-curve public key")
    _require_p256(loaded)
    computed = key_id(loaded)
    if kid is not None and base64.b64decode(kid, validate=True) != computed:
        raise ValueError("the kid does not match the public key")
    if not issuer:
        raise ValueError("a trusted key needs its issuer")
    return TrustedKey(
        kid=computed,
        public_key=loaded,
        issuer=issuer,
        not_before=not_before,
        not_after=not_after,
    )


def trusted_key_from_entry(entry: Mapping[str, Any]) -> TrustedKey:
    """Parse one entry of a published trust list (API.md ``GET /trust-list``)."""
    if entry.get("alg", ALG_NAME) != ALG_NAME:
        raise ValueError(f"unsupported algorithm {entry.get('alg')!r}")

    def when(name: str) -> dt.datetime | None:
        value = entry.get(name)
        return None if value is None else dt.datetime.fromisoformat(value)

    return trusted_key_load(
        public_key=entry["public_key"],
        issuer=entry["issuer"],
        not_before=when("not_before"),
        not_after=when("not_after"),
        kid=entry.get("kid"),
    )


def trust_entry(key: TrustedKey) -> dict[str, Any]:
    """One key as published in the trust list: kid, alg, issuer, public_key, validity."""
    return {
        "kid": base64.b64encode(key.kid).decode("ascii"),
        "alg": ALG_NAME,
        "issuer": key.issuer,
        "public_key": key_public_b64(key.public_key),
        "not_before": key.not_before.isoformat() if key.not_before else None,
        "not_after": key.not_after.isoformat() if key.not_after else None,
    }


def trust_list(keys: Iterable[TrustedKey]) -> Mapping[bytes, TrustedKey]:
    """An immutable kid -> key mapping for ``token_verify``; a repeated kid is refused."""
    by_kid: dict[bytes, TrustedKey] = {}
    for key in keys:
        if key.kid in by_kid:
            raise ValueError(f"kid {key.kid.hex()} appears twice in the trust list")
        by_kid[key.kid] = key
    return MappingProxyType(by_kid)
