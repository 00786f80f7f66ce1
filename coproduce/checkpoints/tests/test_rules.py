"""Tests of the checkpoint scan decision (pure, no database)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coproduce.checkpoints.rules import (
    DECISION_SEVERITY,
    CheckpointKind,
    CheckpointPolicy,
    Color,
    Decision,
    Direction,
    ReasonCode,
    TemperatureStatus,
    TokenKind,
    VerificationResult,
    color_stricter,
    offline_scan_decide,
    offline_server_color,
    scan_decide,
    temperature_assess,
)

POLICY = CheckpointPolicy()
OWN_GATE_POLICY = CheckpointPolicy(yellow_may_enter_own_gate=True)
NORMAL = Decimal("36.5")
FEVER = Decimal("37.3")
INVALID = [r for r in VerificationResult if r != VerificationResult.VALID]


def decide(**overrides):
    args = dict(
        verification=VerificationResult.VALID,
        token_kind=TokenKind.LIVE,
        token_color=Color.GREEN,
        server_color=None,
        temperature_c=NORMAL,
        direction=Direction.IN,
        checkpoint_kind=CheckpointKind.SUPERMARKET,
        is_home_area=False,
        policy=POLICY,
    )
    args.update(overrides)
    return scan_decide(**args)


def codes(result):
    return [reason.code for reason in result.reasons]


# --- token -------------------------------------------------------------------------------------


@pytest.mark.parametrize("verification", INVALID)
def test_invalid_token_is_denied_with_the_verification_result_as_reason(verification):
    result = decide(verification=verification, server_color=Color.GREEN)
    assert result.decision == Decision.DENY
    assert result.color is None
    assert codes(result) == [ReasonCode(f"token_{verification}")]
    assert all(reason.text for reason in result.reasons)


@pytest.mark.parametrize("verification", INVALID)
def test_invalid_token_with_fever_is_referred_to_fever_clinic(verification):
    result = decide(verification=verification, temperature_c=Decimal("38.0"))
    assert result.decision == Decision.REFER
    assert result.fever_followup
    assert codes(result) == [ReasonCode(f"token_{verification}"), ReasonCode.FEVER]


# --- color -------------------------------------------------------------------------------------


def test_green_token_passes_when_server_color_unknown():
    result = decide()
    assert (result.decision, result.color) == (Decision.PASS, Color.GREEN)
    assert codes(result) == [ReasonCode.GREEN]


def test_green_token_passes_when_server_agrees():
    assert decide(server_color=Color.GREEN).decision == Decision.PASS


def test_green_token_of_a_person_red_now_is_denied():
    result = decide(server_color=Color.RED)
    assert (result.decision, result.color) == (Decision.DENY, Color.RED)
    assert codes(result) == [ReasonCode.SERVER_COLOR_STRICTER, ReasonCode.RED_DENIED]


def test_green_token_of_a_person_yellow_now_is_denied():
    result = decide(server_color=Color.YELLOW)
    assert (result.decision, result.color) == (Decision.DENY, Color.YELLOW)
    assert ReasonCode.SERVER_COLOR_STRICTER in codes(result)


def test_red_token_stays_red_when_server_says_green():
    # The stricter color wins both ways: a server lagging behind the token does not relax it.
    result = decide(token_color=Color.RED, server_color=Color.GREEN)
    assert (result.decision, result.color) == (Decision.DENY, Color.RED)
    assert ReasonCode.SERVER_COLOR_STRICTER not in codes(result)


def test_server_stricter_reason_does_not_reveal_the_exposure():
    text = decide(server_color=Color.RED).reasons[0].text
    assert "case" not in text.lower() and "contact" not in text.lower()


def test_card_takes_the_server_color():
    assert decide(token_kind=TokenKind.CARD, token_color=None, server_color=Color.GREEN).color == (
        Color.GREEN
    )
    red = decide(token_kind=TokenKind.CARD, token_color=None, server_color=Color.RED)
    assert (red.decision, red.color) == (Decision.DENY, Color.RED)


def test_card_ignores_any_color_it_claims_to_carry():
    result = decide(token_kind=TokenKind.CARD, token_color=Color.RED, server_color=Color.GREEN)
    assert (result.decision, result.color) == (Decision.PASS, Color.GREEN)


def test_card_without_server_color_is_referred_to_manual_check():
    result = decide(token_kind=TokenKind.CARD, token_color=None, server_color=None)
    assert (result.decision, result.color) == (Decision.REFER, None)
    assert codes(result) == [ReasonCode.CARD_COLOR_UNKNOWN]


def test_live_token_without_color_is_treated_like_a_card():
    assert decide(token_color=None, server_color=None).decision == Decision.REFER
    assert decide(token_color=None, server_color=Color.GREEN).decision == Decision.PASS


def test_yellow_is_denied_at_a_supermarket():
    result = decide(token_color=Color.YELLOW)
    assert result.decision == Decision.DENY
    assert codes(result) == [ReasonCode.YELLOW_DENIED]


def test_red_code_is_denied_at_checkpoint():
    result = decide(token_color=Color.RED, checkpoint_kind=CheckpointKind.RESIDENTIAL_GATE)
    assert result.decision == Decision.DENY
    assert codes(result) == [ReasonCode.RED_DENIED]


@pytest.mark.parametrize("kind", [CheckpointKind.RESIDENTIAL_GATE, CheckpointKind.VILLAGE_ENTRANCE])
def test_yellow_resident_may_enter_own_gate_when_policy_allows(kind):
    result = decide(
        token_color=Color.YELLOW, checkpoint_kind=kind, is_home_area=True, policy=OWN_GATE_POLICY
    )
    assert result.decision == Decision.PASS
    assert codes(result) == [ReasonCode.YELLOW_OWN_GATE]


def test_yellow_resident_is_denied_at_own_gate_when_policy_forbids():
    result = decide(
        token_color=Color.YELLOW, checkpoint_kind=CheckpointKind.RESIDENTIAL_GATE, is_home_area=True
    )
    assert result.decision == Decision.DENY


def test_yellow_is_denied_at_another_areas_gate_even_when_policy_allows():
    result = decide(
        token_color=Color.YELLOW,
        checkpoint_kind=CheckpointKind.RESIDENTIAL_GATE,
        is_home_area=False,
        policy=OWN_GATE_POLICY,
    )
    assert result.decision == Decision.DENY


def test_own_area_exception_needs_a_gate_kind_of_checkpoint():
    result = decide(
        token_color=Color.YELLOW,
        checkpoint_kind=CheckpointKind.SUPERMARKET,
        is_home_area=True,
        policy=OWN_GATE_POLICY,
    )
    assert result.decision == Decision.DENY


def test_red_resident_may_not_enter_own_gate_even_when_yellow_may():
    result = decide(
        token_color=Color.RED,
        checkpoint_kind=CheckpointKind.RESIDENTIAL_GATE,
        is_home_area=True,
        policy=OWN_GATE_POLICY,
    )
    assert result.decision == Decision.DENY


# --- exits -------------------------------------------------------------------------------------


def test_green_exit_passes_without_temperature():
    result = decide(direction=Direction.OUT, temperature_c=None)
    assert result.decision == Decision.PASS
    assert codes(result) == [ReasonCode.GREEN]


def test_yellow_leaving_a_supermarket_passes_and_is_recorded():
    result = decide(token_color=Color.YELLOW, direction=Direction.OUT)
    assert result.decision == Decision.PASS
    assert codes(result) == [ReasonCode.YELLOW_EXIT]


def test_yellow_leaving_own_residential_area_is_denied():
    result = decide(
        token_color=Color.YELLOW,
        direction=Direction.OUT,
        checkpoint_kind=CheckpointKind.RESIDENTIAL_GATE,
        is_home_area=True,
        policy=OWN_GATE_POLICY,
    )
    assert result.decision == Decision.DENY
    assert codes(result) == [ReasonCode.YELLOW_LEAVING_HOME]


def test_yellow_leaving_another_residential_area_passes():
    result = decide(
        token_color=Color.YELLOW,
        direction=Direction.OUT,
        checkpoint_kind=CheckpointKind.RESIDENTIAL_GATE,
        is_home_area=False,
    )
    assert result.decision == Decision.PASS


def test_red_exit_is_denied():
    result = decide(token_color=Color.RED, direction=Direction.OUT)
    assert result.decision == Decision.DENY
    assert codes(result) == [ReasonCode.RED_EXIT_DENIED]


# --- temperature -------------------------------------------------------------------------------


def test_fever_at_threshold_refers_and_flags_a_follow_up():
    result = decide(temperature_c=Decimal("37.3"))
    assert result.decision == Decision.REFER
    assert result.temperature == TemperatureStatus.FEVER
    assert result.fever_followup
    assert codes(result) == [ReasonCode.GREEN, ReasonCode.FEVER]
    assert "37.3" in result.reasons[-1].text


def test_just_below_fever_threshold_passes():
    result = decide(temperature_c=Decimal("37.29"))
    assert result.decision == Decision.PASS
    assert not result.fever_followup


def test_red_code_with_fever_is_referred_not_denied():
    result = decide(token_color=Color.RED, temperature_c=Decimal("38.5"))
    assert (result.decision, result.color) == (Decision.REFER, Color.RED)
    assert codes(result) == [ReasonCode.RED_DENIED, ReasonCode.FEVER]
    assert result.fever_followup


def test_fever_on_exit_is_referred():
    assert decide(direction=Direction.OUT, temperature_c=FEVER).decision == Decision.REFER


def test_fever_threshold_is_a_setting():
    policy = CheckpointPolicy(fever_threshold_c=Decimal("38.0"))
    assert decide(temperature_c=Decimal("37.5"), policy=policy).decision == Decision.PASS
    assert decide(temperature_c=Decimal("38.0"), policy=policy).decision == Decision.REFER


@pytest.mark.parametrize(
    ("reading", "status"),
    [
        (Decimal("33.9"), TemperatureStatus.IMPLAUSIBLE),
        (Decimal("34"), TemperatureStatus.NORMAL),
        (Decimal("37.2"), TemperatureStatus.NORMAL),
        (Decimal("37.3"), TemperatureStatus.FEVER),
        (Decimal("43.0"), TemperatureStatus.FEVER),
        (Decimal("43.1"), TemperatureStatus.IMPLAUSIBLE),
        (Decimal("NaN"), TemperatureStatus.IMPLAUSIBLE),
        (Decimal("sNaN"), TemperatureStatus.IMPLAUSIBLE),
        (Decimal("Infinity"), TemperatureStatus.IMPLAUSIBLE),
        (None, TemperatureStatus.MISSING),
    ],
)
def test_temperature_is_classified_against_threshold_and_plausible_range(reading, status):
    assert temperature_assess(temperature_c=reading, policy=POLICY) == status


def test_implausible_reading_on_entry_is_referred_to_measure_again_not_as_fever():
    result = decide(temperature_c=Decimal("45.0"))
    assert result.decision == Decision.REFER
    assert not result.fever_followup
    assert codes(result) == [ReasonCode.GREEN, ReasonCode.TEMPERATURE_IMPLAUSIBLE]


def test_implausible_reading_on_exit_passes_with_a_note():
    result = decide(temperature_c=Decimal("20"), direction=Direction.OUT)
    assert result.decision == Decision.PASS
    assert ReasonCode.TEMPERATURE_IMPLAUSIBLE in codes(result)


def test_implausible_reading_never_softens_a_denial():
    assert decide(token_color=Color.RED, temperature_c=Decimal("50")).decision == Decision.DENY


def test_missing_temperature_on_entry_is_referred():
    result = decide(temperature_c=None)
    assert result.decision == Decision.REFER
    assert codes(result) == [ReasonCode.GREEN, ReasonCode.TEMPERATURE_MISSING]


def test_missing_temperature_passes_where_the_policy_does_not_require_it():
    policy = CheckpointPolicy(temperature_required_on_entry=False)
    result = decide(temperature_c=None, policy=policy)
    assert result.decision == Decision.PASS
    assert codes(result) == [ReasonCode.GREEN]


# --- offline -----------------------------------------------------------------------------------

T0 = datetime(2020, 2, 10, 8, 0, tzinfo=UTC)


def test_offline_listed_subject_takes_the_listed_color():
    color = offline_server_color(
        subject="p1", non_green={"p1": Color.RED}, bundle_generated_at=T0, now=T0, policy=POLICY
    )
    assert color == Color.RED


def test_offline_absent_subject_is_green_while_the_list_is_fresh():
    now = T0 + timedelta(hours=24)
    assert offline_server_color(
        subject="p1", non_green={}, bundle_generated_at=T0, now=now, policy=POLICY
    ) == (Color.GREEN)


def test_offline_absent_subject_is_unknown_once_the_list_is_stale():
    now = T0 + timedelta(hours=24, seconds=1)
    assert (
        offline_server_color(
            subject="p1", non_green={}, bundle_generated_at=T0, now=now, policy=POLICY
        )
        is None
    )


def test_offline_stale_list_keeps_listed_colors():
    now = T0 + timedelta(days=3)
    assert (
        offline_server_color(
            subject="p1",
            non_green={"p1": Color.YELLOW},
            bundle_generated_at=T0,
            now=now,
            policy=POLICY,
        )
        == Color.YELLOW
    )


def test_offline_device_clock_behind_the_list_counts_the_list_as_fresh():
    now = T0 - timedelta(hours=2)
    assert offline_server_color(
        subject="p1", non_green={}, bundle_generated_at=T0, now=now, policy=POLICY
    ) == (Color.GREEN)


def test_offline_unknown_subject_has_no_color():
    assert (
        offline_server_color(
            subject=None, non_green={}, bundle_generated_at=T0, now=T0, policy=POLICY
        )
        is None
    )


def offline(**overrides):
    args = dict(
        subject="p1",
        non_green={},
        bundle_generated_at=T0,
        now=T0 + timedelta(hours=1),
        verification=VerificationResult.VALID,
        token_kind=TokenKind.LIVE,
        token_color=Color.GREEN,
        temperature_c=NORMAL,
        direction=Direction.IN,
        checkpoint_kind=CheckpointKind.RAILWAY_STATION,
        is_home_area=False,
        policy=POLICY,
    )
    args.update(overrides)
    return offline_scan_decide(**args)


def test_offline_green_token_of_a_listed_red_person_is_denied():
    result = offline(non_green={"p1": Color.RED})
    assert (result.decision, result.color) == (Decision.DENY, Color.RED)


def test_offline_card_passes_when_absent_from_fresh_list():
    assert offline(token_kind=TokenKind.CARD, token_color=None).decision == Decision.PASS


def test_offline_card_is_referred_when_the_list_is_stale():
    result = offline(token_kind=TokenKind.CARD, token_color=None, now=T0 + timedelta(days=2))
    assert result.decision == Decision.REFER
    assert codes(result) == [ReasonCode.CARD_COLOR_UNKNOWN]


def test_offline_live_token_still_decides_when_the_list_is_stale():
    assert offline(now=T0 + timedelta(days=2)).decision == Decision.PASS


# --- exhaustive: every combination against a restatement of PRODUCT.md 3.3 ---------------------

TEMPERATURES = [None, NORMAL, FEVER, Decimal("50")]
COLORS = [None, *Color]


def expected(verification, kind, token_color, server_color, temp, direction, cp_kind, home, own):
    """A deliberately plain restatement of the rule, to check the implementation against."""
    status = temperature_assess(temperature_c=temp, policy=POLICY)
    if status == TemperatureStatus.FEVER:
        return Decision.REFER
    if verification != VerificationResult.VALID:
        return Decision.DENY
    colors = [c for c in (token_color if kind == TokenKind.LIVE else None, server_color) if c]
    if not colors:
        gate = Decision.REFER
    else:
        color = max(colors, key=[Color.GREEN, Color.YELLOW, Color.RED].index)
        at_home_gate = home and cp_kind in ("residential_gate", "village_entrance")
        if color == Color.GREEN:
            gate = Decision.PASS
        elif color == Color.RED:
            gate = Decision.DENY
        elif direction == Direction.IN:
            gate = Decision.PASS if (at_home_gate and own) else Decision.DENY
        else:
            gate = Decision.DENY if at_home_gate else Decision.PASS
    if gate == Decision.PASS and direction == Direction.IN and status != TemperatureStatus.NORMAL:
        return Decision.REFER
    return gate


def test_every_combination_matches_the_stated_rule():
    checked = 0
    for combo in itertools.product(
        VerificationResult,
        TokenKind,
        COLORS,
        COLORS,
        TEMPERATURES,
        Direction,
        CheckpointKind,
        [False, True],
        [False, True],
    ):
        verification, kind, token_color, server_color, temp, direction, cp_kind, home, own = combo
        result = scan_decide(
            verification=verification,
            token_kind=kind,
            token_color=token_color,
            server_color=server_color,
            temperature_c=temp,
            direction=direction,
            checkpoint_kind=cp_kind,
            is_home_area=home,
            policy=CheckpointPolicy(yellow_may_enter_own_gate=own),
        )
        assert result.decision == expected(*combo), combo
        assert result.reasons, combo
        assert result.fever_followup == (temp == FEVER), combo
        checked += 1
    assert checked == 6 * 2 * 4 * 4 * 4 * 2 * 8 * 2 * 2


# --- properties --------------------------------------------------------------------------------

temperatures = st.one_of(
    st.none(),
    st.decimals(min_value=Decimal("30"), max_value=Decimal("45"), places=1),
    st.sampled_from([Decimal("NaN"), Decimal("Infinity")]),
)
scans = st.fixed_dictionaries(
    {
        "verification": st.sampled_from(VerificationResult),
        "token_kind": st.sampled_from(TokenKind),
        "token_color": st.sampled_from(COLORS),
        "server_color": st.sampled_from(COLORS),
        "temperature_c": temperatures,
        "direction": st.sampled_from(Direction),
        "checkpoint_kind": st.sampled_from(CheckpointKind),
        "is_home_area": st.booleans(),
        "policy": st.builds(CheckpointPolicy, yellow_may_enter_own_gate=st.booleans()),
    }
)


@given(scans, st.sampled_from(Color), st.sampled_from(Color))
def test_stricter_server_color_never_yields_a_more_lenient_decision(scan, a, b):
    lenient, strict = sorted([a, b], key=[Color.GREEN, Color.YELLOW, Color.RED].index)
    before = scan_decide(**{**scan, "server_color": lenient})
    after = scan_decide(**{**scan, "server_color": strict})
    assert DECISION_SEVERITY[after.decision] >= DECISION_SEVERITY[before.decision]


@given(scans, st.decimals(min_value=Decimal("37.3"), max_value=Decimal("43"), places=2))
def test_fever_never_passes(scan, temperature):
    result = scan_decide(**{**scan, "temperature_c": temperature})
    assert result.decision in (Decision.REFER, Decision.DENY)
    assert result.fever_followup


@given(scans)
def test_decision_is_deterministic(scan):
    assert scan_decide(**scan) == scan_decide(**scan)


@given(scans)
def test_pass_needs_a_valid_token_and_a_known_color_short_of_red(scan):
    result = scan_decide(**scan)
    if result.decision == Decision.PASS:
        assert scan["verification"] == VerificationResult.VALID
        assert result.color in (Color.GREEN, Color.YELLOW)
        assert not result.fever_followup


@given(scans)
def test_color_used_is_never_more_lenient_than_a_known_color(scan):
    result = scan_decide(**scan)
    if result.color is None:
        return
    for known in (
        scan["server_color"],
        scan["token_color"] if scan["token_kind"] == "live" else None,
    ):
        if known is not None:
            assert color_stricter(result.color, known) == result.color


@given(scans, st.dictionaries(st.sampled_from(["p1", "p2"]), st.sampled_from(Color)))
def test_offline_decision_equals_online_decision_with_the_list_as_server_color(scan, non_green):
    scan = {k: v for k, v in scan.items() if k != "server_color"}
    offline_result = offline_scan_decide(
        subject="p1",
        non_green=non_green,
        bundle_generated_at=T0,
        now=T0,
        **scan,
    )
    online = scan_decide(server_color=non_green.get("p1", Color.GREEN), **scan)
    assert offline_result == online
