"""The rules' English problems in the reader's words (rules.py stays pure)."""

from django.utils.translation import gettext as _


def report_problem_text(problem: str) -> str:
    """A report problem of rules.report_problems, translated."""
    texts = {
        "A report is about today or a day before.": _("A report is about today or a day before."),
        "Workers on site cannot be negative.": _("Workers on site cannot be negative."),
        "More workers on site than the enterprise has.": _(
            "More workers on site than the enterprise has."
        ),
        "A closed enterprise has no workers on site.": _(
            "A closed enterprise has no workers on site."
        ),
        "Capacity in use is between 0 and 100 percent.": _(
            "Capacity in use is between 0 and 100 percent."
        ),
        "A closed enterprise has no capacity in use.": _(
            "A closed enterprise has no capacity in use."
        ),
    }
    return texts.get(problem, problem)
