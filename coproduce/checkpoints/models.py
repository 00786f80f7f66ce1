"""Checkpoints, their staffing plan, the scans taken there and the visits residents record."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from coproduce.checkpoints.rules import CheckpointKind, Decision, Direction

KIND_LABELS = {
    CheckpointKind.EXPRESSWAY_ENTRANCE: _("expressway entrance"),
    CheckpointKind.RAILWAY_STATION: _("railway station"),
    CheckpointKind.VILLAGE_ENTRANCE: _("village entrance"),
    CheckpointKind.RESIDENTIAL_GATE: _("residential gate"),
    CheckpointKind.SUPERMARKET: _("supermarket"),
    CheckpointKind.ENTERPRISE_GATE: _("enterprise gate"),
    CheckpointKind.HOSPITAL: _("hospital"),
    CheckpointKind.OTHER: _("other"),
}
DECISION_LABELS = {Decision.PASS: _("pass"), Decision.REFER: _("refer"), Decision.DENY: _("deny")}
DIRECTION_LABELS = {Direction.IN: _("in"), Direction.OUT: _("out")}


def _choices(labels) -> list[tuple[str, str]]:
    return [(key.value, label) for key, label in labels.items()]


class Checkpoint(models.Model):
    """A place where staff check codes and temperatures, with its policy (PRODUCT.md 3.3).

    Its name, region, operating organization, coordinates and printable place code are those of
    its `places.Place` (one to one), the ground it shares with visits and the presence log.
    """

    place = models.OneToOneField(
        "places.Place", on_delete=models.PROTECT, related_name="checkpoint"
    )
    kind = models.CharField(max_length=24, choices=_choices(KIND_LABELS))
    # PRODUCT.md 3.3: the policy may let a yellow resident enter their own residential gate.
    yellow_may_enter_own_gate = models.BooleanField(default=False)
    # Staff needed on duty at every hour of the 24-hour plan; fewer is a gap in coverage.
    minimum_staff = models.PositiveSmallIntegerField(default=1)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=[k.value for k in CheckpointKind]),
                name="checkpoint_kind_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(minimum_staff__lte=50), name="checkpoint_minimum_staff_le_50"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.place.name} ({self.kind})"


class Shift(models.Model):
    """A period of the staffing plan with places for `capacity` volunteers."""

    checkpoint = models.ForeignKey(Checkpoint, on_delete=models.CASCADE, related_name="shifts")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    capacity = models.PositiveSmallIntegerField(default=1)
    # Volunteers on the shift, kept by conditional updates so that it never exceeds capacity.
    filled = models.PositiveSmallIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["checkpoint", "starts_at"], name="shift_cp_start_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="shift_ends_after_start"
            ),
            models.CheckConstraint(
                condition=models.Q(filled__lte=models.F("capacity")), name="shift_not_overfilled"
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__gte=1, capacity__lte=50), name="shift_capacity_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.checkpoint_id} {self.starts_at:%Y-%m-%d %H:%M}-{self.ends_at:%H:%M}"


class ShiftAssignment(models.Model):
    """A volunteer of the operating organization on one shift."""

    class Status(models.TextChoices):
        ASSIGNED = "assigned", _("assigned")
        COMPLETED = "completed", _("served")
        ABSENT = "absent", _("absent")

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="assignments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="checkpoint_shifts"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ASSIGNED)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["shift", "user"], name="shift_assignment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} on {self.shift_id} ({self.status})"


class Scan(models.Model):
    """One code scanned at a checkpoint, with the decision given (once per scoped device key)."""

    # Indexed by scan_cp_at_idx (checkpoint, scanned_at): a second index would only slow writes.
    checkpoint = models.ForeignKey(
        Checkpoint, on_delete=models.PROTECT, related_name="scans", db_index=False
    )
    # Device keys are unique within the device's organization (rules.scan_key_scope): another
    # organization's "gate-1" sending key "0001" is another scan.
    key_scope = models.CharField(max_length=32, default="")
    device_id = models.CharField(max_length=64)
    idempotency_key = models.CharField(max_length=64)
    # SHA-256 of what the device sent: the same key with a different scan is a conflict.
    fingerprint = models.CharField(max_length=64)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The token's subject (an opaque id, never a name) and the person it names here, if known.
    subject = models.CharField(max_length=64, blank=True)
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verification = models.CharField(max_length=16)
    token_kind = models.CharField(max_length=8, blank=True)
    token_color = models.CharField(max_length=8, blank=True)
    server_color = models.CharField(max_length=8, blank=True)
    color = models.CharField(max_length=8, blank=True)
    decision = models.CharField(max_length=8, choices=_choices(DECISION_LABELS))
    reasons = models.JSONField(default=list)
    temperature_c = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    fever = models.BooleanField(default=False)
    direction = models.CharField(max_length=3, choices=_choices(DIRECTION_LABELS))
    # The device's clock when the person stood there, and the server's when the scan arrived:
    # a late upload from an offline device keeps both.
    scanned_at = models.DateTimeField()
    received_at = models.DateTimeField()
    # What the device decided alone while offline, if it did.
    offline_decision = models.CharField(max_length=8, blank=True, choices=_choices(DECISION_LABELS))

    class Meta:
        indexes = [
            models.Index(fields=["checkpoint", "scanned_at"], name="scan_cp_at_idx"),
            models.Index(fields=["scanned_at"], name="scan_at_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["key_scope", "device_id", "idempotency_key"],
                name="scan_once_per_scoped_device_key",
            ),
            models.CheckConstraint(
                condition=models.Q(decision__in=[d.value for d in Decision]),
                name="scan_decision_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"scan {self.pk} at {self.checkpoint_id}: {self.decision}"


class Visit(models.Model):
    """A resident's own record of being at a place, by scanning its place code from the phone."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    place = models.ForeignKey("places.Place", on_delete=models.CASCADE, related_name="+")
    visited_at = models.DateTimeField()
    received_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            # A double tap or a re-sent request records one visit.
            models.UniqueConstraint(
                fields=["person", "place", "visited_at"], name="visit_once_per_moment"
            )
        ]
        indexes = [
            models.Index(fields=["place", "visited_at"], name="visit_place_at_idx"),
            # The nightly purge reads the oldest visits (checkpoints.retention).
            models.Index(fields=["visited_at"], name="visit_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} at {self.place_id} {self.visited_at:%Y-%m-%d %H:%M}"
