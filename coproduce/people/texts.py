"""The people rules' problems in the reader's words (rules.py keeps the English originals).

The rules are pure (no Django) and answer in English; services raise these words instead, so
that a registration page shows them in its language. people/tests/test_texts.py checks that
every problem the rules give has its translation here.
"""

from django.utils.translation import gettext_lazy as _

PROBLEM_TEXT = {
    "A resident ID number has 17 digits and a check digit or X.": _(
        "A resident ID number has 17 digits and a check digit or X."
    ),
    "The date of birth in the ID number does not exist.": _(
        "The date of birth in the ID number does not exist."
    ),
    "The date of birth in the ID number is not plausible.": _(
        "The date of birth in the ID number is not plausible."
    ),
    "The check digit does not match: please check the number.": _(
        "The check digit does not match: please check the number."
    ),
    "A phone number has 5 to 15 digits.": _("A phone number has 5 to 15 digits."),
}


def problem_words(problem: str) -> str:
    """A rule's problem in the reader's language (an unknown one as the rule said it)."""
    return str(PROBLEM_TEXT.get(problem, problem))
