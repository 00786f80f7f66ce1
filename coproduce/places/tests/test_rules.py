"""Place codes are read from a scan, or typed with or without the prefix."""

from hypothesis import given
from hypothesis import strategies as st

from coproduce.places.rules import place_code_new, place_code_parse, place_payload


@given(st.randoms(use_true_random=False))
def test_a_code_is_read_with_or_without_its_prefix(_random):
    code = place_code_new()
    assert place_code_parse(place_payload(code)) == code
    assert place_code_parse(code) == code
    assert place_code_parse(code.lower()) == code
    assert place_code_parse(f" {code[:4]} {code[4:8]}-{code[8:]} ") == code


def test_look_alike_letters_are_read_as_the_digits_printed():
    assert place_code_parse("cpp:O1ABCDEFGH2L") == "01ABCDEFGH21"


@given(st.text(max_size=30))
def test_anything_else_is_not_a_place_code(text):
    code = place_code_parse(text)
    assert code is None or len(code) == 12
