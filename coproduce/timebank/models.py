"""The Voluntary Bank: accounts, an append-only double-entry ledger in minutes, partners, offers
and redemptions (PRODUCT.md 3.5). Amounts are whole minutes (see rules.py for why)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from coproduce.timebank.rules import AccountKind, PostingKind, minutes_to_hours


class Partner(models.Model):
    """A bank, shop or public service that honours time-bank hours."""

    class Kind(models.TextChoices):
        BANK = "bank", _("bank")
        SHOP = "shop", _("shop")
        PUBLIC_SERVICE = "public_service", _("public service")
        OTHER = "other", _("other")

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    # Where its offers are honoured: holders living in this region see them.
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    staff = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="partners")
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Account(models.Model):
    """An account on the ledger: a volunteer's, a resident's, a partner's or the issuance account.

    `balance` is a cache of the sum of the account's entries, changed only in the transaction that
    writes the entries (and checked against them by tests); it lets the database refuse a negative
    holder balance and lets a redemption lock one row.
    """

    class Kind(models.TextChoices):
        VOLUNTEER = AccountKind.VOLUNTEER.value, _("Volunteer")
        RESIDENT = AccountKind.RESIDENT.value, _("Resident")
        ISSUANCE = AccountKind.ISSUANCE.value, _("Issuance")
        PARTNER = AccountKind.PARTNER.value, _("Partner")

    kind = models.CharField(max_length=12, choices=Kind.choices)
    key = models.CharField(max_length=40)
    balance = models.BigIntegerField(default=0)
    volunteer = models.OneToOneField(
        "volunteers.VolunteerProfile",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bank_account",
    )
    person = models.OneToOneField(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    partner = models.OneToOneField(
        Partner, null=True, blank=True, on_delete=models.PROTECT, related_name="account"
    )
    # For staff scope: the holder's home region (None for the issuance account).
    region = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="account_kind_key_unique"),
            # PRODUCT.md 3.5: balances are never negative; only the issuance account is the source.
            models.CheckConstraint(
                condition=models.Q(kind="issuance") | models.Q(balance__gte=0),
                name="account_balance_never_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.key}"


class Posting(models.Model):
    """A balanced set of entries recorded together under an idempotency key; never edited."""

    class Kind(models.TextChoices):
        EARN = PostingKind.EARN.value, _("Earn")
        GIFT = PostingKind.GIFT.value, _("Gift")
        REDEEM = PostingKind.REDEEM.value, _("Redeem")
        REFUND = PostingKind.REFUND.value, _("Refund")
        REVERSAL = PostingKind.REVERSAL.value, _("Reversal")

    key = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    at = models.DateTimeField(db_index=True)
    # A posting is undone at most once: the unique constraint holds it against any race.
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="undone_by"
    )
    reference = models.CharField(max_length=80, blank=True)
    memo = models.CharField(max_length=200, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.key}"


class Entry(models.Model):
    """One line of a posting: signed minutes on one account."""

    posting = models.ForeignKey(Posting, on_delete=models.PROTECT, related_name="entries")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="entries")
    minutes = models.BigIntegerField()
    at = models.DateTimeField()  # the posting's time, copied: a statement is one index range

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["account", "at", "id"], name="entry_account_at_idx")]
        constraints = [
            models.UniqueConstraint(fields=["posting", "account"], name="entry_one_per_account"),
            models.CheckConstraint(condition=~models.Q(minutes=0), name="entry_not_zero"),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} {self.minutes:+d}"


class Offer(models.Model):
    """A benefit a partner offers for hours (a loan interest discount, priority loan review)."""

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="offers")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    price_minutes = models.PositiveIntegerField()
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["partner_id", "price_minutes"]
        constraints = [
            models.CheckConstraint(condition=models.Q(price_minutes__gte=1), name="offer_price")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def price_hours(self):
        """The price in hours, to 0.01 h, for people."""
        return minutes_to_hours(self.price_minutes)


class Redemption(models.Model):
    """A holder's request for an offer: the hours leave at once, and return if refused."""

    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting the partner")
        CONFIRMED = "confirmed", _("confirmed")
        REFUSED = "refused", _("refused, hours returned")

    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="redemptions")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="redemptions")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    posting = models.OneToOneField(Posting, on_delete=models.PROTECT, related_name="redemption")
    refund = models.OneToOneField(
        Posting, null=True, blank=True, on_delete=models.PROTECT, related_name="refunded"
    )
    requested_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["status", "requested_at"], name="redemption_status_idx")]

    def __str__(self) -> str:
        return f"{self.offer_id} by {self.account_id} ({self.status})"
