"""People (registered residents and persons known only from fieldwork) and their households."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Household(models.Model):
    """People who live together at one address in a residential area."""

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    label = models.CharField(max_length=200, help_text="Address or door number, as staff know it")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.label} ({self.region_id})"


class Person(models.Model):
    """A resident, registered or only named by a tracer; the national ID is kept only as a hash."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("registered")
        UNREGISTERED = "unregistered", _("unregistered")
        MERGED = "merged", _("merged into another record")

    public_id = models.CharField(max_length=16, unique=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.REGISTERED)
    # HMAC-SHA256 with the deployment's ID hash key: unique without ever storing the number.
    national_id_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    national_id_last4 = models.CharField(max_length=4, blank=True)
    name = models.CharField(max_length=100)
    phone = models.CharField(max_length=16, blank=True, db_index=True)
    home_region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(
        Household, null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    # Who entered the record: the person (self-registration) or a community worker (proxy).
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    by_proxy = models.BooleanField(default=False)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from"
    )
    note = models.CharField(max_length=300, blank=True, help_text="What a tracer knows of them")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["home_region", "status"], name="person_region_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="registered") | models.Q(national_id_hash__isnull=False),
                name="registered_person_has_national_id",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="merged") | models.Q(merged_into__isnull=False),
                name="merged_person_points_to_survivor",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.public_id})"


class Declaration(models.Model):
    """What a person declared at registration: recent travel, contact with a case, symptoms."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="declarations")
    declared_at = models.DateTimeField()
    travel = models.JSONField(default=list, help_text='[{"region": CODE, "date": "YYYY-MM-DD"}]')
    case_contact = models.BooleanField(default=False)
    symptoms = models.JSONField(default=list)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"declaration of {self.person_id} at {self.declared_at:%Y-%m-%d}"
