"""Checkpoint scan decision: pure rules, no Django, no I/O, no clock (PRODUCT.md 3.3).

A scan combines three independent judgements, each giving a partial decision:

1. the token: an invalid token is denied;
2. the color: the stricter of the token's and the server's color, judged against the direction
   and the checkpoint's policy;
3. the temperature: a fever refers the person to a fever clinic whatever else is true.

The partial decisions combine by severity (pass < refer < deny), except that a fever always
yields ``refer`` (see ``scan_decide`` for why a red code with a fever is referred, not denied).

The enums below mirror values owned by ``health_codes`` (color, verification result, token
kind). ``checkpoints`` and ``health_codes`` sit on the same layer of STYLE.md and may not import
each other, so the values are restated here as ``StrEnum`` members: they compare equal to the
plain strings the other app produces (``Color.RED == "red"``).
"""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal


class Color(enum.StrEnum):
    """Health-code color, from least to most restrictive (PRODUCT.md 3.2)."""

    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"


# Severity order of colors: the stricter color wins when two sources disagree.
_COLOR_SEVERITY = {Color.GREEN: 0, Color.YELLOW: 1, Color.RED: 2}


class VerificationResult(enum.StrEnum):
    """Outcome of verifying a QR token offline (PRODUCT.md 3.2, exactly these six)."""

    VALID = "valid"
    EXPIRED = "expired"
    NOT_YET_VALID = "not_yet_valid"
    BAD_SIGNATURE = "bad_signature"
    UNKNOWN_KEY = "unknown_key"
    MALFORMED = "malformed"


class TokenKind(enum.StrEnum):
    """Kind of token: a live code carries a color, a printed card carries identity only."""

    LIVE = "live"
    CARD = "card"


class Direction(enum.StrEnum):
    """Direction of passage through a checkpoint."""

    IN = "in"
    OUT = "out"


class CheckpointKind(enum.StrEnum):
    """Kind of checkpoint (PRODUCT.md 3.3)."""

    EXPRESSWAY_ENTRANCE = "expressway_entrance"
    RAILWAY_STATION = "railway_station"
    VILLAGE_ENTRANCE = "village_entrance"
    RESIDENTIAL_GATE = "residential_gate"
    SUPERMARKET = "supermarket"
    ENTERPRISE_GATE = "enterprise_gate"
    HOSPITAL = "hospital"
    OTHER = "other"


class Decision(enum.StrEnum):
    """What the checkpoint staff do with the person: let pass, turn back, or refer."""

    PASS = "pass"
    REFER = "refer"
    DENY = "deny"


# Severity order of decisions, used to combine partial decisions and in the property that a
# stricter color never yields a more lenient decision.
DECISION_SEVERITY = {Decision.PASS: 0, Decision.REFER: 1, Decision.DENY: 2}


class TemperatureStatus(enum.StrEnum):
    """Reading of the thermometer, judged against the fever threshold and plausible range."""

    NORMAL = "normal"
    FEVER = "fever"
    IMPLAUSIBLE = "implausible"
    MISSING = "missing"


class ReasonCode(enum.StrEnum):
    """Stable machine codes of the reasons given with a decision (devices may translate them)."""

    TOKEN_EXPIRED = "token_expired"
    TOKEN_NOT_YET_VALID = "token_not_yet_valid"
    TOKEN_BAD_SIGNATURE = "token_bad_signature"
    TOKEN_UNKNOWN_KEY = "token_unknown_key"
    TOKEN_MALFORMED = "token_malformed"
    SERVER_COLOR_STRICTER = "server_color_stricter"
    CARD_COLOR_UNKNOWN = "card_color_unknown"
    GREEN = "green"
    YELLOW_DENIED = "yellow_denied"
    YELLOW_OWN_GATE = "yellow_own_gate"
    YELLOW_EXIT = "yellow_exit"
    YELLOW_LEAVING_HOME = "yellow_leaving_home"
    RED_DENIED = "red_denied"
    RED_EXIT_DENIED = "red_exit_denied"
    FEVER = "fever"
    TEMPERATURE_IMPLAUSIBLE = "temperature_implausible"
    TEMPERATURE_MISSING = "temperature_missing"


@dataclass(frozen=True, slots=True)
class Reason:
    """One reason for a decision: a stable code and a plain-English sentence for the staff."""

    code: ReasonCode
    text: str


# Kinds of checkpoint that are the boundary of a person's home area: the "own residential gate"
# of PRODUCT.md 3.3. A village entrance plays the same role in rural areas.
HOME_GATE_KINDS = frozenset({CheckpointKind.RESIDENTIAL_GATE, CheckpointKind.VILLAGE_ENTRANCE})


@dataclass(frozen=True, slots=True)
class CheckpointPolicy:
    """Settings of the scan decision, with the paper's defaults (PRODUCT.md 3.2, 3.3)."""

    # Per checkpoint: may a yellow (home-quarantine) resident enter their own residential gate to
    # go home? Off by default: PRODUCT.md 3.3 makes it an exception the checkpoint opts into.
    yellow_may_enter_own_gate: bool = False
    # 37.3 °C: the fever threshold of PRODUCT.md 3.2 and 3.3.
    fever_threshold_c: Decimal = Decimal("37.3")
    # A reading outside 34-43 °C is a thermometer error (or a cold forehead), not a fever: the
    # person is measured again rather than sent to a fever clinic.
    plausible_min_c: Decimal = Decimal("34")
    plausible_max_c: Decimal = Decimal("43")
    # The paper's checkpoints screen by temperature on the way in; an entry without a reading is
    # referred to be measured by hand. Exits do not need a reading.
    temperature_required_on_entry: bool = True
    # Offline: a non-green list older than this no longer proves that an absent subject is
    # green, so cards are referred. 24 h: the live-code lifetime of PRODUCT.md 3.2.
    offline_bundle_max_age: timedelta = field(default_factory=lambda: timedelta(hours=24))


@dataclass(frozen=True, slots=True)
class ScanDecision:
    """The answer to one scan: decision, the color used, reasons, and follow-up flags."""

    decision: Decision
    # The color the decision used; None when the token was invalid or the color is unknown.
    color: Color | None
    reasons: tuple[Reason, ...]
    temperature: TemperatureStatus
    # True when a fever was measured: the service opens a follow-up task (PRODUCT.md 3.2, 3.3).
    fever_followup: bool


def color_stricter(a: Color, b: Color) -> Color:
    """Rule: of two colors, the more restrictive one applies."""
    return a if _COLOR_SEVERITY[Color(a)] >= _COLOR_SEVERITY[Color(b)] else b


def decision_stricter(a: Decision, b: Decision) -> Decision:
    """Rule: of two partial decisions, the more severe one applies (pass < refer < deny)."""
    return a if DECISION_SEVERITY[Decision(a)] >= DECISION_SEVERITY[Decision(b)] else b


def temperature_assess(
    *, temperature_c: Decimal | None, policy: CheckpointPolicy
) -> TemperatureStatus:
    """Rule: classify a reading as missing, implausible, fever (>= threshold) or normal."""
    if temperature_c is None:
        return TemperatureStatus.MISSING
    # NaN or infinity from a broken device is an invalid reading, never a fever; checking first
    # also avoids Decimal's InvalidOperation on ordering comparisons with NaN.
    if not temperature_c.is_finite():
        return TemperatureStatus.IMPLAUSIBLE
    if not policy.plausible_min_c <= temperature_c <= policy.plausible_max_c:
        return TemperatureStatus.IMPLAUSIBLE
    if temperature_c >= policy.fever_threshold_c:
        return TemperatureStatus.FEVER
    return TemperatureStatus.NORMAL


_TOKEN_REASONS = {
    VerificationResult.EXPIRED: (
        ReasonCode.TOKEN_EXPIRED,
        "The code has expired: ask the person to refresh it.",
    ),
    VerificationResult.NOT_YET_VALID: (
        ReasonCode.TOKEN_NOT_YET_VALID,
        "The code is not valid yet: check the device's clock or refresh the code.",
    ),
    VerificationResult.BAD_SIGNATURE: (
        ReasonCode.TOKEN_BAD_SIGNATURE,
        "The code's signature is wrong: it may be forged.",
    ),
    VerificationResult.UNKNOWN_KEY: (
        ReasonCode.TOKEN_UNKNOWN_KEY,
        "The code was signed by an issuer this checkpoint does not trust.",
    ),
    VerificationResult.MALFORMED: (
        ReasonCode.TOKEN_MALFORMED,
        "This is not a readable health code.",
    ),
}


def effective_color(
    *,
    token_kind: TokenKind,
    token_color: Color | None,
    server_color: Color | None,
) -> tuple[Color | None, tuple[Reason, ...]]:
    """Rule: the stricter of token and server colors; a card takes the server's color.

    Returns None when no color is known (a card, or a live token without a color, while the
    server's color is unknown), with the reason that the person must be checked by hand.
    """
    # A card carries identity only; a live token without a color is treated the same way rather
    # than guessed at.
    own = token_color if token_kind == TokenKind.LIVE else None
    if own is None:
        if server_color is None:
            return None, (
                Reason(
                    ReasonCode.CARD_COLOR_UNKNOWN,
                    "The current color of this card's holder is unknown offline: check by hand.",
                ),
            )
        return Color(server_color), ()
    if server_color is None:
        return Color(own), ()
    color = color_stricter(Color(own), Color(server_color))
    if color != own:
        # PRODUCT.md 3.3: the server's current color wins over a stale token. The text says
        # nothing about why (no case, no place): 3.2 forbids revealing the exposure.
        return color, (
            Reason(
                ReasonCode.SERVER_COLOR_STRICTER,
                f"The person's current color is {color}, stricter than the {own} code shown.",
            ),
        )
    return color, ()


def color_gate(
    *,
    color: Color,
    direction: Direction,
    checkpoint_kind: CheckpointKind,
    is_home_area: bool,
    policy: CheckpointPolicy,
) -> tuple[Decision, Reason]:
    """Rule: green passes; yellow and red are denied, with the own-gate and exit exceptions.

    Entering (PRODUCT.md 3.3): yellow and red are denied, except that a yellow resident may
    enter their own residential gate when the checkpoint's policy allows it (they are going home,
    which is where home quarantine wants them).

    Leaving (PRODUCT.md is silent; our choice): exits are recorded and pass, so that nobody is
    held inside a supermarket or station, except that red is denied everywhere (centralized
    quarantine or an active case must not move about: staff call the health team), and a yellow
    resident is denied leaving their own home area (that would break home quarantine).
    """
    home_gate = checkpoint_kind in HOME_GATE_KINDS and is_home_area
    if color == Color.GREEN:
        return Decision.PASS, Reason(ReasonCode.GREEN, "Green code: may pass.")
    if color == Color.RED:
        if direction == Direction.OUT:
            return Decision.DENY, Reason(
                ReasonCode.RED_EXIT_DENIED,
                "Red code: may not leave; keep the person here and call the health team.",
            )
        return Decision.DENY, Reason(
            ReasonCode.RED_DENIED, "Red code: may not pass; call the health team."
        )
    # Yellow.
    if direction == Direction.IN:
        if home_gate and policy.yellow_may_enter_own_gate:
            return Decision.PASS, Reason(
                ReasonCode.YELLOW_OWN_GATE,
                "Yellow code: may enter their own residential area to go home and stay there.",
            )
        return Decision.DENY, Reason(
            ReasonCode.YELLOW_DENIED, "Yellow code: in home quarantine, may not enter."
        )
    if home_gate:
        return Decision.DENY, Reason(
            ReasonCode.YELLOW_LEAVING_HOME,
            "Yellow code: in home quarantine, may not leave their residential area.",
        )
    return Decision.PASS, Reason(
        ReasonCode.YELLOW_EXIT, "Yellow code: exit recorded; the person should go home."
    )


def scan_decide(
    *,
    verification: VerificationResult,
    token_kind: TokenKind,
    token_color: Color | None,
    server_color: Color | None,
    temperature_c: Decimal | None,
    direction: Direction,
    checkpoint_kind: CheckpointKind,
    is_home_area: bool,
    policy: CheckpointPolicy,
) -> ScanDecision:
    """Rule: decide pass, deny or refer for one scan at a checkpoint (PRODUCT.md 3.3).

    ``server_color`` is the subject's current color on the server, or None when unknown (offline,
    or no such subject); offline devices pass the color from their non-green list
    (``offline_server_color``). ``is_home_area`` says whether the checkpoint guards the person's
    home residential area.

    A fever always gives ``refer``, even for a red code or an invalid token. Refer is not pass:
    the person does not go through. A red person with a fever is the most likely case of all;
    turning them back (deny) would send them, untreated, into the crowd, while referral hands
    them to the fever clinic. The red reason stays in the list so the staff escort them with
    care.
    """
    reasons: list[Reason] = []
    color: Color | None = None
    if verification != VerificationResult.VALID:
        code, text = _TOKEN_REASONS[VerificationResult(verification)]
        reasons.append(Reason(code, text))
        gate = Decision.DENY
    else:
        color, color_reasons = effective_color(
            token_kind=token_kind, token_color=token_color, server_color=server_color
        )
        reasons.extend(color_reasons)
        if color is None:
            gate = Decision.REFER
        else:
            gate, reason = color_gate(
                color=color,
                direction=direction,
                checkpoint_kind=checkpoint_kind,
                is_home_area=is_home_area,
                policy=policy,
            )
            reasons.append(reason)

    status = temperature_assess(temperature_c=temperature_c, policy=policy)
    if status == TemperatureStatus.FEVER:
        reasons.append(
            Reason(
                ReasonCode.FEVER,
                f"Temperature {temperature_c} °C is a fever (from {policy.fever_threshold_c} °C):"
                " refer to a fever clinic.",
            )
        )
        return ScanDecision(
            decision=Decision.REFER,
            color=color,
            reasons=tuple(reasons),
            temperature=status,
            fever_followup=True,
        )

    decision = gate
    reading_needed = direction == Direction.IN and policy.temperature_required_on_entry
    if status == TemperatureStatus.IMPLAUSIBLE:
        reasons.append(
            Reason(
                ReasonCode.TEMPERATURE_IMPLAUSIBLE,
                f"Reading {temperature_c} °C is outside {policy.plausible_min_c}-"
                f"{policy.plausible_max_c} °C: measure again.",
            )
        )
        if reading_needed:
            decision = decision_stricter(decision, Decision.REFER)
    elif status == TemperatureStatus.MISSING and reading_needed:
        reasons.append(
            Reason(ReasonCode.TEMPERATURE_MISSING, "No temperature taken: measure before entry.")
        )
        decision = decision_stricter(decision, Decision.REFER)
    return ScanDecision(
        decision=decision,
        color=color,
        reasons=tuple(reasons),
        temperature=status,
        fever_followup=False,
    )


def offline_server_color(
    *,
    subject: str | None,
    non_green: Mapping[str, Color],
    bundle_generated_at: datetime,
    now: datetime,
    policy: CheckpointPolicy,
) -> Color | None:
    """Rule: offline, the non-green list stands in for the server's color.

    A subject on the list has the listed color. A subject absent from a fresh list is green as of
    the list's time. A list older than ``policy.offline_bundle_max_age`` keeps its listed colors
    (a listed subject may have turned green since, but caution keeps the stricter color) and no
    longer proves that an absent subject is green: the color is then unknown (None). An unknown
    subject (unreadable token) has no color.
    """
    if subject is None:
        return None
    listed = non_green.get(subject)
    if listed is not None:
        return Color(listed)
    # A device clock behind the bundle's time gives a negative age: the bundle counts as fresh.
    if now - bundle_generated_at > policy.offline_bundle_max_age:
        return None
    return Color.GREEN


def offline_scan_decide(
    *,
    subject: str | None,
    non_green: Mapping[str, Color],
    bundle_generated_at: datetime,
    now: datetime,
    verification: VerificationResult,
    token_kind: TokenKind,
    token_color: Color | None,
    temperature_c: Decimal | None,
    direction: Direction,
    checkpoint_kind: CheckpointKind,
    is_home_area: bool,
    policy: CheckpointPolicy,
) -> ScanDecision:
    """Rule: a device offline decides as the server would, its non-green list as server color."""
    server_color = offline_server_color(
        subject=subject,
        non_green=non_green,
        bundle_generated_at=bundle_generated_at,
        now=now,
        policy=policy,
    )
    return scan_decide(
        verification=verification,
        token_kind=token_kind,
        token_color=token_color,
        server_color=server_color,
        temperature_c=temperature_c,
        direction=direction,
        checkpoint_kind=checkpoint_kind,
        is_home_area=is_home_area,
        policy=policy,
    )


# --- scan times -----------------------------------------------------------------------------

# A device clock may run a little ahead of the server's; beyond this it is wrong, and a scan
# "from the future" would corrupt the presence log that tracing searches.
DEVICE_CLOCK_LEEWAY = timedelta(minutes=10)
# 28 days: the retention of scan and visit logs (PRODUCT.md 4). An older scan would be purged at
# once, so an upload that late is refused rather than stored.
PRESENCE_RETENTION = timedelta(days=28)


def presence_time_problem(
    *,
    at: datetime,
    now: datetime,
    leeway: timedelta = DEVICE_CLOCK_LEEWAY,
    retention: timedelta = PRESENCE_RETENTION,
) -> str | None:
    """Rule: a scan or visit time must carry its offset, not lie ahead, nor be past retention."""
    if at.tzinfo is None or at.utcoffset() is None:
        return "Give the time with its UTC offset."
    if at > now + leeway:
        return "This time lies in the future: check the device's clock."
    if at < now - retention:
        return "This is older than the log keeps (28 days): it cannot be recorded."
    return None


def scan_fingerprint(
    *,
    payload: str,
    temperature_c: Decimal | None,
    direction: str,
    scanned_at: datetime,
    checkpoint_id: int,
) -> str:
    """Rule: what identifies one scan's content, so that a reused key with other content shows."""
    text = "\x1f".join(
        [
            str(checkpoint_id),
            payload,
            "" if temperature_c is None else format(temperature_c.normalize(), "f"),
            direction,
            scanned_at.isoformat(),
        ]
    )
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def scan_key_scope(*, operator_id: int | None, checkpoint_id: int) -> str:
    """Rule: the namespace of a device's scan keys: the organization operating the checkpoint.

    Device names ("gate-1") and keys ("0001") are chosen by each organization, so a key is
    unique only within its organization; a checkpoint run by no organization is its own scope.
    """
    return f"org:{operator_id}" if operator_id is not None else f"checkpoint:{checkpoint_id}"


def more_lenient(a: Decision, b: Decision) -> bool:
    """Rule: whether decision ``a`` lets a person through more easily than ``b``."""
    return DECISION_SEVERITY[Decision(a)] < DECISION_SEVERITY[Decision(b)]
