"""Accounts, their scoped roles and their API tokens."""

from django.contrib.auth.models import AbstractUser
from django.db import models

from coproduce.accounts.rules import Role
from coproduce.core.choices import choices_of


class User(AbstractUser):
    """A person who signs in: resident, volunteer, staff, official, partner or admin."""

    phone = models.CharField(max_length=20, blank=True)
    language = models.CharField(max_length=10, blank=True)


class RoleAssignment(models.Model):
    """A role held within a region subtree and, optionally, one organization."""

    Roles = choices_of("Roles", Role)

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(max_length=32, choices=Roles.choices)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(
        "orgs.Organization", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    granted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "region", "organization"], name="role_assignment_unique"
            ),
            # NULLs are distinct in a unique index: the region-wide grant needs its own.
            models.UniqueConstraint(
                fields=["user", "role", "region"],
                condition=models.Q(organization__isnull=True),
                name="role_assignment_unique_regionwide",
            ),
        ]

    def __str__(self) -> str:
        org = f" @ {self.organization_id}" if self.organization_id else ""
        return f"{self.user_id}: {self.role} in {self.region_id}{org}"


class ApiToken(models.Model):
    """A bearer token for a device or integration; only its SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class SignInFailure(models.Model):
    """One failed sign-in, counted against a username or a client address (a keyed hash of it).

    One row per failure and key, written by plain inserts and counted by a query, so that every
    web process sees the same counts and concurrent failures are never lost. Rows older than the
    window are deleted as new failures arrive (see accounts.services).
    """

    # "u:" or "a:" and the HMAC-SHA256 of the username or address: someone who types a password
    # into the username field must not find it stored in plain text.
    key = models.CharField(max_length=66)
    at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["key", "at"], name="sign_in_failure_key_at"),
            models.Index(fields=["at"], name="sign_in_failure_at"),
        ]

    def __str__(self) -> str:
        return f"{self.key[:10]}… at {self.at:%Y-%m-%d %H:%M:%S}"
