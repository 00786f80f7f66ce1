"""The dashboard's words for panels and stages, in the reader's language."""

from django.utils.translation import gettext as _


def panel_title(name: str) -> str:
    """A panel's title; a panel of a new app shows its name until it is given one here."""
    titles = {
        "cases": _("Epidemic curve"),
        "codes": _("Health codes by color"),
        "checkpoints": _("Checkpoints"),
        "tracing": _("Contact tracing"),
        "volunteers": _("Volunteers and hours"),
        "relief": _("Money and stock"),
        "deliveries": _("Deliveries"),
        "recovery": _("Enterprise resumption"),
        "labor": _("Labor sharing"),
        "care": _("Counseling and care"),
        "equity": _("Equity: who the platform reaches"),
        "coproduction": _("Coproduction: Table 1 from the records"),
    }
    return titles.get(name, name.replace("_", " ").capitalize())


def stage_title(stage: int) -> str:
    """A stage's name in the paper's words."""
    return {
        1: _("Stage 1: comprehensive prevention and control"),
        2: _("Stage 2: balancing prevention and social functioning"),
        3: _("Stage 3: normalization of prevention and control"),
    }.get(stage, _("Stage %(n)s") % {"n": stage})


def role_title(role: str) -> str:
    """A CBO role of Table 1 in the paper's words."""
    return {
        "tracing": _("Mobilizing volunteers to trace the source and spread"),
        "donations_supplies": _("Collecting donations and supplies"),
        "community_services": _("Community services for people staying home"),
        "welfare_services": _("Welfare services"),
        "production_resumption": _("Assisting enterprises with production resumption"),
        "counseling_social_work": _("Psychological counseling and social work"),
        "economic_collaboration": _("Collaboration platforms for economic development"),
    }.get(role, role)


def measure_title(measure: str) -> str:
    """What a contribution counts."""
    return {
        "scans": _("checkpoint scans"),
        "checkpoint_hours": _("checkpoint hours staffed"),
        "tasks_done": _("tracing tasks done"),
        "service_hours": _("volunteer service hours"),
        "donations_yuan": _("money received (yuan)"),
        "goods_yuan": _("goods received (yuan)"),
        "deliveries": _("orders delivered"),
    }.get(measure, measure.replace("_", " "))


def risk_title(level: str) -> str:
    """A risk level in the reader's words."""
    return {"high": _("high"), "medium": _("medium"), "low": _("low")}.get(level, level)
