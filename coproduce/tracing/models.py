"""Cases, their contacts, investigation rounds, quarantine sites and orders (PRODUCT.md 3.4)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

ACTIVE_CASE_STATUSES = ("suspected", "confirmed", "asymptomatic")


class Case(models.Model):
    """A suspected, confirmed or asymptomatic infection of one person, and how it ended."""

    class Status(models.TextChoices):
        SUSPECTED = "suspected", _("suspected")
        CONFIRMED = "confirmed", _("confirmed")
        ASYMPTOMATIC = "asymptomatic", _("asymptomatic")
        RECOVERED = "recovered", _("recovered")
        DECEASED = "deceased", _("deceased")
        RULED_OUT = "ruled_out", _("ruled out")

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="cases")
    # The person's home area when reported: scope follows it (a Fuyang case is Fuyang's).
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=12, choices=Status.choices)
    onset_date = models.DateField(null=True, blank=True)
    test_date = models.DateField(null=True, blank=True)
    reported_at = models.DateTimeField()
    reporting_unit = models.CharField(max_length=200, blank=True)
    isolated_at = models.DateTimeField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    # A label that joins cases of one outbreak for the transmission-chain view ("Fuyang-1").
    cluster = models.CharField(max_length=40, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-reported_at", "-id"]
        indexes = [models.Index(fields=["region", "status"], name="case_region_status_idx")]
        constraints = [
            # One open case per person: a second report of the same person is a conflict.
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(status__in=ACTIVE_CASE_STATUSES),
                name="case_one_open_per_person",
            ),
            models.CheckConstraint(
                condition=models.Q(onset_date__isnull=False) | models.Q(test_date__isnull=False),
                name="case_has_onset_or_test",
            ),
        ]

    def __str__(self) -> str:
        return f"case {self.pk} ({self.status})"

    @property
    def active(self) -> bool:
        return self.status in ACTIVE_CASE_STATUSES


class InterviewContact(models.Model):
    """A contact the case named in an interview: a resident, or an unregistered person."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="interviews")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    exposed_at = models.DateTimeField()
    place = models.ForeignKey(
        "places.Place", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case", "person", "exposed_at"], name="interview_contact_once"
            )
        ]

    def __str__(self) -> str:
        return f"interview contact {self.person_id} of case {self.case_id}"


class Contact(models.Model):
    """A person found to be a contact of a case: degree, how found, evidence, exposure date."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="contacts")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    degree = models.PositiveSmallIntegerField()
    # ["household", "co_presence", "interview"]: every path that found the person.
    kinds = models.JSONField(default=list)
    # [{kind, place, place_name, source_time, contact_time, via}]: staff only, never the contact.
    evidence = models.JSONField(default=list)
    exposed_at = models.DateTimeField()
    exposure_date = models.DateField()
    found_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["degree", "exposed_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "person"], name="contact_once_per_case"),
            models.CheckConstraint(condition=models.Q(degree__in=[1, 2]), name="contact_degree"),
        ]

    def __str__(self) -> str:
        return f"contact {self.person_id} of case {self.case_id} (degree {self.degree})"


class Round(models.Model):
    """One round of investigation of a case: its contacts turned into tasks for teams."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField()
    started_at = models.DateTimeField()
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    tasks_created = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["case", "number"]
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="round_number_once"),
        ]

    def __str__(self) -> str:
        return f"round {self.number} of case {self.case_id}"


class TraceTask(models.Model):
    """The link between a round, a contact and the field task that traces them."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="trace_tasks")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="trace_tasks")
    task = models.OneToOneField(
        "fieldwork.Task", on_delete=models.CASCADE, related_name="trace_task"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "contact"], name="trace_task_once_per_round"),
        ]

    def __str__(self) -> str:
        return f"task {self.task_id} of round {self.round_id}"


class QuarantineSite(models.Model):
    """A centralized quarantine site (a hotel, a dormitory) with a number of places."""

    name = models.CharField(max_length=200)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    place = models.ForeignKey(
        "places.Place", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    capacity = models.PositiveIntegerField()
    # Kept by conditional updates (occupied < capacity) so that two orders never take the last bed.
    occupied = models.PositiveIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(occupied__lte=models.F("capacity")),
                name="site_not_over_capacity",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def free(self) -> int:
        return max(self.capacity - self.occupied, 0)


class QuarantineOrder(models.Model):
    """An order to quarantine one person, centralized at a site or at home, driving their code."""

    class Kind(models.TextChoices):
        CENTRALIZED = "centralized", _("centralized")
        HOME = "home", _("home")

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        RELEASED = "released", _("released")
        ENDED = "ended", _("ended")
        SUPERSEDED = "superseded", _("superseded")

    class Reason(models.TextChoices):
        CLOSE_CONTACT = "close_contact", _("close contact")
        SECONDARY_CONTACT = "secondary_contact", _("secondary contact")
        HIGH_RISK_TRAVEL = "high_risk_travel", _("arrival from a high-risk region")
        MEDIUM_RISK_TRAVEL = "medium_risk_travel", _("arrival from a medium-risk region")
        OFFICIAL_ORDER = "official_order", _("official order")

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="quarantine_orders"
    )
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    reason = models.CharField(max_length=20, choices=Reason.choices)
    site = models.ForeignKey(
        QuarantineSite, null=True, blank=True, on_delete=models.PROTECT, related_name="orders"
    )
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="orders"
    )
    start_date = models.DateField()
    # Lengthened: not released before this date even with a full report streak.
    not_before = models.DateField(null=True, blank=True)
    # Shortened or ended: the order no longer applies on this date.
    ends_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ACTIVE)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["region", "status"], name="order_region_status_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(status="active"),
                name="order_one_active_per_person",
            ),
            models.CheckConstraint(
                condition=(models.Q(kind="centralized") & models.Q(site__isnull=False))
                | (models.Q(kind="home") & models.Q(site__isnull=True)),
                name="order_site_iff_centralized",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} quarantine of {self.person_id} ({self.status})"

    @property
    def source(self) -> str:
        """The health-code condition this order imposes is named by it."""
        return f"tracing.order:{self.pk}"


class OrderChange(models.Model):
    """One change to a quarantine order: who, when, why, and the dates before and after."""

    order = models.ForeignKey(QuarantineOrder, on_delete=models.CASCADE, related_name="changes")
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=20)
    why = models.CharField(max_length=500)
    details = models.JSONField(default=dict)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.action} of order {self.order_id}"
