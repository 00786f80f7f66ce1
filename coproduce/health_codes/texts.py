"""The code's reasons in plain, translated words (rules.py keeps an English original).

They say why, never who or where: a contact must not learn the case's identity or the place of
exposure (PRODUCT.md 3.2 and 3.4).
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from coproduce.health_codes import rules

REASON_TEXT = {
    rules.ReasonCode.CONFIRMED_CASE: gettext_lazy("You are recorded as a confirmed case."),
    rules.ReasonCode.SUSPECTED_CASE: gettext_lazy("You are recorded as a suspected case."),
    rules.ReasonCode.ASYMPTOMATIC_CASE: gettext_lazy(
        "You are recorded as an asymptomatic infection."
    ),
    rules.ReasonCode.CLOSE_CONTACT: gettext_lazy(
        "You were identified as a close contact of a case."
    ),
    rules.ReasonCode.HIGH_RISK_TRAVEL: gettext_lazy("You were recently in a high-risk area."),
    rules.ReasonCode.POST_DISCHARGE: gettext_lazy("You were recently discharged after treatment."),
    rules.ReasonCode.SECONDARY_CONTACT: gettext_lazy(
        "You were identified as a contact of a close contact."
    ),
    rules.ReasonCode.MEDIUM_RISK_TRAVEL: gettext_lazy("You were recently in a medium-risk area."),
    rules.ReasonCode.DECLARED_SYMPTOMS: gettext_lazy("You declared symptoms when you registered."),
    rules.ReasonCode.OFFICIAL_ORDER: gettext_lazy("A health official ordered you to quarantine."),
}

KIND_TEXT = {
    rules.ConditionKind.ACTIVE_CASE: gettext_lazy(
        "Your code stays red until health staff close your case."
    ),
    rules.ConditionKind.CENTRALIZED_QUARANTINE: gettext_lazy(
        "You are in centralized quarantine (red code)."
    ),
    rules.ConditionKind.HOME_QUARANTINE: gettext_lazy("You are in home quarantine (yellow code)."),
}

COLOR_TEXT = {
    rules.Color.GREEN: gettext_lazy("Green"),
    rules.Color.YELLOW: gettext_lazy("Yellow"),
    rules.Color.RED: gettext_lazy("Red"),
}

COLOR_MEANING = {
    rules.Color.GREEN: gettext_lazy("You may move and travel."),
    rules.Color.YELLOW: gettext_lazy("Stay at home and file your daily report."),
    rules.Color.RED: gettext_lazy("Stay in quarantine and file your daily report."),
}


def reason_words(reason: rules.Reason) -> str:
    """One reason in the reader's language: why, what it means, and what is left to do."""
    parts = [str(REASON_TEXT[reason.code]), str(KIND_TEXT[reason.kind])]
    if reason.green_on is not None and not reason.reports_remaining:
        parts.append(_("It ends on %(date)s.") % {"date": reason.green_on.isoformat()})
    elif reason.green_on is not None:
        parts.append(
            ngettext(
                "%(n)d more daily report without fever or symptoms is needed; if it is normal, "
                "it ends on %(date)s.",
                "%(n)d more daily reports without fever or symptoms are needed; if they are "
                "normal, it ends on %(date)s.",
                reason.reports_remaining,
            )
            % {"n": reason.reports_remaining, "date": reason.green_on.isoformat()}
        )
    return " ".join(parts)


KIND_LABEL = {
    rules.ConditionKind.ACTIVE_CASE: gettext_lazy("Active case"),
    rules.ConditionKind.CENTRALIZED_QUARANTINE: gettext_lazy("Centralized quarantine"),
    rules.ConditionKind.HOME_QUARANTINE: gettext_lazy("Home quarantine"),
}

REASON_LABEL = {
    rules.ReasonCode.CONFIRMED_CASE: gettext_lazy("confirmed case"),
    rules.ReasonCode.SUSPECTED_CASE: gettext_lazy("suspected case"),
    rules.ReasonCode.ASYMPTOMATIC_CASE: gettext_lazy("asymptomatic infection"),
    rules.ReasonCode.CLOSE_CONTACT: gettext_lazy("close contact"),
    rules.ReasonCode.HIGH_RISK_TRAVEL: gettext_lazy("high-risk travel"),
    rules.ReasonCode.POST_DISCHARGE: gettext_lazy("after discharge"),
    rules.ReasonCode.SECONDARY_CONTACT: gettext_lazy("contact of a close contact"),
    rules.ReasonCode.MEDIUM_RISK_TRAVEL: gettext_lazy("medium-risk travel"),
    rules.ReasonCode.DECLARED_SYMPTOMS: gettext_lazy("declared symptoms"),
    rules.ReasonCode.OFFICIAL_ORDER: gettext_lazy("official order"),
}
