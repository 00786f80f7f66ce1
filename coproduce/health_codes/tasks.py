"""Background work of health codes (Django's tasks framework); tasks only call services."""

from django.tasks import task

from coproduce.health_codes import services


@task
def health_codes_recompute_daily() -> dict:
    """Recompute every code for today: orders that end or start by date (run after midnight)."""
    result = services.health_codes_recompute_all()
    return {"people": result.people, "changed": result.changed, "created": result.created}
