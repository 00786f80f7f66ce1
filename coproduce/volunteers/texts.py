"""The volunteer rules' refusals in the reader's words (rules.py keeps an English original).

Pages show these messages; the codes (rules.SignupProblemCode, rules.ServiceProblemCode) stay the
API's stable names.
"""

from datetime import timedelta

from django.utils.translation import gettext as _

from coproduce.volunteers import rules


def signup_problem_words(
    problem: rules.SignupProblem, *, capacity: int, missing_skills: list[str]
) -> str:
    """Why a sign-up is refused, translated."""
    code = rules.SignupProblemCode
    if problem.code is code.CALL_CLOSED:
        return _("The shift has started: ask the coordinator.")
    if problem.code is code.CALL_FULL:
        return _("All %(n)s places are taken.") % {"n": capacity}
    if problem.code is code.ALREADY_SIGNED_UP:
        return _("Already signed up for this call.")
    if problem.code is code.DOUBLE_BOOKED:
        return _("You are signed up for another shift at that time.")
    if problem.code is code.MISSING_SKILLS:
        return _("This call needs skills you have not listed: %(skills)s.") % {
            "skills": ", ".join(missing_skills)
        }
    return problem.message


_POLICY = rules.ServicePolicy()


def service_problem_words(
    problem: rules.ServiceProblem, policy: rules.ServicePolicy = _POLICY
) -> str:
    """Why a service record is refused, translated."""
    code = rules.ServiceProblemCode
    if problem.code is code.END_BEFORE_START:
        return _("The check-out is before the check-in.")
    if problem.code is code.ZERO_DURATION:
        return _("The check-out is at the time of the check-in.")
    if problem.code is code.TOO_LONG:
        return _("A record lasts at most %(hours)s hours.") % {
            "hours": f"{policy.max_duration / timedelta(hours=1):g}"
        }
    if problem.code is code.IN_FUTURE:
        return _("This time is in the future.")
    if problem.code is code.OVERLAP:
        return _("Another record covers this time.")
    return problem.message
