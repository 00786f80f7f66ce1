"""The sunset of health codes: appeals' and consents' free text (core/anonymization.py)."""

from coproduce.health_codes.models import Appeal, ProxyConsent


def anonymize(*, actor) -> dict[str, int]:
    """Appeals keep their color, status and dates; their reasons and decisions go."""
    appeals = Appeal.objects.exclude(reason="", decision="").update(reason="", decision="")
    consents = ProxyConsent.objects.exclude(consent="").update(consent="")
    return {"appeals": appeals, "proxy_consents": consents}
