"""Deliveries tell the volunteers app what was done: a finished run becomes a service record."""

import logging

from coproduce.core.errors import DomainError
from coproduce.volunteers.models import Activity, VolunteerProfile
from coproduce.volunteers.services import service_record_create

log = logging.getLogger(__name__)


def service_record_for_run(*, run, volunteer, organization, region, started_at, finished_at, **_):
    """Record the run as the assignee's service, pending a second party's confirmation."""
    profile = VolunteerProfile.objects.filter(user=volunteer).first() if volunteer else None
    if profile is None:
        return  # a run delivered by staff without a volunteer profile earns no hours
    try:
        service_record_create(
            volunteer=profile,
            start=started_at,
            end=finished_at,
            activity=Activity.DELIVERY,
            source=f"deliveries.run:{run.pk}",
            actor=volunteer,
            organization=organization,
            region=region,
        )
    except DomainError as exc:
        # Sent after the delivery committed: an implausible record (overlap, over 16 h) is left
        # for the coordinator to enter by hand rather than undoing the delivery.
        log.warning("No service record for delivery run %s: %s", run.pk, exc.message)
