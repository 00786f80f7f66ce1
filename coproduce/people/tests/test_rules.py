"""Rules about people's identifiers (no database)."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coproduce.people.rules import (
    PUBLIC_ID_LENGTH,
    duplicate_reason,
    name_key,
    names_similar,
    national_id_check_char,
    national_id_hash,
    national_id_normalize,
    national_id_problem,
    phone_normalize,
    phone_problem,
    public_id_new,
)

TODAY = date(2020, 2, 15)


@st.composite
def national_ids(draw):
    """A valid resident ID number: area, a real birth date before today, serial, check."""
    area = draw(st.from_regex(r"\A[1-8][0-9]{5}\Z"))
    born = draw(st.dates(min_value=date(1900, 1, 1), max_value=TODAY))
    serial = draw(st.integers(min_value=0, max_value=999))
    first17 = f"{area}{born:%Y%m%d}{serial:03d}"
    return first17 + national_id_check_char(first17)


@given(national_ids())
def test_a_generated_valid_id_passes(value):
    assert national_id_problem(value, today=TODAY) is None


@given(national_ids(), st.integers(min_value=0, max_value=17), st.integers(1, 10))
def test_changing_any_one_character_fails(value, position, shift):
    # MOD 11-2 catches every single-character error, the check character included ("X" = 10).
    alphabet = "0123456789X" if position == 17 else "0123456789"
    current = alphabet.index(value[position])
    replacement = alphabet[(current + shift) % len(alphabet)]
    if replacement == value[position]:
        return
    changed = value[:position] + replacement + value[position + 1 :]
    assert national_id_problem(changed, today=TODAY) is not None


def test_known_id_check_digits():
    # Examples from GB 11643-1999.
    assert national_id_check_char("11010519491231002") == "X"
    assert national_id_check_char("44052418800101001") == "4"


@pytest.mark.parametrize(
    "raw, reason",
    [
        ("", "17 digits"),
        ("1234", "17 digits"),
        ("11010519491231002Y", "17 digits"),
        ("110105194912310021X", "17 digits"),
        ("110105194902300024", "does not exist"),  # 30 February
        ("110105203001010024", "not plausible"),  # born in 2030
        ("110105187001010024", "not plausible"),  # born in 1870
        ("11010519491231002A", "17 digits"),
        ("110105194912310021", "check digit"),
    ],
)
def test_invalid_ids_say_why(raw, reason):
    assert reason in (national_id_problem(raw, today=TODAY) or "")


def test_an_id_is_normalized_as_people_type_it():
    assert national_id_normalize(" 110105 19491231 002x ") == "11010519491231002X"
    assert national_id_normalize("110105-19491231-002x") == "11010519491231002X"
    assert national_id_problem("110105 19491231 002x", today=TODAY) is None


def test_full_width_digits_are_the_same_id():
    # Chinese input methods often type full-width digits: the same number, the same hash.
    full_width = "１１０１０５１９４９１２３１００２ｘ"
    assert national_id_normalize(full_width) == "11010519491231002X"
    assert national_id_hash(full_width, key=b"k") == national_id_hash(
        "11010519491231002X", key=b"k"
    )


def test_digits_of_other_scripts_are_refused():
    arabic_indic = "11010519491231002X".replace("0", "\u0660")
    assert national_id_problem(arabic_indic, today=TODAY) is not None


def test_keyed_hash_depends_on_the_key_and_not_on_typing():
    value = "11010519491231002X"
    a = national_id_hash(value, key=b"key-one")
    assert a == national_id_hash("110105 19491231 002x", key=b"key-one")
    assert a != national_id_hash(value, key=b"key-two")
    assert len(a) == 64 and value not in a


def test_public_ids_are_opaque_and_unambiguous():
    ids = {public_id_new() for _ in range(200)}
    assert len(ids) == 200
    for value in ids:
        assert len(value) == PUBLIC_ID_LENGTH
        assert not set(value) & set("ILOU")


@pytest.mark.parametrize(
    "a, b",
    [
        ("Wang Fang", "wang fang"),
        ("王芳", "王 芳"),
        ("Zhang Xiaoming", "Zhang Xiaomin"),
        ("王小明", "小明"),  # the given name alone
        ("ＷＡＮＧ", "wang"),  # full-width letters
    ],
)
def test_similar_names(a, b):
    assert names_similar(a, b)


@pytest.mark.parametrize(
    "a, b", [("王芳", "李芳"), ("Wang Fang", "Li Wei"), ("", ""), ("王", "王芳芳芳"), ("王芳", "")]
)
def test_different_names(a, b):
    assert not names_similar(a, b)


def test_name_key_drops_spaces_and_punctuation():
    assert name_key(" Wang-Fang. ") == "wangfang"


@pytest.mark.parametrize(
    "raw, normalized",
    [
        ("138 0000 0001", "13800000001"),
        ("+86 138-0000-0001", "+8613800000001"),
        ("", ""),
        ("   ", ""),
        ("(0571) 6333 1234", "057163331234"),
    ],
)
def test_phone_normalize(raw, normalized):
    assert phone_normalize(raw) == normalized


@pytest.mark.parametrize("normalized", ["", "12345", "13800000001", "+8613800000001"])
def test_valid_phones(normalized):
    assert phone_problem(normalized) is None


@pytest.mark.parametrize("normalized", ["1234", "1" * 16, "+", "abc"])
def test_invalid_phones(normalized):
    assert phone_problem(normalized) is not None


@pytest.mark.parametrize("raw", ["abc", "+", "138abc00001", "138/0000/0001", "1+38000"])
def test_a_phone_with_letters_or_symbols_is_refused_not_silently_cleaned(raw):
    # "abc" once normalized to "", which passed as "no phone".
    assert phone_problem(phone_normalize(raw)) is not None


def test_duplicate_reason_same_phone_anywhere():
    reason = duplicate_reason(
        phone_a="13800000001", phone_b="13800000001", name_a="A", name_b="B", same_area=False
    )
    assert reason is not None and reason.same_phone and not reason.similar_name_same_area


def test_duplicate_reason_similar_name_only_in_the_same_area():
    args = dict(phone_a="", phone_b="", name_a="Wang Xiaoming", name_b="Wang Xiaomin")
    assert duplicate_reason(**args, same_area=False) is None
    reason = duplicate_reason(**args, same_area=True)
    assert reason is not None and reason.similar_name_same_area and not reason.same_phone


def test_two_empty_phones_are_not_the_same_phone():
    assert duplicate_reason(phone_a="", phone_b="", name_a="A", name_b="B", same_area=True) is None
