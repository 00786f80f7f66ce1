"""Signed QR tokens: issue, verify, every outcome, and hostile input that must never raise."""

import base64
import datetime as dt
import hashlib
import zlib

import base45
import cbor2
import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coproduce.health_codes import tokens as T
from coproduce.health_codes.rules import Color
from coproduce.health_codes.tokens import (
    TokenClaims,
    TokenKind,
    TokenPolicy,
    VerificationResult,
    key_from_pem,
    key_generate,
    key_id,
    key_private_pem,
    key_public_b64,
    token_claims,
    token_issue,
    token_verify,
    token_verify_many,
    trust_entry,
    trust_list,
    trusted_key_from_entry,
    trusted_key_load,
)

NOW = dt.datetime(2020, 2, 10, 8, 0, tzinfo=dt.UTC)
ISSUER = "CN-ZJ"
KEY = key_generate()
OTHER_KEY = key_generate()
TRUST = trust_list([trusted_key_load(public_key=key_public_b64(KEY), issuer=ISSUER)])
QR_ALPHANUMERIC = set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")


def live(color=Color.GREEN, now=NOW, subject="R000000000001", **kw) -> TokenClaims:
    return token_claims(
        kind=TokenKind.LIVE, issuer=ISSUER, subject=subject, color=color, now=now, **kw
    )


def card(now=NOW) -> TokenClaims:
    return token_claims(kind=TokenKind.CARD, issuer=ISSUER, subject="R000000000002", now=now)


def verify(payload, *, trust=TRUST, now=NOW, **kw):
    result = token_verify(payload, trust=trust, now=now, **kw)
    assert isinstance(result.result, VerificationResult)
    assert result.message and result.message != T._INTERNAL
    return result


def unwrap(payload: str) -> cbor2.CBORTag:
    return cbor2.loads(zlib.decompress(base45.b45decode(payload[len(T.PREFIX) :])))


def wrap(cose: object) -> str:
    return T.PREFIX + base45.b45encode(zlib.compress(cbor2.dumps(cose))).decode()


def sign_raw(claims_obj: object, *, key=KEY, protected_map=None) -> str:
    """A correctly signed COSE_Sign1 around any CBOR value as claims."""
    protected = cbor2.dumps(protected_map if protected_map is not None else {1: -7, 4: key.kid})
    body = cbor2.dumps(claims_obj)
    der = key.private_key.sign(
        cbor2.dumps(["Signature1", protected, b"", body]), ec.ECDSA(hashes.SHA256())
    )
    r, s = decode_dss_signature(der)
    return wrap(cbor2.CBORTag(18, [protected, {}, body, r.to_bytes(32) + s.to_bytes(32)]))


# --- issue and verify ----------------------------------------------------------------------


@pytest.mark.parametrize("color", list(Color))
def test_live_token_round_trips_with_its_claims(color):
    claims = live(color)
    payload = token_issue(claims=claims, key=KEY)
    assert payload.startswith("CP1:")
    assert set(payload) <= QR_ALPHANUMERIC  # the whole payload fits QR alphanumeric mode
    result = verify(payload)
    assert result.result is VerificationResult.VALID and result.valid
    assert result.claims == claims
    assert result.kid == KEY.kid


def test_card_token_carries_no_color():
    payload = token_issue(claims=card(), key=KEY)
    result = verify(payload)
    assert result.result is VerificationResult.VALID
    assert result.claims.kind is TokenKind.CARD and result.claims.color is None
    body = cbor2.loads(unwrap(payload).value[2])
    assert 2 not in body[-65537]


def test_token_layout_is_cose_sign1_with_cwt_claims():
    payload = token_issue(claims=live(Color.RED), key=KEY)
    cose = unwrap(payload)
    assert cose.tag == 18
    protected, unprotected, body, signature = cose.value
    assert cbor2.loads(protected) == {1: -7, 4: KEY.kid}
    assert unprotected == {}
    assert len(signature) == 64  # raw r || s, not DER
    claims = cbor2.loads(body)
    assert claims[1] == ISSUER and claims[2] == "R000000000001"
    assert claims[6] == int(NOW.timestamp())
    assert claims[4] == int((NOW + dt.timedelta(hours=24)).timestamp())
    assert claims[-65537] == {1: "live", 2: "red"}
    # The signature verifies with plain cryptography over the COSE Sig_structure.
    r, s = int.from_bytes(signature[:32]), int.from_bytes(signature[32:])
    from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

    KEY.public_key.verify(
        encode_dss_signature(r, s),
        cbor2.dumps(["Signature1", protected, b"", body]),
        ec.ECDSA(hashes.SHA256()),
    )


def test_kid_is_first_8_bytes_of_sha256_of_spki():
    spki = KEY.public_key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    assert KEY.kid == hashlib.sha256(spki).digest()[:8] == key_id(KEY.public_key)


def test_one_changed_byte_in_signature_is_bad_signature():
    cose = unwrap(token_issue(claims=live(), key=KEY))
    protected, unprotected, body, signature = cose.value
    for index in (0, 31, 32, 63):
        tampered = bytearray(signature)
        tampered[index] ^= 0x01
        payload = wrap(cbor2.CBORTag(18, [protected, unprotected, body, bytes(tampered)]))
        assert verify(payload).result is VerificationResult.BAD_SIGNATURE


def test_changed_claim_is_bad_signature_and_claims_are_still_shown():
    cose = unwrap(token_issue(claims=live(Color.RED), key=KEY))
    protected, unprotected, body, signature = cose.value
    claims = cbor2.loads(body)
    claims[-65537][2] = "green"
    payload = wrap(cbor2.CBORTag(18, [protected, unprotected, cbor2.dumps(claims), signature]))
    result = verify(payload)
    assert result.result is VerificationResult.BAD_SIGNATURE
    assert result.claims.color is Color.GREEN and not result.valid


def test_signature_of_wrong_length_is_bad_signature():
    cose = unwrap(token_issue(claims=live(), key=KEY))
    protected, unprotected, body, signature = cose.value
    payload = wrap(cbor2.CBORTag(18, [protected, unprotected, body, signature[:63]]))
    assert verify(payload).result is VerificationResult.BAD_SIGNATURE


def test_token_of_other_key_is_unknown_key():
    result = verify(token_issue(claims=live(), key=OTHER_KEY))
    assert result.result is VerificationResult.UNKNOWN_KEY
    assert result.kid == OTHER_KEY.kid
    assert result.claims.subject == "R000000000001"  # readable, but not vouched for


def test_past_expiry_is_expired():
    payload = token_issue(claims=live(), key=KEY)
    assert verify(payload, now=NOW + dt.timedelta(hours=24)).result is VerificationResult.EXPIRED
    assert verify(payload, now=NOW + dt.timedelta(days=9)).result is VerificationResult.EXPIRED
    just_before = NOW + dt.timedelta(hours=24) - dt.timedelta(seconds=1)
    assert verify(payload, now=just_before).result is VerificationResult.VALID


def test_issued_in_the_future_beyond_leeway_is_not_yet_valid():
    payload = token_issue(claims=live(now=NOW + dt.timedelta(minutes=10)), key=KEY)
    assert verify(payload).result is VerificationResult.NOT_YET_VALID
    within = token_issue(claims=live(now=NOW + dt.timedelta(minutes=4)), key=KEY)
    assert verify(within).result is VerificationResult.VALID
    strict = TokenPolicy(clock_leeway=dt.timedelta(0))
    assert verify(within, policy=strict).result is VerificationResult.NOT_YET_VALID


def test_card_lives_longer_than_live_code():
    payload = token_issue(claims=card(), key=KEY)
    assert verify(payload, now=NOW + dt.timedelta(days=300)).result is VerificationResult.VALID
    assert verify(payload, now=NOW + dt.timedelta(days=366)).result is VerificationResult.EXPIRED


def test_key_counts_only_for_tokens_issued_within_its_validity():
    # Choice: a trusted key's not_before/not_after bound the token's *issue time*, as HCERT
    # checks a signer certificate; a retired key's tokens stay valid until they expire.
    window = trust_list(
        [
            trusted_key_load(
                public_key=key_public_b64(KEY),
                issuer=ISSUER,
                not_before=NOW - dt.timedelta(days=1),
                not_after=NOW + dt.timedelta(hours=1),
            )
        ]
    )
    inside = token_issue(claims=live(), key=KEY)
    assert verify(inside, trust=window).result is VerificationResult.VALID
    # Verified after the key retired: still valid, since it was issued while the key was current.
    later = NOW + dt.timedelta(hours=20)
    assert verify(inside, trust=window, now=later).result is VerificationResult.VALID
    before = token_issue(claims=live(now=NOW - dt.timedelta(days=2)), key=KEY)
    assert verify(before, trust=window).result is VerificationResult.UNKNOWN_KEY
    after = token_issue(claims=live(now=NOW + dt.timedelta(hours=2)), key=KEY)
    result = verify(after, trust=window, now=NOW + dt.timedelta(hours=2))
    assert result.result is VerificationResult.UNKNOWN_KEY


def test_key_of_one_issuer_cannot_vouch_for_another():
    claims = token_claims(
        kind=TokenKind.LIVE, issuer="CN-HB", subject="R1", color=Color.GREEN, now=NOW
    )
    result = verify(token_issue(claims=claims, key=KEY))
    assert result.result is VerificationResult.UNKNOWN_KEY


def test_federated_trust_list_recognizes_other_issuers():
    other = trusted_key_load(public_key=key_public_b64(OTHER_KEY), issuer="CN-JS")
    federated = trust_list([*TRUST.values(), other])
    claims = token_claims(
        kind=TokenKind.LIVE, issuer="CN-JS", subject="R9", color=Color.YELLOW, now=NOW
    )
    assert verify(token_issue(claims=claims, key=OTHER_KEY), trust=federated).valid
    assert verify(token_issue(claims=live(), key=KEY), trust=federated).valid


def test_kid_in_unprotected_header_is_accepted():
    cose = unwrap(token_issue(claims=live(), key=KEY))
    _, _, body, _ = cose.value
    protected = cbor2.dumps({1: -7})
    der = KEY.private_key.sign(
        cbor2.dumps(["Signature1", protected, b"", body]), ec.ECDSA(hashes.SHA256())
    )
    r, s = decode_dss_signature(der)
    payload = wrap(
        cbor2.CBORTag(18, [protected, {4: KEY.kid}, body, r.to_bytes(32) + s.to_bytes(32)])
    )
    assert verify(payload).valid


def test_other_algorithm_is_malformed():
    payload = sign_raw(
        cbor2.loads(unwrap(token_issue(claims=live(), key=KEY)).value[2]),
        protected_map={1: -35, 4: KEY.kid},
    )
    assert verify(payload).result is VerificationResult.MALFORMED


def test_naive_now_is_a_programming_error():
    with pytest.raises(ValueError):
        token_verify("CP1:", trust=TRUST, now=dt.datetime(2020, 2, 10))


# --- claims --------------------------------------------------------------------------------


def test_live_claims_need_a_color_and_cards_none():
    with pytest.raises(ValueError):
        token_claims(kind=TokenKind.LIVE, issuer=ISSUER, subject="R1", now=NOW)
    with pytest.raises(ValueError):
        token_claims(kind=TokenKind.CARD, issuer=ISSUER, subject="R1", color=Color.RED, now=NOW)


def test_claims_expire_after_policy_ttl_in_whole_seconds():
    claims = live(
        now=NOW.replace(microsecond=123456), policy=TokenPolicy(live_ttl=dt.timedelta(hours=6))
    )
    assert claims.issued_at == NOW
    assert claims.expires_at == NOW + dt.timedelta(hours=6)


# --- keys and the trust list ---------------------------------------------------------------


@pytest.mark.parametrize("password", [None, b"correct horse"])
def test_private_key_pem_round_trips(password):
    pem = key_private_pem(KEY, password=password)
    assert pem.startswith(b"-----BEGIN ")
    loaded = key_from_pem(pem, password=password)
    assert loaded.kid == KEY.kid
    payload = token_issue(claims=live(), key=loaded)
    assert verify(payload).valid


def test_non_p256_key_is_refused():
    other = ec.generate_private_key(ec.SECP384R1())
    pem = other.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    with pytest.raises(ValueError):
        key_from_pem(pem)
    spki = base64.b64encode(
        other.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    ).decode()
    with pytest.raises(ValueError):
        trusted_key_load(public_key=spki, issuer=ISSUER)


def test_trust_entry_round_trips_and_checks_its_kid():
    key = trusted_key_load(
        public_key=key_public_b64(KEY), issuer=ISSUER, not_before=NOW, not_after=None
    )
    entry = trust_entry(key)
    assert entry["alg"] == "ES256"
    assert base64.b64decode(entry["kid"]) == KEY.kid
    again = trusted_key_from_entry(entry)
    assert (again.kid, again.issuer, again.not_before, again.not_after) == (
        KEY.kid,
        ISSUER,
        NOW,
        None,
    )
    with pytest.raises(ValueError):
        trusted_key_from_entry({**entry, "kid": base64.b64encode(OTHER_KEY.kid).decode()})
    with pytest.raises(ValueError):
        trusted_key_from_entry({**entry, "alg": "RS256"})


def test_trust_list_refuses_a_repeated_kid_and_is_read_only():
    key = trusted_key_load(public_key=key_public_b64(KEY), issuer=ISSUER)
    with pytest.raises(ValueError):
        trust_list([key, key])
    with pytest.raises(TypeError):
        TRUST[b"x"] = key  # type: ignore[index]


# --- encoding helpers ----------------------------------------------------------------------


@given(st.binary(max_size=600))
def test_fast_base45_decoder_inverts_the_package_encoder(data):
    assert T._b45decode(base45.b45encode(data).decode()) == data


@given(st.text(alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:a~é", max_size=40))
def test_fast_base45_decoder_agrees_with_the_package_on_any_text(text):
    try:
        expected = base45.b45decode(text)
    except ValueError:
        expected = None
    try:
        got = T._b45decode(text)
    except ValueError:
        got = None
    # The package strips trailing newlines; none occur in this alphabet.
    assert got == expected


@pytest.mark.parametrize("text", ["GGW", "::", "6--", ":::", "A", "AAAA"])
def test_fast_base45_decoder_refuses_groups_out_of_range(text):
    with pytest.raises(ValueError):
        T._b45decode(text)


def test_fast_base45_decoder_accepts_the_largest_groups():
    assert T._b45decode("FGW") == b"\xff\xff"
    assert T._b45decode("U5") == b"\xff"


@given(st.binary(max_size=70000).filter(lambda b: True), st.binary(max_size=300))
@settings(max_examples=30, suppress_health_check=[HealthCheck.data_too_large])
def test_sig_structure_equals_cbor2_encoding(protected, payload):
    assert T._sig_structure(protected, payload) == cbor2.dumps(
        ["Signature1", protected, b"", payload]
    )


@pytest.mark.parametrize("size", [0, 23, 24, 255, 256, 65535, 65536])
def test_sig_structure_heads_at_cbor_length_boundaries(size):
    data = b"\x01" * size
    assert T._sig_structure(data, data) == cbor2.dumps(["Signature1", data, b"", data])


# --- hostile input: never raises, answers malformed ----------------------------------------

cbor_leaves = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True)
    | st.text(max_size=20)
    | st.binary(max_size=80)
)
cbor_values = st.recursive(
    cbor_leaves,
    lambda children: (
        st.lists(children, max_size=5)
        | st.dictionaries(st.integers(-70000, 70000) | st.text(max_size=5), children, max_size=5)
        | st.builds(cbor2.CBORTag, st.sampled_from([18, 1, 0, 2, 30, 37, 99, 258, 55799]), children)
    ),
    max_leaves=12,
)


@given(st.text(max_size=300) | st.binary(max_size=100) | st.none() | st.integers())
def test_random_input_is_malformed_never_raises(payload):
    assert verify(payload).result is VerificationResult.MALFORMED


@given(st.text(alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:", max_size=300))
def test_random_text_after_prefix_is_malformed(text):
    assert verify("CP1:" + text).result is VerificationResult.MALFORMED


@given(st.binary(max_size=400))
def test_base45_of_random_bytes_is_malformed(data):
    assert verify("CP1:" + base45.b45encode(data).decode()).result is VerificationResult.MALFORMED


@given(st.binary(max_size=400))
def test_zlib_of_random_bytes_is_malformed(data):
    assert verify(T.PREFIX + base45.b45encode(zlib.compress(data)).decode()).result is (
        VerificationResult.MALFORMED
    )


@given(cbor_values)
def test_zlib_of_random_cbor_is_malformed(value):
    assert verify(wrap(value)).result is VerificationResult.MALFORMED


@given(
    parts=st.lists(cbor_values, min_size=0, max_size=6),
    tag=st.sampled_from([18, 17, 98]),
)
def test_cose_of_wrong_shape_is_malformed(parts, tag):
    assert verify(wrap(cbor2.CBORTag(tag, parts))).result is VerificationResult.MALFORMED


@given(
    protected=cbor_values,
    unprotected=cbor_values,
    claims=cbor_values,
    signature=st.binary(max_size=70),
)
def test_cose_with_random_parts_never_raises(protected, unprotected, claims, signature):
    protected_bytes = cbor2.dumps(protected) if not isinstance(protected, bytes) else protected
    cose = cbor2.CBORTag(18, [protected_bytes, unprotected, cbor2.dumps(claims), signature])
    assert verify(wrap(cose)).result in {
        VerificationResult.MALFORMED,
        VerificationResult.UNKNOWN_KEY,
        VerificationResult.BAD_SIGNATURE,
    }


claim_maps = st.fixed_dictionaries(
    {},
    optional={
        1: cbor_leaves,
        2: cbor_leaves,
        4: cbor_leaves | st.integers(-(2**66), 2**66),
        6: cbor_leaves | st.integers(-(2**66), 2**66),
        -65537: cbor_values
        | st.fixed_dictionaries(
            {},
            optional={
                1: st.sampled_from(["live", "card", "x"]) | cbor_leaves,
                2: st.sampled_from(["green", "red", "blue"]) | cbor_leaves,
            },
        ),
    },
)


@settings(max_examples=300)
@given(claims=claim_maps | cbor_values)
def test_correctly_signed_garbage_claims_never_raise(claims):
    # The signature is good, so only the claim checks stand between this and "valid".
    result = verify(sign_raw(claims))
    if result.result is not VerificationResult.MALFORMED:
        assert result.claims is not None
        assert isinstance(result.claims.issuer, str) and isinstance(result.claims.subject, str)
        assert result.claims.expires_at > result.claims.issued_at


def test_zlib_bomb_is_malformed():
    bomb = zlib.compress(b"\x00" * 2_000_000, 9)
    assert len(bomb) < 2 * T.MAX_PAYLOAD_CHARS // 3
    result = verify(T.PREFIX + base45.b45encode(bomb).decode())
    assert result.result is VerificationResult.MALFORMED


def test_overlong_payload_is_malformed():
    assert verify("CP1:" + "0" * 5000).result is VerificationResult.MALFORMED


def test_duplicate_claim_keys_are_malformed():
    good = cbor2.loads(unwrap(token_issue(claims=live(), key=KEY)).value[2])
    # Hand-built CBOR map with the subject twice: a verifier must not pick one silently.
    items = [(k, v) for k, v in good.items()] + [(2, "R-OTHER")]
    body = bytes([0xA0 | len(items)]) + b"".join(cbor2.dumps(k) + cbor2.dumps(v) for k, v in items)
    protected = cbor2.dumps({1: -7, 4: KEY.kid})
    der = KEY.private_key.sign(
        cbor2.dumps(["Signature1", protected, b"", body]), ec.ECDSA(hashes.SHA256())
    )
    r, s = decode_dss_signature(der)
    payload = wrap(cbor2.CBORTag(18, [protected, {}, body, r.to_bytes(32) + s.to_bytes(32)]))
    assert verify(payload).result is VerificationResult.MALFORMED


def test_batch_verification_gives_the_same_answers_in_order():
    payloads = [
        token_issue(claims=live(Color.RED), key=KEY),
        "CP1:not a token",
        token_issue(claims=live(), key=OTHER_KEY),
        None,
        token_issue(claims=card(), key=KEY),
        token_issue(claims=live(now=NOW - dt.timedelta(days=3)), key=KEY),
    ]
    batch = token_verify_many(payloads, trust=TRUST, now=NOW)
    assert batch == [token_verify(p, trust=TRUST, now=NOW) for p in payloads]
    assert [v.result for v in batch] == [
        VerificationResult.VALID,
        VerificationResult.MALFORMED,
        VerificationResult.UNKNOWN_KEY,
        VerificationResult.MALFORMED,
        VerificationResult.VALID,
        VerificationResult.EXPIRED,
    ]
