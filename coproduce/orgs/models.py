"""Community-based organizations and government units, with their members."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Organization(models.Model):
    """A CBO or government unit that serves some regions (PRODUCT.md 3.1 categories)."""

    class Category(models.TextChoices):
        EMERGENCY_RESPONSE = "emergency_response", _("emergency response")
        CHARITY = "charity", _("charity")
        COMMUNITY_SERVICE = "community_service", _("community service")
        INDUSTRIAL_ASSOCIATION = "industrial_association", _("industrial association")
        BUSINESS_ASSOCIATION = "business_association", _("business association")
        MENTAL_HEALTH = "mental_health", _("mental health")
        MEDICAL = "medical", _("medical")
        SOCIAL_WORK = "social_work", _("social work")
        VOLUNTEER_TEAM = "volunteer_team", _("volunteer team")
        GOVERNMENT_UNIT = "government_unit", _("government unit")

    class Verification(models.TextChoices):
        PENDING = "pending", _("pending")
        VERIFIED = "verified", _("verified")
        SUSPENDED = "suspended", _("suspended")

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    name_zh = models.CharField(max_length=200, blank=True)
    category = models.CharField(max_length=32, choices=Category.choices)
    home_region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    service_regions = models.ManyToManyField("regions.Region", blank=True, related_name="+")
    verification = models.CharField(
        max_length=12, choices=Verification.choices, default=Verification.PENDING
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A user's membership of an organization (staff, volunteer or member)."""

    class Kind(models.TextChoices):
        STAFF = "staff", _("staff")
        VOLUNTEER = "volunteer", _("volunteer")
        MEMBER = "member", _("member")

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.MEMBER)
    title = models.CharField(max_length=100, blank=True)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.organization_id} ({self.kind})"
