"""The shared kernel's tables: the audit trail and the exercise clock."""

from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    """One append-only record of a write to personal data or a staff read of a person's record."""

    at = models.DateTimeField(db_index=True)
    # PROTECT: an account that acted can be deactivated, never deleted out of the trail.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=64, db_index=True)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)
    origin_ip = models.GenericIPAddressField(null=True, blank=True)
    origin_agent = models.CharField(max_length=200, blank=True)
    origin_path = models.CharField(max_length=200, blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "at"], name="audit_object_idx")]

    def __str__(self) -> str:
        who = self.actor_label or "system"
        return f"{self.at:%Y-%m-%d %H:%M} {who} {self.action} {self.object_type}:{self.object_id}"


class ExerciseClock(models.Model):
    """The platform clock's offset from real time during a drill (COPRODUCE_EXERCISE only)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    offset_seconds = models.FloatField(default=0)
    set_at = models.DateTimeField()
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="exercise_clock_singleton")
        ]

    def __str__(self) -> str:
        return f"exercise clock offset {self.offset_seconds:.0f} s"


class Tally(models.Model):
    """A kept figure: one key's value for one region (its whole subtree) on one local day.

    Written by background refreshes (`core.tally`), read by the apps' `metrics.py`: a dashboard
    panel is a handful of index range reads here, never a scan of raw records. A record counts
    at its own region and at every region above it, so the province's figure is one row a day.
    `region` is the region's code (core sits below regions: no foreign key).
    """

    key = models.CharField(max_length=100)
    region = models.CharField(max_length=20)
    day = models.DateField()
    value = models.DecimalField(max_digits=20, decimal_places=2, default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["region", "key", "day"], name="tally_region_key_day")
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.region} {self.day}: {self.value}"


class TallyMark(models.Model):
    """How far a tally source has been counted: a high-water mark and when it was refreshed."""

    source = models.CharField(max_length=64, unique=True)
    # Counted up to here.
    last_id = models.BigIntegerField(default=0)
    # The highest id seen at the previous refresh: counted at the next one, once every
    # transaction that took a smaller id has surely committed (PostgreSQL hands out ids before
    # commit, so a high-water mark at the newest id could pass over a row still in flight).
    seen_id = models.BigIntegerField(default=0)
    refreshed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.source} up to {self.last_id}"
