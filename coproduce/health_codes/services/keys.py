"""Signing keys, the trust list and tokens: rotate, import, issue, verify.

Private keys are stored as PKCS#8 PEM encrypted under a password derived from SECRET_KEY (HMAC
with a fixed label), so that a database dump alone cannot sign codes. The trust list (own keys
plus imported issuers' keys) and the decrypted signing key are cached per process. A use
checks a one-row-per-key fingerprint of the key tables when the last check is more than
TRUST_RECHECK_SECONDS old, so a rotation or import in another process is seen by every process
within that second (in the process that made it, at once); a scan pays no query for the keys.
"""

import base64
import contextlib
import hashlib
import hmac
import time
from dataclasses import dataclass
from threading import Lock

from django.conf import settings
from django.db import IntegrityError, transaction

from coproduce.core import clock
from coproduce.core.audit import audit_record
from coproduce.core.errors import Conflict, ValidationFailed
from coproduce.health_codes import rules, tokens
from coproduce.health_codes.models import ImportedKey, IssuingKey
from coproduce.health_codes.policy import issuer, token_policy
from coproduce.people.models import Person


def _password() -> bytes:
    return (
        hmac.new(
            settings.SECRET_KEY.encode(), b"coproduce.health_codes.signing-key", hashlib.sha256
        )
        .hexdigest()
        .encode()
    )


def _b64(kid: bytes) -> str:
    return base64.b64encode(kid).decode("ascii")


@dataclass(frozen=True)
class _Keys:
    fingerprint: tuple
    trust: object  # Mapping[bytes, TrustedKey]
    signing: tokens.SigningKey | None


_cache: _Keys | None = None
_checked_at = 0.0  # time.monotonic() of the last fingerprint check
_lock = Lock()
# A new key of another process is trusted (and an old one's retirement seen) within this time.
TRUST_RECHECK_SECONDS = 1.0


def _fingerprint() -> tuple:
    own = tuple(IssuingKey.objects.order_by("pk").values_list("pk", "kid", "retired_at"))
    imported = tuple(ImportedKey.objects.order_by("pk").values_list("pk", "kid", "not_after"))
    return own, imported


def _trusted_own(key: IssuingKey) -> tokens.TrustedKey:
    return tokens.trusted_key_load(
        public_key=key.public_key,
        issuer=key.issuer,
        not_before=key.not_before,
        not_after=key.retired_at,
    )


def _load(fingerprint: tuple) -> _Keys:
    trusted = [_trusted_own(k) for k in IssuingKey.objects.all()]
    trusted += [
        tokens.trusted_key_load(
            public_key=k.public_key,
            issuer=k.issuer,
            not_before=k.not_before,
            not_after=k.not_after,
        )
        for k in ImportedKey.objects.all()
    ]
    active = IssuingKey.objects.filter(issuer=issuer(), retired_at__isnull=True).first()
    signing = None
    if active is not None:
        signing = tokens.key_from_pem(active.private_pem.encode(), password=_password())
    return _Keys(fingerprint=fingerprint, trust=tokens.trust_list(trusted), signing=signing)


def _keys(*, recheck_after: float = TRUST_RECHECK_SECONDS) -> _Keys:
    global _cache, _checked_at
    cached = _cache
    if cached is not None and time.monotonic() - _checked_at < recheck_after:
        return cached
    fingerprint = _fingerprint()
    _checked_at = time.monotonic()
    if cached is not None and cached.fingerprint == fingerprint:
        return cached
    with _lock:
        _cache = _load(fingerprint)
        return _cache


def trust_cache_clear() -> None:
    """Forget the cached keys (the next use reloads them)."""
    global _cache, _checked_at
    _cache = None
    _checked_at = 0.0


def keys_rotate(*, actor) -> IssuingKey:
    """Start a new signing key and retire the current one (it stays trusted for its tokens)."""
    key = tokens.key_generate()
    now = clock.now()
    try:
        with transaction.atomic():
            retired = IssuingKey.objects.filter(issuer=issuer(), retired_at__isnull=True).update(
                retired_at=now
            )
            record = IssuingKey.objects.create(
                kid=_b64(key.kid),
                issuer=issuer(),
                public_key=tokens.key_public_b64(key),
                private_pem=tokens.key_private_pem(key, password=_password()).decode("ascii"),
                not_before=now - tokens.DEFAULT_TOKEN_POLICY.clock_leeway,
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
            audit_record(
                actor=actor,
                action="health_codes.keys_rotate",
                target=record,
                details={"kid": record.kid, "retired": retired},
            )
    except IntegrityError:
        raise Conflict("Another rotation ran at the same moment; try again.") from None
    trust_cache_clear()
    return record


def key_import(*, entry: dict, actor) -> ImportedKey:
    """Trust another deployment's public key (one entry of its GET /trust-list)."""
    try:
        trusted = tokens.trusted_key_from_entry(entry)
    except (KeyError, ValueError, TypeError) as exc:
        raise ValidationFailed.field("entry", f"Not a trust-list entry: {exc}") from None
    kid = _b64(trusted.kid)
    if trusted.issuer == issuer():
        raise ValidationFailed.field("entry", "This deployment's own keys need no import.")
    with transaction.atomic():
        record, created = ImportedKey.objects.get_or_create(
            kid=kid,
            defaults={
                "issuer": trusted.issuer,
                "public_key": tokens.key_public_b64(trusted.public_key),
                "not_before": trusted.not_before,
                "not_after": trusted.not_after,
                "imported_at": clock.now(),
                "imported_by": actor if getattr(actor, "is_authenticated", False) else None,
            },
        )
        if created:
            audit_record(
                actor=actor,
                action="health_codes.key_import",
                target=record,
                details={"issuer": trusted.issuer, "kid": kid},
            )
    trust_cache_clear()
    return record


def _signing_key() -> tokens.SigningKey:
    keys = _keys()
    if keys.signing is not None:
        return keys.signing
    # First use of a new deployment: make the first key (a race makes one; the other retries).
    with contextlib.suppress(Conflict):
        keys_rotate(actor=None)
    keys = _keys()
    assert keys.signing is not None
    return keys.signing


@dataclass(frozen=True)
class IssuedToken:
    """A signed payload and its claims."""

    payload: str
    claims: tokens.TokenClaims


def token_issue_for(*, person: Person, kind: str, color: rules.Color | None = None) -> IssuedToken:
    """Sign a live code (with its color) or a card (identity only) for a person."""
    kind = tokens.TokenKind(kind)
    claims = tokens.token_claims(
        kind=kind,
        issuer=issuer(),
        subject=person.public_id,
        now=clock.now(),
        color=color if kind is tokens.TokenKind.LIVE else None,
        policy=token_policy(),
    )
    return IssuedToken(payload=tokens.token_issue(claims=claims, key=_signing_key()), claims=claims)


def payload_verify(*, payload: str) -> tokens.Verification:
    """Verify a QR payload against this deployment's trust list, at the platform's time."""
    now = clock.now()
    keys = _keys()
    verification = tokens.token_verify(payload, trust=keys.trust, now=now, policy=token_policy())
    # A kid missing from the kept trust list may be a key another process has just made: look at
    # the key tables again rather than refuse a good code (only staff can send scans).
    if verification.result == tokens.VerificationResult.UNKNOWN_KEY:
        newer = _keys(recheck_after=0.0)
        if newer is not keys:
            verification = tokens.token_verify(
                payload, trust=newer.trust, now=now, policy=token_policy()
            )
    return verification


def payload_verify_many(*, payloads: list[str]) -> list[tokens.Verification]:
    """Verify a batch (a device's offline upload) in order, with one key look-up."""
    now = clock.now()
    keys = _keys()
    out = tokens.token_verify_many(payloads, trust=keys.trust, now=now, policy=token_policy())
    unknown = [i for i, v in enumerate(out) if v.result == tokens.VerificationResult.UNKNOWN_KEY]
    if unknown:
        newer = _keys(recheck_after=0.0)
        if newer is not keys:
            again = tokens.token_verify_many(
                [payloads[i] for i in unknown], trust=newer.trust, now=now, policy=token_policy()
            )
            for i, verification in zip(unknown, again, strict=True):
                out[i] = verification
    return out


def trust_entries() -> list[dict]:
    """The published trust list: own keys while their tokens live, and imported keys.

    A retired key signs nothing after its retirement, but cards it signed live a year
    (card_ttl), so it is published until then.
    """
    now = clock.now()
    longest = max(token_policy().card_ttl, token_policy().live_ttl)
    out = []
    for key in IssuingKey.objects.order_by("not_before", "pk"):
        if key.retired_at is not None and key.retired_at + longest <= now:
            continue
        out.append(tokens.trust_entry(_trusted_own(key)))
    for key in ImportedKey.objects.order_by("issuer", "pk"):
        if key.not_after is not None and key.not_after + longest <= now:
            continue
        out.append(
            tokens.trust_entry(
                tokens.trusted_key_load(
                    public_key=key.public_key,
                    issuer=key.issuer,
                    not_before=key.not_before,
                    not_after=key.not_after,
                )
            )
        )
    return out
