"""A region's response stage over time, and officials' answers to the platform's suggestions."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class StageChoices(models.IntegerChoices):
    """The three stages of the paper's Table 1."""

    PREVENTION = 1, _("1. Comprehensive prevention and control")
    BALANCING = 2, _("2. Balancing prevention and social functioning")
    NORMALIZATION = 3, _("3. Normalization of prevention and control")


class RegionStage(models.Model):
    """A region's response stage from a date on, as a health official set it; rows are history."""

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="stages")
    stage = models.PositiveSmallIntegerField(choices=StageChoices.choices)
    effective_from = models.DateField()
    note = models.CharField(max_length=300, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_at = models.DateTimeField()

    class Meta:
        ordering = ["region", "-effective_from", "-id"]
        indexes = [models.Index(fields=["region", "effective_from"], name="stage_region_from_idx")]
        constraints = [
            models.CheckConstraint(condition=models.Q(stage__in=[1, 2, 3]), name="stage_1_to_3")
        ]

    def __str__(self) -> str:
        return f"{self.region_id} stage {self.stage} from {self.effective_from}"


class SuggestionDecision(models.Model):
    """An official's answer to a suggested stage change; a dismissed one is not suggested again
    until its evidence (`basis`: the last case's day, or the cluster) changes."""

    class Decisions(models.TextChoices):
        ACCEPTED = "accepted", _("accepted")
        DISMISSED = "dismissed", _("dismissed")

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    suggested_stage = models.PositiveSmallIntegerField(choices=StageChoices.choices)
    reason = models.CharField(max_length=40)
    basis = models.CharField(max_length=80)
    decision = models.CharField(max_length=10, choices=Decisions.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField()
    on_day = models.DateField()

    class Meta:
        ordering = ["-decided_at", "-id"]
        constraints = [
            # One answer per suggestion: a double click or a second official changes nothing.
            models.UniqueConstraint(
                fields=["region", "suggested_stage", "reason", "basis"],
                name="stage_one_decision_per_suggestion",
            )
        ]

    def __str__(self) -> str:
        return f"{self.region_id} stage {self.suggested_stage} {self.decision}"
