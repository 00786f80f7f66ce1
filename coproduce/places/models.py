"""Places where people are present: checkpoints, venues, quarantine sites, warehouses."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Place(models.Model):
    """A place with a printable place code; scans and visits there form the presence log."""

    class Kind(models.TextChoices):
        EXPRESSWAY_ENTRANCE = "expressway_entrance", _("expressway entrance")
        RAILWAY_STATION = "railway_station", _("railway station")
        VILLAGE_ENTRANCE = "village_entrance", _("village entrance")
        RESIDENTIAL_GATE = "residential_gate", _("residential gate")
        SUPERMARKET = "supermarket", _("supermarket")
        ENTERPRISE_GATE = "enterprise_gate", _("enterprise gate")
        HOSPITAL = "hospital", _("hospital")
        VENUE = "venue", _("venue")
        QUARANTINE_SITE = "quarantine_site", _("quarantine site")
        WAREHOUSE = "warehouse", _("warehouse")
        OTHER = "other", _("other")

    code = models.CharField(max_length=12, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=24, choices=Kind.choices)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    operator = models.ForeignKey(
        "orgs.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="places"
    )
    lat = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    lon = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["region", "kind"], name="place_region_kind_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(lat__isnull=True) | models.Q(lat__gte=-90, lat__lte=90),
                name="place_lat_range",
            ),
            models.CheckConstraint(
                condition=models.Q(lon__isnull=True) | models.Q(lon__gte=-180, lon__lte=180),
                name="place_lon_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.kind})"


class Presence(models.Model):
    """One person present at one place at one time: the presence log that tracing searches.

    Checkpoint scans and place-code visits each write one row (`source` names the scan or visit,
    so that a re-sent upload writes nothing twice). Purged after the retention period
    (COPRODUCE_LOG_RETENTION_DAYS, 28 days by default) by the nightly `logs-purge` job.
    """

    class Kind(models.TextChoices):
        SCAN = "scan", _("checkpoint scan")
        VISIT = "visit", _("place-code visit")

    # Both keys lead an (key, at) index below: their own indexes would only slow the busiest write.
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="presences", db_index=False
    )
    place = models.ForeignKey(
        Place, on_delete=models.CASCADE, related_name="presences", db_index=False
    )
    at = models.DateTimeField()
    kind = models.CharField(max_length=8, choices=Kind.choices)
    source = models.CharField(max_length=64, unique=True)

    class Meta:
        indexes = [
            # Who was at this place within 30 minutes of t: one range scan per case event.
            models.Index(fields=["place", "at"], name="presence_place_at_idx"),
            # Where was this person during the window: one range scan per person.
            models.Index(fields=["person", "at"], name="presence_person_at_idx"),
            models.Index(fields=["at"], name="presence_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} at {self.place_id} {self.at:%Y-%m-%d %H:%M} ({self.kind})"
