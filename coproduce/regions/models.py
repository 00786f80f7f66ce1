"""The region tree."""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from coproduce.regions.rules import Level


class Region(models.Model):
    """An administrative division or residential area, with its materialized path for subtrees."""

    class Levels(models.TextChoices):
        PROVINCE = Level.PROVINCE, _("province")
        CITY = Level.CITY, _("city")
        COUNTY = Level.COUNTY, _("county")
        TOWNSHIP = Level.TOWNSHIP, _("township")
        COMMUNITY = Level.COMMUNITY, _("community or village")
        RESIDENTIAL_AREA = Level.RESIDENTIAL_AREA, _("residential area")

    code = models.CharField(max_length=20, primary_key=True)
    name = models.CharField(max_length=100)
    name_en = models.CharField(max_length=150, blank=True)
    level = models.CharField(max_length=20, choices=Levels.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # "/330000/330100/330111/": a subtree is one indexed prefix query (path__startswith).
    path = models.CharField(max_length=255, unique=True)
    depth = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["path"]
        indexes = [models.Index(fields=["parent", "code"], name="region_parent_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def display_name(self) -> str:
        """The name in the reader's language: Chinese under 中文, else the English one if known."""
        if get_language() and get_language().startswith("zh"):
            return self.name
        return self.name_en or self.name

    def contains(self, other: "Region") -> bool:
        """Whether `other` is this region or lies below it."""
        return other.path.startswith(self.path)


class RegionRiskLevel(models.Model):
    """A region's epidemic risk level from a date on, as an official set it; rows are history."""

    class Levels(models.TextChoices):
        HIGH = "high", _("high")
        MEDIUM = "medium", _("medium")
        LOW = "low", _("low")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="risk_levels")
    level = models.CharField(max_length=8, choices=Levels.choices)
    effective_from = models.DateField()
    note = models.CharField(max_length=300, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_at = models.DateTimeField()

    class Meta:
        ordering = ["region", "-effective_from", "-id"]
        indexes = [
            models.Index(fields=["region", "effective_from"], name="region_risk_from_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.level} from {self.effective_from}"
