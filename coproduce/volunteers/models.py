"""Volunteers, their teams, calls for volunteers, sign-ups and service records (PRODUCT.md 3.5)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Activity(models.TextChoices):
    """What a volunteer did: the paper's kinds of service."""

    CHECKPOINT = "checkpoint", _("checkpoint duty")
    TRACING = "tracing", _("contact tracing")
    DELIVERY = "delivery", _("deliveries")
    TRANSPORT = "transport", _("transport")
    SECURITY = "security", _("security")
    COMMUNITY = "community", _("community service")
    OTHER = "other", _("other")


class VolunteerProfile(models.Model):
    """A volunteer: skills, availability, home region; officials who volunteer are marked."""

    public_id = models.CharField(max_length=16, unique=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="volunteer_profile"
    )
    name = models.CharField(max_length=100)
    phone = models.CharField(max_length=20, blank=True)
    home_region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    skills = models.JSONField(default=list, blank=True)
    availability = models.CharField(max_length=200, blank=True, help_text="e.g. weekday evenings")
    is_official = models.BooleanField(default=False, help_text="a government official volunteering")
    organizations = models.ManyToManyField("orgs.Organization", blank=True, related_name="+")
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["home_region"], name="volunteer_region_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.public_id})"


class Team(models.Model):
    """A team of volunteers within an organization (a rescue team, a checkpoint squad)."""

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="volunteer_teams"
    )
    name = models.CharField(max_length=100)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    leader = models.ForeignKey(
        VolunteerProfile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    members = models.ManyToManyField(VolunteerProfile, blank=True, related_name="teams")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["organization_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="team_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Call(models.Model):
    """A call for volunteers: what, where, when, how many, which skills."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        CANCELLED = "cancelled", _("cancelled")

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="volunteer_calls"
    )
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    activity = models.CharField(max_length=16, choices=Activity.choices, default=Activity.OTHER)
    # The region served: volunteers whose home lies in it (or members of the organization) see it.
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    place = models.ForeignKey(
        "places.Place", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    start = models.DateTimeField()
    end = models.DateTimeField()
    capacity = models.PositiveIntegerField()
    # Active sign-ups, changed only by a conditional update (taken < capacity): never overbooked.
    taken = models.PositiveIntegerField(default=0)
    required_skills = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["start", "id"]
        indexes = [models.Index(fields=["region", "start"], name="call_region_start_idx")]
        constraints = [
            models.CheckConstraint(condition=models.Q(capacity__gte=1), name="call_capacity_min"),
            models.CheckConstraint(
                condition=models.Q(taken__lte=models.F("capacity")), name="call_never_overbooked"
            ),
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="call_ends"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.start:%Y-%m-%d %H:%M})"


class Signup(models.Model):
    """A volunteer's place on a call; cancelled sign-ups are kept (who dropped out, when)."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        CANCELLED = "cancelled", _("cancelled")

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="signups")
    volunteer = models.ForeignKey(
        VolunteerProfile, on_delete=models.PROTECT, related_name="signups"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    # Copied from the call so that the double-booking check is one indexed query.
    start = models.DateTimeField()
    end = models.DateTimeField()
    created_at = models.DateTimeField()
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["start", "id"]
        indexes = [models.Index(fields=["volunteer", "status", "start"], name="signup_vol_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "volunteer"],
                condition=models.Q(status="active"),
                name="signup_once_per_call",
            )
        ]

    def __str__(self) -> str:
        return f"{self.volunteer_id} on {self.call_id} ({self.status})"


class ServiceRecord(models.Model):
    """Where and when a volunteer served; it earns hours once a second party confirms it."""

    class Status(models.TextChoices):
        CHECKED_IN = "checked_in", _("checked in")
        PENDING = "pending", _("awaiting confirmation")
        CONFIRMED = "confirmed", _("confirmed")
        REJECTED = "rejected", _("rejected")
        VOIDED = "voided", _("voided")

    class Method(models.TextChoices):
        SCAN = "scan", _("place code scanned")
        COORDINATOR = "coordinator", _("entered by a coordinator")
        SYSTEM = "system", _("from a shift, task or delivery")

    volunteer = models.ForeignKey(
        VolunteerProfile, on_delete=models.PROTECT, related_name="service_records"
    )
    organization = models.ForeignKey(
        "orgs.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    place = models.ForeignKey(
        "places.Place", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    call = models.ForeignKey(
        Call, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    activity = models.CharField(max_length=16, choices=Activity.choices)
    start = models.DateTimeField()
    end = models.DateTimeField(null=True, blank=True)  # empty while checked in
    minutes = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=12, choices=Status.choices)
    method = models.CharField(max_length=12, choices=Method.choices)
    # What produced it ("checkpoints.shift:12"): the same source twice makes one record.
    source = models.CharField(max_length=80, blank=True)
    note = models.CharField(max_length=300, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-start", "-id"]
        indexes = [
            models.Index(fields=["volunteer", "start"], name="record_vol_start_idx"),
            models.Index(fields=["status", "start"], name="record_status_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["source"], condition=~models.Q(source=""), name="record_one_per_source"
            ),
            # One open check-in per volunteer: a second scan-in without a check-out is refused.
            models.UniqueConstraint(
                fields=["volunteer"],
                condition=models.Q(status="checked_in"),
                name="record_one_open_checkin",
            ),
            models.CheckConstraint(
                condition=models.Q(status="checked_in", end__isnull=True)
                | (~models.Q(status="checked_in") & models.Q(end__gt=models.F("start"))),
                name="record_closed_has_end",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="confirmed") | models.Q(confirmed_by__isnull=False),
                name="record_confirmed_by_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer_id} {self.activity} {self.start:%Y-%m-%d %H:%M} ({self.status})"
