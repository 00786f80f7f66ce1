"""Deliveries to households in quarantine: orders with priced lines, runs by area, proof, feedback.

Quantities are whole quanta of the catalog item (relief.Item: 0.5 kg of pork), money whole fen
in integer columns, so that the per-area report sums exactly on SQLite and PostgreSQL alike.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coproduce.relief.rules import from_fen, quantity_to_decimal


class DeliveryRun(models.Model):
    """One trip through a residential area on a day, assigned to a volunteer of an organization."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        OUT = "out", _("out for delivery")
        DONE = "done", _("done")

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    date = models.DateField()
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="delivery_runs"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PLANNED)
    task = models.ForeignKey(
        "fieldwork.Task", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-date", "region_id", "id"]
        indexes = [models.Index(fields=["region", "date"], name="delivery_run_region_date_idx")]

    def __str__(self) -> str:
        return f"run {self.pk} in {self.region_id} on {self.date}"


class DeliveryOrder(models.Model):
    """A household's request for groceries, medicine or other help, placed by itself or a proxy."""

    class Kind(models.TextChoices):
        GROCERIES = "groceries", _("groceries")
        MEDICINE = "medicine", _("medicine")
        OTHER = "other", _("other help")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("requested")
        SCHEDULED = "scheduled", _("on a run")
        DELIVERED = "delivered", _("delivered")
        FAILED = "failed", _("not delivered")
        CANCELLED = "cancelled", _("cancelled")

    class Proof(models.TextChoices):
        CODE = "code", _("handover code given by the household")
        DOOR = "door", _("left at the door, household told (contactless)")

    household = models.ForeignKey(
        "people.Household", on_delete=models.PROTECT, related_name="delivery_orders"
    )
    # The household's residential area, kept on the order: scope and the per-area report use it.
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    for_person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    needed_on = models.DateField()
    note = models.CharField(max_length=500, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    by_proxy = models.BooleanField(default=False)
    # Told to the household only: the volunteer enters it at the door as proof of delivery.
    handover_code = models.CharField(max_length=6)
    total_fen = models.BigIntegerField(default=0)
    run = models.ForeignKey(
        DeliveryRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="orders"
    )
    delivered_at = models.DateTimeField(null=True, blank=True)
    delivered_on = models.DateField(null=True, blank=True, db_index=True)  # local date
    delivered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    proof = models.CharField(max_length=6, choices=Proof.choices, blank=True)
    proof_note = models.CharField(max_length=300, blank=True)
    idempotency_key = models.CharField(max_length=80, null=True, blank=True, unique=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["region", "status"], name="delivery_order_region_idx"),
            models.Index(fields=["status", "delivered_on"], name="delivery_order_done_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(total_fen__gte=0), name="delivery_total_nonneg"),
            models.CheckConstraint(
                condition=~Q(status="delivered") | (Q(delivered_on__isnull=False) & ~Q(proof="")),
                name="delivered_order_has_proof",
            ),
        ]

    def __str__(self) -> str:
        return f"order {self.pk} ({self.kind}, {self.status})"

    @property
    def total(self):
        return from_fen(self.total_fen)


class OrderLine(models.Model):
    """One line of an order: a catalog item (or a described article), quantity, price, amount."""

    order = models.ForeignKey(DeliveryOrder, on_delete=models.CASCADE, related_name="lines")
    item = models.ForeignKey(
        "relief.Item", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    description = models.CharField(max_length=200, blank=True)  # medicine by name, other help
    unit = models.CharField(max_length=10)
    quantity = models.BigIntegerField()  # quanta of the item, or units when no item
    unit_price_fen = models.BigIntegerField()  # per unit (kg, bottle), not per quantum
    amount_fen = models.BigIntegerField()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="order_line_positive"),
            models.CheckConstraint(condition=Q(unit_price_fen__gte=0), name="order_line_price"),
            models.CheckConstraint(
                condition=Q(item__isnull=False) | ~Q(description=""),
                name="order_line_item_or_description",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.item_id or self.description}"

    @property
    def amount(self):
        return from_fen(self.amount_fen)

    @property
    def unit_price(self):
        return from_fen(self.unit_price_fen)

    @property
    def quantity_u(self):
        """The quantity in the unit (kg, bottles): the column counts quanta."""
        quantum = self.item.quantum if self.item_id else Decimal(1)
        return quantity_to_decimal(self.quantity, quantum=quantum)


class Feedback(models.Model):
    """The household's word on a delivered order: a rating of 1 to 5 and a comment, once."""

    order = models.OneToOneField(DeliveryOrder, on_delete=models.CASCADE, related_name="feedback")
    rating = models.PositiveSmallIntegerField()
    comment = models.CharField(max_length=500, blank=True)
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    given_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1) & Q(rating__lte=5), name="feedback_rating_range"
            )
        ]

    def __str__(self) -> str:
        return f"{self.rating}/5 for order {self.order_id}"
