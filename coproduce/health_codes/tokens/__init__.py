"""Signed health-code tokens that a checkpoint verifies offline (PRODUCT.md section 3.2).

``CP1:`` + base45(zlib(COSE_Sign1(CBOR claims))), ES256. The package is split by concern:
``keys`` (signing keys, trusted keys, the trust list), ``cose`` (claims, the COSE_Sign1
container, issuing and reading), ``verify`` (the six results). Import from here.
"""

from coproduce.health_codes.tokens.cose import (
    DEFAULT_TOKEN_POLICY,
    MAX_PAYLOAD_CHARS,
    PREFIX,
    TokenClaims,
    TokenKind,
    TokenPolicy,
    _b45decode,
    _parse,
    _sig_structure,
    token_claims,
    token_issue,
)
from coproduce.health_codes.tokens.keys import (
    ALG_NAME,
    SigningKey,
    TrustedKey,
    key_from_pem,
    key_generate,
    key_id,
    key_private_pem,
    key_public_b64,
    trust_entry,
    trust_list,
    trusted_key_from_entry,
    trusted_key_load,
)
from coproduce.health_codes.tokens.verify import (
    _ECDSA,
    _INTERNAL,
    Verification,
    VerificationResult,
    token_verify,
    token_verify_many,
)

__all__ = [
    "ALG_NAME",
    "DEFAULT_TOKEN_POLICY",
    "MAX_PAYLOAD_CHARS",
    "PREFIX",
    "SigningKey",
    "TokenClaims",
    "TokenKind",
    "TokenPolicy",
    "TrustedKey",
    "Verification",
    "VerificationResult",
    "_ECDSA",
    "_INTERNAL",
    "_b45decode",
    "_parse",
    "_sig_structure",
    "key_from_pem",
    "key_generate",
    "key_id",
    "key_private_pem",
    "key_public_b64",
    "token_claims",
    "token_issue",
    "token_verify",
    "token_verify_many",
    "trust_entry",
    "trust_list",
    "trusted_key_from_entry",
    "trusted_key_load",
]
