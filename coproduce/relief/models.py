"""Donations, supplies and their ledger: campaigns, gifts, warehouses, lots, requests, allocations.

Money is stored as whole fen in integer columns (``*_fen``) and shown as Decimal RMB: SQLite keeps
DecimalField values as floating point and sums them inexactly, integers are exact everywhere.
Stock quantities are whole numbers of the item's quantum (rules.py), for the same reason.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from coproduce.core.choices import choices_of
from coproduce.relief.rules import Priority, RequesterKind, from_fen, quantity_to_decimal


class Item(models.Model):
    """An entry of the item catalog: what is counted, in which unit and quantum, at what value."""

    class Category(models.TextChoices):
        MEDICAL = "medical", _("medical supplies")
        FOOD = "food", _("food")
        DAILY = "daily", _("daily necessities")
        OTHER = "other", _("other")

    class Unit(models.TextChoices):
        PIECE = "piece", _("piece")
        PAIR = "pair", _("pair")
        SET = "set", _("set")
        KG = "kg", _("kg")
        BOTTLE = "bottle", _("bottle")
        BOX = "box", _("box")
        LITER = "liter", _("liter")

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=100)
    name_zh = models.CharField(max_length=100, blank=True)
    category = models.CharField(max_length=12, choices=Category.choices)
    unit = models.CharField(max_length=10, choices=Unit.choices)
    # Stock and orders count whole quanta of the unit: 1 piece, 0.5 kg (rules.py).
    quantum = models.DecimalField(max_digits=8, decimal_places=3, default=1)
    # Reference value of one unit (not one quantum), in fen, for valuing gifts in kind.
    unit_value_fen = models.BigIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["category", "slug"]
        constraints = [
            models.CheckConstraint(condition=Q(quantum__gt=0), name="item_quantum_positive"),
            models.CheckConstraint(condition=Q(unit_value_fen__gte=0), name="item_value_nonneg"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.unit})"

    @property
    def unit_value(self):
        return from_fen(self.unit_value_fen)


class Warehouse(models.Model):
    """A place where an organization keeps supplies."""

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="warehouses"
    )
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=120)
    address = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="warehouse_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Fund(models.Model):
    """An organization's money on hand: donations in, disbursements out; never negative."""

    organization = models.OneToOneField(
        "orgs.Organization", on_delete=models.PROTECT, related_name="fund"
    )
    balance_fen = models.BigIntegerField(default=0)
    received_fen = models.BigIntegerField(default=0)
    disbursed_fen = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(balance_fen__gte=0), name="fund_never_negative"),
        ]

    def __str__(self) -> str:
        return f"fund of {self.organization_id}: {from_fen(self.balance_fen)}"


class Campaign(models.Model):
    """A fundraising campaign of an organization, with a goal and a running total."""

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="campaigns"
    )
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    goal_fen = models.BigIntegerField()
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True)
    # Running totals, changed only by F() updates in the donation service.
    raised_fen = models.BigIntegerField(default=0)
    donation_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-starts_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(goal_fen__gt=0), name="campaign_goal_positive"),
            models.CheckConstraint(condition=Q(raised_fen__gte=0), name="campaign_raised_nonneg"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def goal(self):
        return from_fen(self.goal_fen)

    @property
    def raised(self):
        return from_fen(self.raised_fen)


class DonorKind(models.TextChoices):
    INDIVIDUAL = "individual", _("individual")
    ENTERPRISE = "enterprise", _("enterprise")
    ORGANIZATION = "organization", _("organization")
    AGGREGATE = "aggregate", _("aggregate of many donors")


class Receipted(models.Model):
    """What every gift carries: the donor, when it came, its receipt and who recorded it."""

    donor_kind = models.CharField(max_length=12, choices=DonorKind.choices)
    # Kept for the receipt even when the donor asked to be anonymous in public.
    donor_name = models.CharField(max_length=200, blank=True)
    anonymous = models.BooleanField(default=False)
    received_at = models.DateTimeField(db_index=True)
    receipt_no = models.CharField(max_length=40, unique=True)
    receipt_key = models.CharField(max_length=32, unique=True)
    idempotency_key = models.CharField(max_length=80, null=True, blank=True, unique=True)
    note = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        abstract = True


class Donation(Receipted):
    """A gift of money to an organization (optionally to one of its campaigns), with a receipt."""

    class Channel(models.TextChoices):
        ONLINE = "online", _("online platform")
        BANK = "bank", _("bank transfer")
        WECHAT = "wechat", _("WeChat Pay")
        ALIPAY = "alipay", _("Alipay")
        CASH = "cash", _("cash")
        OTHER = "other", _("other")

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="donations"
    )
    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.PROTECT, related_name="donations"
    )
    amount_fen = models.BigIntegerField()
    channel = models.CharField(max_length=10, choices=Channel.choices)

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["campaign", "received_at"], name="donation_campaign_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="donation_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.receipt_no}: {from_fen(self.amount_fen)}"

    @property
    def amount(self):
        return from_fen(self.amount_fen)

    @property
    def public_donor(self) -> str:
        return "" if self.anonymous else self.donor_name


class Lot(models.Model):
    """A lot of one item in one warehouse, with its expiry; on hand and reserved never negative."""

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="lots")
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="lots")
    code = models.CharField(max_length=60)
    expires_on = models.DateField(null=True, blank=True)
    # In the item's quanta; changed only by conditional F() updates (services.stock).
    quantity = models.BigIntegerField(default=0)
    reserved = models.BigIntegerField(default=0)  # approved for dispatch, not yet sent
    received_at = models.DateTimeField()

    class Meta:
        ordering = ["expires_on", "id"]
        indexes = [models.Index(fields=["item", "warehouse"], name="lot_item_warehouse_idx")]
        constraints = [
            models.UniqueConstraint(fields=["warehouse", "item", "code"], name="lot_code_unique"),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="lot_never_negative"),
            models.CheckConstraint(
                condition=Q(reserved__gte=0) & Q(reserved__lte=F("quantity")),
                name="lot_reserved_within_stock",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.item_id})"

    @property
    def available(self) -> int:
        return self.quantity - self.reserved


class InKindDonation(Receipted):
    """A gift of goods received into a warehouse as (part of) a lot, with its value and receipt."""

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="in_kind_donations"
    )
    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.PROTECT, related_name="in_kind"
    )
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="donations")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    quantity = models.BigIntegerField()
    value_fen = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="in_kind_positive"),
            models.CheckConstraint(condition=Q(value_fen__gte=0), name="in_kind_value_nonneg"),
        ]

    def __str__(self) -> str:
        return f"{self.receipt_no}: {self.quantity} × {self.item_id}"

    @property
    def quantity_u(self):
        return quantity_to_decimal(self.quantity, quantum=self.item.quantum)


class SupplyRequest(models.Model):
    """A demand request from a hospital, checkpoint, community or quarantine site."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")
        CANCELLED = "cancelled", _("cancelled")

    RequesterKinds = choices_of("RequesterKinds", RequesterKind)

    class Priorities(models.IntegerChoices):
        CRITICAL = Priority.CRITICAL.value, _("Critical")
        HIGH = Priority.HIGH.value, _("High")
        NORMAL = Priority.NORMAL.value, _("Normal")
        LOW = Priority.LOW.value, _("Low")

    requester_kind = models.CharField(max_length=16, choices=RequesterKinds.choices)
    requester_name = models.CharField(max_length=200)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    priority = models.PositiveSmallIntegerField(choices=Priorities.choices)
    needed_by = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    note = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["priority", "needed_by", "id"]
        indexes = [models.Index(fields=["status", "region"], name="supply_request_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(priority__gte=1) & Q(priority__lte=4), name="supply_request_priority"
            )
        ]

    def __str__(self) -> str:
        return f"{self.requester_name} ({self.get_priority_display()})"


class SupplyRequestLine(models.Model):
    """One item of a demand request: asked, approved for it, sent and received (in quanta)."""

    request = models.ForeignKey(SupplyRequest, on_delete=models.CASCADE, related_name="lines")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    quantity = models.BigIntegerField()
    allocated = models.BigIntegerField(default=0)
    dispatched = models.BigIntegerField(default=0)
    received = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "item"], name="request_line_item_unique"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="request_line_positive"),
            models.CheckConstraint(
                condition=Q(allocated__gte=0) & Q(allocated__lte=F("quantity")),
                name="request_line_never_over_allocated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.item_id} for {self.request_id}"

    @property
    def outstanding(self) -> int:
        return self.quantity - self.allocated

    # In the item's unit (kg, pieces), for pages: the columns count quanta.
    @property
    def quantity_u(self):
        return quantity_to_decimal(self.quantity, quantum=self.item.quantum)

    @property
    def allocated_u(self):
        return quantity_to_decimal(self.allocated, quantum=self.item.quantum)

    @property
    def received_u(self):
        return quantity_to_decimal(self.received, quantum=self.item.quantum)


class Allocation(models.Model):
    """A run of the quick-response rule: proposed lines for a coordinator to approve."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        APPROVED = "approved", _("approved")
        DISCARDED = "discarded", _("discarded")

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="allocations"
    )
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    unmet = models.JSONField(default=dict, blank=True)  # request line id -> quanta not covered
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposed_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-proposed_at", "-id"]

    def __str__(self) -> str:
        return f"allocation {self.pk} ({self.status})"


class AllocationLine(models.Model):
    """A quantity of one lot for one request line: proposed, approved, dispatched, received."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        APPROVED = "approved", _("approved")
        DISPATCHED = "dispatched", _("dispatched")
        RECEIVED = "received", _("received in full")
        PARTIAL = "partial", _("received in part")
        DISCARDED = "discarded", _("discarded")

    allocation = models.ForeignKey(Allocation, on_delete=models.CASCADE, related_name="lines")
    request_line = models.ForeignKey(
        SupplyRequestLine, on_delete=models.PROTECT, related_name="allocation_lines"
    )
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="allocation_lines")
    quantity = models.BigIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    received_quantity = models.BigIntegerField(null=True, blank=True)
    received_at = models.DateTimeField(null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    receipt_note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="allocation_line_positive"),
            models.CheckConstraint(
                condition=Q(received_quantity__isnull=True)
                | (Q(received_quantity__gte=0) & Q(received_quantity__lte=F("quantity"))),
                name="allocation_line_received_within_sent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} of lot {self.lot_id} for line {self.request_line_id}"

    @property
    def quantity_u(self):
        """The quantity in the item's unit (the column counts quanta)."""
        return quantity_to_decimal(self.quantity, quantum=self.lot.item.quantum)


class Disbursement(models.Model):
    """Money paid out of an organization's fund to a region's cause (where the money went)."""

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="disbursements"
    )
    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.PROTECT, related_name="disbursements"
    )
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    amount_fen = models.BigIntegerField()
    recipient = models.CharField(max_length=200)
    purpose = models.CharField(max_length=300)
    paid_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    idempotency_key = models.CharField(max_length=80, null=True, blank=True, unique=True)

    class Meta:
        ordering = ["-paid_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="disbursement_positive"),
        ]

    def __str__(self) -> str:
        return f"{from_fen(self.amount_fen)} to {self.recipient}"

    @property
    def amount(self):
        return from_fen(self.amount_fen)


class LedgerEntry(models.Model):
    """One entry of the public ledger of money and stock, chained by hash to the one before."""

    class Book(models.TextChoices):
        MONEY = "money", _("money")
        STOCK = "stock", _("stock")

    class Kind(models.TextChoices):
        DONATION = "donation", _("money donation")
        DISBURSEMENT = "disbursement", _("money paid out")
        RECEIPT = "receipt", _("goods received")
        TRANSFER = "transfer", _("goods moved between warehouses")
        ISSUE = "issue", _("goods issued")

    seq = models.BigIntegerField(unique=True)
    book = models.CharField(max_length=8, choices=Book.choices)
    kind = models.CharField(max_length=14, choices=Kind.choices)
    at = models.DateTimeField(db_index=True)
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+"
    )
    # Where the goods or money came from (a donor's region, if known) or went (the recipient's).
    region = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    item = models.ForeignKey(
        Item, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lot = models.ForeignKey(Lot, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    warehouse = models.ForeignKey(
        Warehouse, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_warehouse = models.ForeignKey(
        Warehouse, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.BigIntegerField(default=0)
    amount_fen = models.BigIntegerField(default=0)
    party = models.CharField(max_length=200, blank=True)  # "" when the donor is anonymous
    ref = models.CharField(max_length=80)
    # Unique: two entries can never chain to the same predecessor (the serialization's backstop).
    previous_hash = models.CharField(max_length=64, unique=True)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["seq"]
        indexes = [models.Index(fields=["book", "kind", "item"], name="ledger_book_kind_idx")]
        verbose_name_plural = "ledger entries"

    def __str__(self) -> str:
        return f"#{self.seq} {self.kind} {self.ref}"

    @property
    def amount(self):
        return from_fen(self.amount_fen)


class LedgerHead(models.Model):
    """The chain's last entry: one row, updated conditionally so that appends are serialized."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(id=1), name="ledger_head_singleton")]

    def __str__(self) -> str:
        return f"ledger head #{self.seq}"


class StockRequestKey(models.Model):
    """A client's idempotency key of a stock issue or transfer, naming the first answer's entry.

    Inserted first in the service's transaction, so that a concurrent retry waits on the unique
    key and then answers with the first request's result instead of taking the units again.
    """

    class Kind(models.TextChoices):
        ISSUE = "issue", _("goods issued")
        TRANSFER = "transfer", _("goods moved between warehouses")

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    key = models.CharField(max_length=80)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    # SHA-256 of what was asked: the same key for another request is a conflict.
    fingerprint = models.CharField(max_length=64)
    entry = models.OneToOneField(LedgerEntry, null=True, on_delete=models.PROTECT, related_name="+")
    # A transfer's answer: the lot the goods went to.
    target_lot = models.ForeignKey(
        Lot, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "key"], name="stock_request_key_once_per_org"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key}"
