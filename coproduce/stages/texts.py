"""Table 1 and the suggestions in the reader's words (rules.py keeps the English originals)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from coproduce.core.metrics import CboRole
from coproduce.stages import rules

STAGE_TITLE = {
    rules.Stage.PREVENTION: gettext_lazy("Comprehensive epidemic prevention and control"),
    rules.Stage.BALANCING: gettext_lazy("Balancing epidemic prevention and social functioning"),
    rules.Stage.NORMALIZATION: gettext_lazy("Normalization of epidemic prevention and control"),
}

ROLE_TEXT = {
    CboRole.TRACING: gettext_lazy("Mobilizing volunteers to trace the source and spread"),
    CboRole.DONATIONS_SUPPLIES: gettext_lazy("Collecting donations and supplies"),
    CboRole.COMMUNITY_SERVICES: gettext_lazy(
        "Community services so that people staying home receive basic life support"
    ),
    CboRole.WELFARE_SERVICES: gettext_lazy("Welfare services"),
    CboRole.PRODUCTION_RESUMPTION: gettext_lazy("Assisting enterprises with production resumption"),
    CboRole.COUNSELING_SOCIAL_WORK: gettext_lazy("Psychological counseling and social work"),
    CboRole.ECONOMIC_COLLABORATION: gettext_lazy(
        "Collaboration platforms for sustainable economic development"
    ),
}


def suggestion_text(suggestion: rules.Suggestion) -> str:
    """Why the platform suggests the change, in plain words."""
    if suggestion.reason is rules.SuggestionReason.NEW_CLUSTER:
        return ngettext(
            "A new local cluster: %(n)d confirmed case in the last days.",
            "A new local cluster: %(n)d confirmed cases in the last days.",
            suggestion.cluster_cases,
        ) % {"n": suggestion.cluster_cases}
    if suggestion.reason is rules.SuggestionReason.NO_CASE_LONG:
        return ngettext(
            "No new local confirmed case for %(n)d day.",
            "No new local confirmed case for %(n)d days.",
            suggestion.quiet_days or 0,
        ) % {"n": suggestion.quiet_days or 0}
    return ngettext(
        "Enterprises are resuming production and there has been no new local case for %(n)d day.",
        "Enterprises are resuming production and there has been no new local case for %(n)d days.",
        suggestion.quiet_days or 0,
    ) % {"n": suggestion.quiet_days or 0}


def stage_label(stage: int) -> str:
    """ "Stage 2: Balancing ..." in the reader's language."""
    return _("Stage %(n)d: %(title)s") % {"n": stage, "title": STAGE_TITLE[rules.Stage(stage)]}
