"""Health codes: conditions with their history, daily reports, the current code, keys, appeals."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from coproduce.core.choices import choices_of
from coproduce.health_codes import rules

Kinds = choices_of("Kinds", rules.ConditionKind)
Reasons = choices_of("Reasons", rules.ReasonCode)
Colors = models.TextChoices("Colors", [(c.value, c.value) for c in rules.Color])


class Condition(models.Model):
    """A case or quarantine order that holds a person's code away from green (rules.Condition)."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="health_conditions"
    )
    kind = models.CharField(max_length=24, choices=Kinds.choices)
    reason = models.CharField(max_length=24, choices=Reasons.choices)
    starts_on = models.DateField()
    # Hard end: the condition no longer applies on this date (lifted, case closed, shortened).
    ends_on = models.DateField(null=True, blank=True)
    # Earliest end of an order (lengthened by an official).
    not_before = models.DateField(null=True, blank=True)
    # What imposed it ("tracing.order:12", "people.declaration:4:high_risk_travel"): once per cause.
    source = models.CharField(max_length=100, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["starts_on", "id"]
        indexes = [models.Index(fields=["person", "starts_on"], name="hc_condition_person_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="hc_condition_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="active_case") | models.Q(not_before__isnull=True),
                name="hc_case_has_no_earliest_end",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} ({self.reason}) of {self.person_id} from {self.starts_on}"

    @property
    def follows_tracing(self) -> bool:
        """Whether a case or an order of contact tracing owns this condition (changed there)."""
        # Ending or lengthening it here would leave the case or the order (and its site's
        # place) out of step: tracing changes its own conditions through these services.
        return self.source.startswith("tracing.")

    def as_rule(self) -> rules.Condition:
        """The pure rule's view of this condition."""
        return rules.Condition(
            kind=rules.ConditionKind(self.kind),
            reason=rules.ReasonCode(self.reason),
            starts_on=self.starts_on,
            ends_on=self.ends_on,
            not_before=self.not_before,
        )


class ConditionChange(models.Model):
    """One change to a condition (imposed, adjusted, ended): who, when, why, before and after."""

    class Actions(models.TextChoices):
        IMPOSED = "imposed", _("imposed")
        ADJUSTED = "adjusted", _("adjusted")
        ENDED = "ended", _("ended")

    condition = models.ForeignKey(Condition, on_delete=models.CASCADE, related_name="changes")
    action = models.CharField(max_length=10, choices=Actions.choices)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    why = models.CharField(max_length=500, blank=True)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.action} condition {self.condition_id} at {self.at:%Y-%m-%d %H:%M}"


class HealthReport(models.Model):
    """One daily health report of a person for one local calendar day."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="health_reports"
    )
    on = models.DateField()
    temperature_c = models.DecimalField(max_digits=4, decimal_places=1)
    symptoms = models.JSONField(default=list, blank=True)
    abnormal = models.BooleanField(default=False)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    by_proxy = models.BooleanField(default=False)
    filed_at = models.DateTimeField()

    class Meta:
        ordering = ["person", "on"]
        constraints = [
            # One report per local calendar day counts (PRODUCT.md 3.2): a second is a 409.
            models.UniqueConstraint(fields=["person", "on"], name="hc_one_report_per_day"),
            models.CheckConstraint(
                condition=models.Q(temperature_c__gte=34) & models.Q(temperature_c__lte=43),
                name="hc_report_temperature_range",
            ),
        ]

    def __str__(self) -> str:
        return f"report of {self.person_id} on {self.on}"

    def as_rule(self) -> rules.DailyReport:
        """The pure rule's view of this report."""
        return rules.DailyReport(
            on=self.on, temperature_c=self.temperature_c, symptoms=frozenset(self.symptoms)
        )


class HealthCode(models.Model):
    """A person's current color, kept up to date by every service and a daily recompute."""

    person = models.OneToOneField(
        "people.Person", on_delete=models.CASCADE, primary_key=True, related_name="health_code"
    )
    color = models.CharField(max_length=8, choices=Colors.choices, default=rules.Color.GREEN)
    # When the color last changed (checkpoint devices fetch the changes since their last sync).
    changed_at = models.DateTimeField()
    computed_on = models.DateField()
    # The day the code would turn green if reports stay normal (None: green, or an active case).
    green_on = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["color", "changed_at"], name="hc_code_color_changed_idx"),
            models.Index(fields=["changed_at"], name="hc_code_changed_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.color}"


class IssuingKey(models.Model):
    """One of this deployment's ES256 signing keys; the private key is stored encrypted.

    The PEM is encrypted (PKCS#8, AES-256) with a password derived from SECRET_KEY, so that a
    copy of the database alone cannot sign codes. Retired keys keep their public half in the
    trust list until the last token they signed has expired.
    """

    kid = models.CharField(max_length=24, unique=True)  # base64 of the 8-byte key id
    issuer = models.CharField(max_length=100)
    public_key = models.TextField()  # base64 SubjectPublicKeyInfo DER
    private_pem = models.TextField()  # encrypted PKCS#8 PEM
    not_before = models.DateTimeField()
    retired_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-not_before", "-id"]
        constraints = [
            # One key signs at a time; a rotation retires it in the same transaction.
            models.UniqueConstraint(
                fields=["issuer"],
                condition=models.Q(retired_at__isnull=True),
                name="hc_one_active_key_per_issuer",
            )
        ]

    def __str__(self) -> str:
        return f"{self.issuer} key {self.kid}"


class ImportedKey(models.Model):
    """A public key of another deployment that this one trusts (cross-regional recognition)."""

    kid = models.CharField(max_length=24, unique=True)
    issuer = models.CharField(max_length=100)
    public_key = models.TextField()
    not_before = models.DateTimeField(null=True, blank=True)
    not_after = models.DateTimeField(null=True, blank=True)
    imported_at = models.DateTimeField()
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.issuer} key {self.kid} (imported)"


class Appeal(models.Model):
    """A resident's dispute of their color, and an official's decision with its reason."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        CORRECTED = "corrected", _("corrected")
        REFUSED = "refused", _("refused")

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="appeals")
    color = models.CharField(max_length=8, choices=Colors.choices)
    reason = models.TextField()
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    filed_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision = models.TextField(blank=True)

    class Meta:
        ordering = ["-filed_at", "-id"]
        constraints = [
            # One open appeal per person at a time: a second waits for the first decision.
            models.UniqueConstraint(
                fields=["person"], condition=models.Q(status="open"), name="hc_one_open_appeal"
            ),
            models.CheckConstraint(
                condition=models.Q(status="open") | ~models.Q(decision=""),
                name="hc_decided_appeal_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"appeal {self.pk} of {self.person_id} ({self.status})"


class ProxyConsent(models.Model):
    """A person's consent that an account manages their code and reports (a family member)."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="proxies")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="proxy_for"
    )
    relation = models.CharField(max_length=40)
    consent = models.CharField(max_length=300, help_text="How consent was given, in words")
    granted_at = models.DateTimeField()
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "user"],
                condition=models.Q(revoked_at__isnull=True),
                name="hc_one_live_consent",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} for {self.person_id} ({self.relation})"
