"""Care: practitioners and credentials, the hotline's sessions and screenings, crisis alerts and
the duty roster, appointments and the Voluntary Clinic, medical social work (PRODUCT.md 3.8)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

USER = settings.AUTH_USER_MODEL


class Practitioner(models.Model):
    """A counselor, clinician or social worker serving with an organization, and their supervisor."""

    class Kind(models.TextChoices):
        COUNSELOR = "counselor", _("counselor")
        CLINICIAN = "clinician", _("clinician")
        SOCIAL_WORKER = "social_worker", _("social worker")

    user = models.OneToOneField(USER, on_delete=models.CASCADE, related_name="care_practitioner")
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    display_name = models.CharField(max_length=100)
    languages = models.JSONField(default=list, blank=True)  # ["zh", "en", "wuu"]
    specialties = models.JSONField(default=list, blank=True)
    availability = models.CharField(max_length=200, blank=True)
    supervisor = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    phone = models.CharField(max_length=16, blank=True)  # where crisis alerts are sent
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["display_name"]

    def __str__(self) -> str:
        return self.display_name


class Credential(models.Model):
    """A counseling certificate or medical licence, verified by an admin or a health official."""

    class Kind(models.TextChoices):
        COUNSELING_CERTIFICATE = "counseling_certificate", _("counseling certificate")
        MEDICAL_LICENCE = "medical_licence", _("medical licence")

    class State(models.TextChoices):
        PENDING = "pending", _("pending")
        VERIFIED = "verified", _("verified")
        REJECTED = "rejected", _("rejected")

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="care_credentials")
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=24, choices=Kind.choices)
    number = models.CharField(max_length=64)
    issuer = models.CharField(max_length=200)
    expires_on = models.DateField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    verified_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "issuer", "number"], name="care_credential_unique"
            )
        ]
        indexes = [models.Index(fields=["user", "kind", "state"], name="care_cred_user_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.number}"


class DutyShift(models.Model):
    """A counselor on crisis duty for an organization from `starts_at` to `ends_at`."""

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.CASCADE, related_name="+"
    )
    counselor = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["organization", "ends_at"], name="care_shift_org_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="care_shift_ends_after"
            )
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class Group(models.TextChoices):
    """Who the caller is (the paper: patients, families, people in quarantine, health workers)."""

    PATIENT = "patient", _("patient")
    FAMILY = "family", _("family member")
    QUARANTINED = "quarantined", _("in quarantine")
    HEALTH_WORKER = "health_worker", _("health worker")
    OTHER = "other", _("other")


class Session(models.Model):
    """A hotline call or an online session, logged minimally (no notes beyond the outcome)."""

    class Channel(models.TextChoices):
        HOTLINE = "hotline", _("hotline")
        ONLINE = "online", _("online")
        IN_PERSON = "in_person", _("in person")

    class Topic(models.TextChoices):
        ANXIETY = "anxiety", _("anxiety, fear")
        LOW_MOOD = "low_mood", _("low mood")
        GRIEF = "grief", _("grief")
        SLEEP = "sleep", _("sleep")
        FAMILY = "family", _("family, relationships")
        WORK = "work", _("work, money")
        ISOLATION = "isolation", _("isolation, quarantine")
        OTHER = "other", _("other")

    class FollowUp(models.TextChoices):
        NONE = "none", _("none")
        CALLBACK = "callback", _("call back")
        APPOINTMENT = "appointment", _("appointment")
        REFERRAL = "referral", _("referral")

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+"
    )
    counselor = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    # Where the counts fall: the resident's home region, else the organization's.
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.HOTLINE)
    resident = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # An anonymous caller's number, kept only until `callback_until` (then cleared).
    callback_phone = models.CharField(max_length=16, blank=True)
    callback_until = models.DateTimeField(null=True, blank=True)
    group = models.CharField(max_length=16, choices=Group.choices)
    topic = models.CharField(max_length=12, choices=Topic.choices)
    outcome = models.CharField(max_length=200, blank=True)
    follow_up = models.CharField(max_length=12, choices=FollowUp.choices, default=FollowUp.NONE)
    started_at = models.DateTimeField()
    minutes = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [
            models.Index(fields=["counselor", "-started_at"], name="care_session_counselor_idx"),
            models.Index(fields=["organization", "started_at"], name="care_session_org_idx"),
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class Screening(models.Model):
    """A PHQ-9 or GAD-7 with its answers and score (rules.screening_score)."""

    class Instrument(models.TextChoices):
        PHQ9 = "phq9", _("PHQ-9 (depression)")
        GAD7 = "gad7", _("GAD-7 (anxiety)")

    class Severity(models.TextChoices):
        MINIMAL = "minimal", _("minimal")
        MILD = "mild", _("mild")
        MODERATE = "moderate", _("moderate")
        MODERATELY_SEVERE = "moderately_severe", _("moderately severe")
        SEVERE = "severe", _("severe")

    class Risk(models.TextChoices):
        LOW = "low", _("low")
        MODERATE = "moderate", _("moderate")
        HIGH = "high", _("high")

    session = models.ForeignKey(
        Session, null=True, blank=True, on_delete=models.CASCADE, related_name="screenings"
    )
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+"
    )
    counselor = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    resident = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    group = models.CharField(max_length=16, choices=Group.choices, default=Group.OTHER)
    instrument = models.CharField(max_length=4, choices=Instrument.choices)
    answers = models.JSONField()
    total = models.PositiveSmallIntegerField()
    severity = models.CharField(max_length=20, choices=Severity.choices)
    risk = models.CharField(max_length=8, choices=Risk.choices)
    escalated = models.BooleanField(default=False)
    taken_at = models.DateTimeField()

    class Meta:
        ordering = ["-taken_at", "-id"]
        indexes = [
            models.Index(fields=["organization", "taken_at"], name="care_screening_org_idx"),
            models.Index(fields=["counselor", "-taken_at"], name="care_screening_counsel_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(total__lte=27), name="care_screening_total_range"),
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class Alert(models.Model):
    """A crisis alert from a high-risk screening: on duty, deadline, escalation, follow-up."""

    class State(models.TextChoices):
        OPEN = "open", _("waiting for acknowledgement")
        ESCALATED = "escalated", _("escalated to the supervisor")
        ACKNOWLEDGED = "acknowledged", _("acknowledged")
        CLOSED = "closed", _("followed up")

    screening = models.OneToOneField(Screening, on_delete=models.CASCADE, related_name="alert")
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+"
    )
    on_duty = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField()
    ack_deadline = models.DateTimeField()
    state = models.CharField(max_length=12, choices=State.choices, default=State.OPEN)
    escalated_to = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    escalated_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    follow_up = models.CharField(max_length=200, blank=True)
    followed_up_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    followed_up_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-raised_at", "-id"]
        indexes = [models.Index(fields=["state", "ack_deadline"], name="care_alert_due_idx")]
        constraints = [
            # Acknowledged once: both set together or neither (the race leaves one winner).
            models.CheckConstraint(
                condition=Q(acknowledged_by__isnull=True, acknowledged_at__isnull=True)
                | Q(acknowledged_by__isnull=False, acknowledged_at__isnull=False),
                name="care_alert_ack_whole",
            ),
            models.CheckConstraint(
                condition=~Q(state="closed") | Q(followed_up_at__isnull=False),
                name="care_alert_closed_has_follow_up",
            ),
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class Slot(models.Model):
    """A time a counselor or volunteer doctor offers, free, in person or online."""

    class Service(models.TextChoices):
        COUNSELING = "counseling", _("counseling")
        CLINIC = "clinic", _("voluntary clinic")

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("in person")
        ONLINE = "online", _("online")

    provider = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    service = models.CharField(max_length=12, choices=Service.choices)
    specialty = models.CharField(max_length=60)
    mode = models.CharField(max_length=10, choices=Mode.choices)
    place = models.CharField(max_length=200, blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    cancelled = models.BooleanField(default=False)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["service", "starts_at"], name="care_slot_open_idx"),
            models.Index(fields=["provider", "starts_at"], name="care_slot_provider_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="care_slot_ends_after"
            )
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


ACTIVE_BOOKING = ("booked", "attended", "no_show")


class Booking(models.Model):
    """A resident's booking of a slot (by themselves or by proxy); one active booking a slot."""

    class Status(models.TextChoices):
        BOOKED = "booked", _("booked")
        CANCELLED = "cancelled", _("cancelled")
        ATTENDED = "attended", _("attended")
        NO_SHOW = "no_show", _("did not come")

    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="bookings")
    resident = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    booked_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    by_proxy = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.BOOKED)
    reminded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # No double booking, whatever the code path or the race: the database refuses it.
            models.UniqueConstraint(
                fields=["slot"],
                condition=Q(status__in=ACTIVE_BOOKING),
                name="care_booking_one_active_per_slot",
            )
        ]
        indexes = [models.Index(fields=["resident", "status"], name="care_booking_resident_idx")]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class Consultation(models.Model):
    """The minimal record of a clinic consultation, with a referral and the resident's feedback."""

    class Referral(models.TextChoices):
        NONE = "none", _("none")
        HOSPITAL = "hospital", _("hospital")
        COUNSELOR = "counselor", _("counselor")

    booking = models.OneToOneField(Booking, on_delete=models.PROTECT, related_name="consultation")
    clinician = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    summary = models.CharField(max_length=200)
    referral = models.CharField(max_length=10, choices=Referral.choices, default=Referral.NONE)
    referral_to = models.CharField(max_length=200, blank=True)
    recorded_at = models.DateTimeField()
    feedback_rating = models.PositiveSmallIntegerField(null=True, blank=True)
    feedback_comment = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(feedback_rating__isnull=True)
                | Q(feedback_rating__gte=1, feedback_rating__lte=5),
                name="care_feedback_rating_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class SocialCase(models.Model):
    """A medical social worker's case: a patient, family or health worker followed over time."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+"
    )
    worker = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    group = models.CharField(max_length=16, choices=Group.choices)
    needs = models.JSONField(default=list, blank=True)  # CaseNeed values
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class CaseNeed(models.TextChoices):
    """What a social work case needs."""

    GROCERIES = "groceries", _("groceries, daily goods")
    MEDICINE = "medicine", _("medicine")
    COUNSELING = "counseling", _("counseling")
    MONEY = "money", _("financial help")
    CARE = "care", _("care for children or elders")
    OTHER = "other", _("other")


class CaseVisit(models.Model):
    """A visit or call to a social work case, with a short note."""

    class Kind(models.TextChoices):
        HOME = "home", _("home visit")
        PHONE = "phone", _("phone call")
        ONLINE = "online", _("online")
        HOSPITAL = "hospital", _("at the hospital")

    case = models.ForeignKey(SocialCase, on_delete=models.CASCADE, related_name="visits")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    note = models.CharField(max_length=200, blank=True)
    visited_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class CaseReferral(models.Model):
    """A referral of a case to another module: deliveries, counseling or relief."""

    class To(models.TextChoices):
        DELIVERIES = "deliveries", _("deliveries")
        COUNSELING = "counseling", _("counseling")
        RELIEF = "relief", _("relief supplies")

    case = models.ForeignKey(SocialCase, on_delete=models.CASCADE, related_name="referrals")
    to = models.CharField(max_length=12, choices=To.choices)
    note = models.CharField(max_length=200, blank=True)
    referred_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"
