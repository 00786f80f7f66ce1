"""The supply-chain board, member services and rent relief (PRODUCT.md 3.7)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coproduce.recovery.models.enterprises import Enterprise, IndustrialPark


class BoardPost(models.Model):
    """A member's shortage of a raw material or blocked route, or its offer of one."""

    class Kind(models.TextChoices):
        SHORTAGE = "shortage", _("shortage")
        OFFER = "offer", _("offer")

    class Topic(models.TextChoices):
        MATERIAL = "material", _("raw material")
        DISTRIBUTION = "distribution", _("distribution route")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        MATCHED = "matched", _("matched")
        CLOSED = "closed", _("closed")

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="board_posts")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    topic = models.CharField(max_length=14, choices=Topic.choices)
    material = models.CharField(max_length=200)
    quantity = models.CharField(max_length=100, blank=True)
    note = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "kind"])]

    def __str__(self) -> str:
        return f"{self.kind}: {self.material}"


class BoardMatch(models.Model):
    """A proposed match of a shortage with an offer; agreed when both sides accept."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        AGREED = "agreed", _("agreed")
        DECLINED = "declined", _("declined")

    shortage = models.ForeignKey(BoardPost, on_delete=models.CASCADE, related_name="as_shortage")
    offer = models.ForeignKey(BoardPost, on_delete=models.CASCADE, related_name="as_offer")
    distance_km = models.DecimalField(max_digits=8, decimal_places=1, null=True, blank=True)
    shortage_accepted = models.BooleanField(default=False)
    offer_accepted = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["shortage", "offer"], name="board_match_once")
        ]

    def __str__(self) -> str:
        return f"{self.shortage_id} <- {self.offer_id}"


class ServiceRequest(models.Model):
    """A member's request for financial services or legal aid, at its association's desk."""

    class Kind(models.TextChoices):
        FINANCE = "finance", _("financial services")
        LEGAL = "legal", _("legal aid")

    class Topic(models.TextChoices):
        LOAN = "loan", _("loan")
        DEFERRAL = "deferral", _("deferral of payments")
        SUBSIDY = "subsidy", _("subsidy")
        CONTRACT_DISPUTE = "contract_dispute", _("contract dispute")
        LABOR_LAW = "labor_law", _("labor law")
        FORCE_MAJEURE = "force_majeure", _("force majeure certificate")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        ASSIGNED = "assigned", _("assigned to a partner")
        IN_PROGRESS = "in_progress", _("in progress")
        RESOLVED = "resolved", _("resolved")
        DECLINED = "declined", _("declined")

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="service_requests"
    )
    association = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="service_requests"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    topic = models.CharField(max_length=20, choices=Topic.choices)
    description = models.TextField(max_length=2000)
    amount_fen = models.BigIntegerField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    partner = models.CharField(max_length=200, blank=True)  # the bank or law firm it went to
    outcome = models.CharField(max_length=500, blank=True)
    submitted_on = models.DateField()
    due_on = models.DateField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["association", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_fen__isnull=True) | Q(amount_fen__gt=0),
                name="service_request_amount_positive",
            )
        ]

    def __str__(self) -> str:
        return f"{self.topic} for {self.enterprise_id}"


class RentReliefProgram(models.Model):
    """A rent reduction by a landlord or park: a percentage or an amount a month, for months."""

    class Provider(models.TextChoices):
        LANDLORD = "landlord", _("landlord")
        PARK = "park", _("park")

    class Kind(models.TextChoices):
        PERCENTAGE = "percentage", _("percentage of the rent")
        AMOUNT = "amount", _("fixed amount a month")

    association = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="rent_relief_programs"
    )
    name = models.CharField(max_length=200)
    provider_kind = models.CharField(max_length=10, choices=Provider.choices)
    provider_name = models.CharField(max_length=200)
    park = models.ForeignKey(
        IndustrialPark, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    percent = models.PositiveSmallIntegerField(default=0)
    amount_fen = models.BigIntegerField(default=0)
    start_month = models.DateField()  # the first day of the first month
    months = models.PositiveSmallIntegerField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_month", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="percentage") & Q(percent__gte=1, percent__lte=100))
                | (Q(kind="amount") & Q(amount_fen__gt=0)),
                name="rent_relief_terms",
            ),
            models.CheckConstraint(condition=Q(months__gte=1), name="rent_relief_months"),
        ]

    def __str__(self) -> str:
        return self.name


class RentReliefBeneficiary(models.Model):
    """A member that benefits from a rent relief program, with its rent and its relief."""

    program = models.ForeignKey(
        RentReliefProgram, on_delete=models.CASCADE, related_name="beneficiaries"
    )
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="+")
    monthly_rent_fen = models.BigIntegerField()
    relief_fen = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["program", "enterprise"], name="rent_relief_once"),
            models.CheckConstraint(
                condition=Q(monthly_rent_fen__gte=0) & Q(relief_fen__gte=0),
                name="rent_relief_nonneg",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id} in {self.program_id}"
