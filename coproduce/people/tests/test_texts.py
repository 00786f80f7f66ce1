"""Every problem of the people rules reaches a registration page in the reader's language."""

from datetime import date

import pytest
from django.utils import translation

from conftest import valid_national_id
from coproduce.people import rules, texts

TODAY = date(2020, 2, 12)
GOOD = valid_national_id(1)


def _problems() -> list[str]:
    wrong_check = GOOD[:-1] + ("0" if GOOD[-1] != "0" else "1")
    found = [
        rules.national_id_problem("12345", today=TODAY),  # too short
        rules.national_id_problem("330111" + "19800230" + "0011", today=TODAY),  # 30 February
        rules.national_id_problem(valid_national_id(1, birth="18500101"), today=TODAY),
        rules.national_id_problem(wrong_check, today=TODAY),
        rules.phone_problem(rules.phone_normalize("12")),
    ]
    assert None not in found and len(set(found)) == len(found)
    return found


@pytest.mark.parametrize("problem", _problems())
def test_each_problem_of_the_rules_is_translated(problem):
    assert problem in texts.PROBLEM_TEXT
    with translation.override("zh-hans"):
        words = texts.problem_words(problem)
    assert words != problem and any("\u4e00" <= ch <= "\u9fff" for ch in words)


def test_an_unknown_problem_is_shown_as_the_rule_said_it():
    assert texts.problem_words("Something new.") == "Something new."
