"""Enterprises, industrial parks, association membership and representatives (PRODUCT.md 3.7).

Associations are `orgs.Organization`s of the industrial_association or business_association
categories; an enterprise may belong to several (EnterpriseMembership). A user acts for an
enterprise through an EnterpriseRepresentative link together with an enterprise_rep role held
in a region that contains the enterprise (docs/recovery.md).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Industry(models.TextChoices):
    """Industries (rules.Industry) with their labels."""

    FOOTWEAR_LEATHER = "footwear_leather", _("footwear and leather")
    CLOTHING = "clothing", _("clothing")
    GLASS = "glass", _("glass")
    METAL_PRODUCTS = "metal_products", _("metal products")
    MACHINERY = "machinery", _("machinery")
    ELECTRONICS = "electronics", _("electronics")
    TEXTILES = "textiles", _("textiles")
    CHEMICALS = "chemicals", _("chemicals")
    FOOD = "food", _("food")
    PLASTICS = "plastics", _("plastics")
    OTHER = "other", _("other")


class SizeClass(models.TextChoices):
    """Size classes (rules.SizeClass) with their labels."""

    MICRO = "micro", _("micro")
    SMALL = "small", _("small")
    MEDIUM = "medium", _("medium")
    LARGE = "large", _("large")


ASSOCIATION_CATEGORIES = ("industrial_association", "business_association")


class IndustrialPark(models.Model):
    """An industrial park (a small and micro enterprise park) in a region."""

    name = models.CharField(max_length=200)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Enterprise(models.Model):
    """An enterprise: industry, size class, workers, region, optional park and coordinates."""

    name = models.CharField(max_length=200)
    industry = models.CharField(max_length=32, choices=Industry.choices)
    size_class = models.CharField(max_length=8, choices=SizeClass.choices)
    workers_total = models.PositiveIntegerField()
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    park = models.ForeignKey(
        IndustrialPark,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enterprises",
    )
    lat = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    lon = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    associations = models.ManyToManyField(
        "orgs.Organization", through="EnterpriseMembership", related_name="member_enterprises"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(lat__isnull=True, lon__isnull=True)
                | Q(lat__gte=-90, lat__lte=90, lon__gte=-180, lon__lte=180),
                name="enterprise_coordinates",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class EnterpriseMembership(models.Model):
    """An enterprise's membership of an association (an industrial or business association)."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="memberships")
    association = models.ForeignKey(
        "orgs.Organization", on_delete=models.CASCADE, related_name="enterprise_memberships"
    )
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "association"], name="enterprise_membership_unique"
            )
        ]
        indexes = [models.Index(fields=["association", "enterprise"])]

    def __str__(self) -> str:
        return f"{self.enterprise_id} in {self.association_id}"


class EnterpriseRepresentative(models.Model):
    """A user who acts for an enterprise (with an enterprise_rep role covering its region)."""

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="representatives"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enterprise_links"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "enterprise"], name="enterprise_representative_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} for {self.enterprise_id}"


class Blocker(models.TextChoices):
    """Blockers (rules.Blocker) with their labels."""

    WORKERS_UNABLE_TO_RETURN = "workers_unable_to_return", _("workers unable to return")
    PROTECTIVE_SUPPLIES = "protective_supplies", _("masks and protective supplies")
    RAW_MATERIALS = "raw_materials", _("raw materials")
    LOGISTICS = "logistics", _("logistics")
    CASH_FLOW = "cash_flow", _("cash flow")
    ORDERS = "orders", _("orders")
    APPROVAL_PENDING = "approval_pending", _("approval to reopen pending")
    OTHER = "other", _("other")


class ResumptionReport(models.Model):
    """An enterprise's status on one local day: open or not, workers on site, capacity, blockers."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="reports")
    date = models.DateField()
    open = models.BooleanField()
    workers_on_site = models.PositiveIntegerField()
    capacity_pct = models.PositiveSmallIntegerField(null=True, blank=True)
    blockers = models.JSONField(default=list, blank=True)
    note = models.CharField(max_length=500, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "date"], name="resumption_report_daily"),
            models.CheckConstraint(
                condition=Q(capacity_pct__isnull=True) | Q(capacity_pct__lte=100),
                name="resumption_capacity_pct",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id} on {self.date}"


class ResumptionTally(models.Model):
    """Kept aggregate: changes of the resumption figures on a date, per region and industry.

    The figures on day D of a region are the sums of its rows dated on or before D (rows of
    `industry` "" cover every industry); every change is written to the row of the region of
    the enterprise or park and to those of each of its ancestors. Enterprises and parks add their totals on
    1 January of year 1; a report adds the change of its enterprise's state on its date and the
    opposite change on the date of the enterprise's next report (rules.EnterpriseState). Written
    in the transaction of the report or enterprise that changes it (services/aggregates.py).
    """

    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+")
    industry = models.CharField(max_length=32, blank=True)
    date = models.DateField()
    parks_total = models.IntegerField(default=0)
    parks_reopened = models.IntegerField(default=0)
    enterprises_total = models.IntegerField(default=0)
    enterprises_open = models.IntegerField(default=0)
    workers_total = models.BigIntegerField(default=0)  # of enterprises in parks
    workers_on_site = models.BigIntegerField(default=0)  # of enterprises in parks
    capacity_weighted = models.BigIntegerField(default=0)  # of enterprises in parks
    all_workers_total = models.BigIntegerField(default=0)
    all_workers_on_site = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["region", "industry", "date"], name="resumption_tally_key"
            )
        ]
        # a region's figures on a day: the rows of one industry (or "") up to the day
        indexes = [models.Index(fields=["industry", "date", "region"], name="resumption_tally_day")]

    def __str__(self) -> str:
        return f"{self.region_id}/{self.industry or '*'} {self.date}"


class ParkOpenDelta(models.Model):
    """Kept aggregate: the change of a park's count of open enterprises (of an industry, or ""
    for all) on a date; a park is reopened on D when the sum up to D is above 0."""

    park = models.ForeignKey(IndustrialPark, on_delete=models.CASCADE, related_name="+")
    industry = models.CharField(max_length=32, blank=True)
    date = models.DateField()
    enterprises_open = models.IntegerField(default=0)
    enterprises_total = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["park", "industry", "date"], name="park_open_key")
        ]

    def __str__(self) -> str:
        return f"park {self.park_id}/{self.industry or '*'} {self.date}"


class BlockerTally(models.Model):
    """Kept aggregate: reports naming a blocker, per region and date."""

    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    blocker = models.CharField(max_length=32, choices=Blocker.choices)
    reports = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["region", "date", "blocker"], name="blocker_tally_key")
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.date} {self.blocker}"
