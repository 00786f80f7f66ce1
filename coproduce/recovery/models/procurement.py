"""Collective procurement: purchases, members' needs, supplier quotes, award lines (PRODUCT.md 3.7).

Money in whole fen (`*_fen`), unit prices in whole hao (`*_hao`, 1/100 fen): integers are
exact on SQLite and PostgreSQL alike (rules/procurement.py).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coproduce.recovery.models.enterprises import Enterprise


class Procurement(models.Model):
    """An association's collective purchase of one item for its members."""

    class Status(models.TextChoices):
        OPEN = "open", _("gathering needs and quotes")
        AWARDED = "awarded", _("awarded")
        ORDERED = "ordered", _("ordered")
        DELIVERED = "delivered", _("delivered")
        RECEIVED = "received", _("received by every member")
        CANCELLED = "cancelled", _("cancelled")

    association = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="procurements"
    )
    item = models.CharField(max_length=200)
    unit = models.CharField(max_length=30)
    needed_by = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    awarded_quote = models.ForeignKey(
        "SupplierQuote", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unit_price_hao = models.BigIntegerField(null=True, blank=True)
    total_quantity = models.BigIntegerField(null=True, blank=True)
    total_cost_fen = models.BigIntegerField(null=True, blank=True)
    alone_cost_fen = models.BigIntegerField(null=True, blank=True)
    awarded_at = models.DateTimeField(null=True, blank=True)
    order_reference = models.CharField(max_length=100, blank=True)
    ordered_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["association", "status"])]

    def __str__(self) -> str:
        return f"{self.item} ({self.association_id})"


class ProcurementNeed(models.Model):
    """A member's need of the purchase's item, in its unit."""

    procurement = models.ForeignKey(Procurement, on_delete=models.CASCADE, related_name="needs")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["procurement", "enterprise"], name="procurement_need_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id}: {self.quantity}"


class SupplierQuote(models.Model):
    """A supplier's quote with quantity price tiers: [[min_quantity, unit_price_hao], ...]."""

    procurement = models.ForeignKey(Procurement, on_delete=models.CASCADE, related_name="quotes")
    supplier = models.CharField(max_length=200)
    tiers = models.JSONField()
    valid_until = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.supplier


class ProcurementLine(models.Model):
    """A member's part of the award: its quantity, its exact cost and its cost alone; receipt."""

    procurement = models.ForeignKey(Procurement, on_delete=models.CASCADE, related_name="lines")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField()
    cost_fen = models.BigIntegerField()
    alone_cost_fen = models.BigIntegerField()
    received_at = models.DateTimeField(null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["procurement", "enterprise"], name="procurement_line_once"
            ),
            models.CheckConstraint(
                condition=Q(cost_fen__gte=0) & Q(cost_fen__lte=models.F("alone_cost_fen")),
                name="procurement_line_not_dearer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id}: {self.quantity}"

    @property
    def saving_fen(self) -> int:
        return self.alone_cost_fen - self.cost_fen
