"""Employee sharing: the skill catalogue, postings, matching runs, proposals and agreements.

A surplus posting offers an enterprise's idle workers of one skill over a period; a shortage
posting asks for workers. A matching run (matching.py) proposes loans between them; a proposal
accepted by both enterprises becomes an agreement, which commits workers of both postings
(`committed`, never above `workers`: the acceptance's conditional update, services/agreements.py).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from coproduce.labor.rules import PostingKind as Kind
from coproduce.labor.rules import PostingState as PState
from coproduce.labor.rules import ProposalState as PrState


class Skill(models.Model):
    """A skill of the labor catalogue, named in English and Chinese (admins add more)."""

    code = models.SlugField(max_length=40, unique=True)
    name_en = models.CharField(_("name in English"), max_length=100)
    name_zh = models.CharField(_("name in Chinese"), max_length=100)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name_en", "id"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name in the active language (Chinese for zh-*, English otherwise)."""
        return self.name_zh if (get_language() or "").startswith("zh") else self.name_en


class PostingKind(models.TextChoices):
    """Posting kinds (rules.PostingKind) with their labels."""

    SURPLUS = Kind.SURPLUS, _("surplus workers")
    SHORTAGE = Kind.SHORTAGE, _("shortage of workers")


class PostingState(models.TextChoices):
    """Posting states (rules.PostingState) with their labels."""

    OPEN = PState.OPEN, _("open")
    MATCHED = PState.MATCHED, _("matched")
    WITHDRAWN = PState.WITHDRAWN, _("withdrawn")


class PlaceSource(models.TextChoices):
    """Where a posting's coordinates come from."""

    ENTERPRISE = "enterprise", _("the enterprise's coordinates")
    COUNTY = "county", _("the centre of its county")


class Posting(models.Model):
    """An enterprise's surplus of idle workers, or shortage of workers, of one skill."""

    enterprise = models.ForeignKey(
        "recovery.Enterprise", on_delete=models.PROTECT, related_name="labor_postings"
    )
    kind = models.CharField(max_length=8, choices=PostingKind.choices)
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="postings")
    workers = models.PositiveIntegerField()
    # Workers in agreements; the rest are open. Only services/agreements.py raises it.
    committed = models.PositiveIntegerField(default=0)
    start_date = models.DateField()
    end_date = models.DateField()
    # The county of the enterprise (the map counts by it), kept so the map is one indexed read.
    county = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    lat = models.DecimalField(max_digits=9, decimal_places=6)
    lon = models.DecimalField(max_digits=9, decimal_places=6)
    place_source = models.CharField(max_length=12, choices=PlaceSource.choices)
    state = models.CharField(max_length=10, choices=PostingState.choices, default=PState.OPEN)
    note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(workers__gte=1), name="labor_posting_workers"),
            models.CheckConstraint(
                condition=Q(committed__lte=F("workers")), name="labor_posting_not_overcommitted"
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="labor_posting_dates"
            ),
        ]
        indexes = [models.Index(fields=["state", "kind", "county"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.workers} {self.skill_id} ({self.enterprise_id})"

    @property
    def open_workers(self) -> int:
        """Workers not yet in an agreement."""
        return self.workers - self.committed


class MatchingRun(models.Model):
    """One run of the matching engine over a region's open postings: inputs and answer kept."""

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    # The association that ran it (None: an official or an admin).
    organization = models.ForeignKey(
        "orgs.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    max_distance_km = models.DecimalField(max_digits=6, decimal_places=1)
    # The offers as the engine saw them: [{id, enterprise, kind, skill, workers, start, end,
    # lat, lon}], so that a run can be explained after its postings changed.
    inputs = models.JSONField()
    surplus_postings = models.PositiveIntegerField()
    shortage_postings = models.PositiveIntegerField()
    candidate_pairs = models.PositiveIntegerField()
    matched_workers = models.PositiveIntegerField()
    worker_km = models.DecimalField(max_digits=14, decimal_places=3)
    solve_ms = models.PositiveIntegerField()
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"run {self.pk} over {self.region_id}"


class ProposalState(models.TextChoices):
    """Proposal states (rules.ProposalState) with their labels."""

    PENDING = PrState.PENDING, _("waiting for both enterprises")
    ACCEPTED = PrState.ACCEPTED, _("accepted by both")
    REFUSED = PrState.REFUSED, _("refused")
    LAPSED = PrState.LAPSED, _("lapsed")


class Proposal(models.Model):
    """Workers a run proposes one surplus lend to one shortage, for both enterprises to accept.

    The first enterprise to accept states the pay and insurance terms; the second accepts them
    as they are (or refuses), and its acceptance makes the agreement.
    """

    run = models.ForeignKey(MatchingRun, on_delete=models.CASCADE, related_name="proposals")
    surplus = models.ForeignKey(Posting, on_delete=models.PROTECT, related_name="+")
    shortage = models.ForeignKey(Posting, on_delete=models.PROTECT, related_name="+")
    workers = models.PositiveIntegerField()
    distance_km = models.DecimalField(max_digits=7, decimal_places=2)
    state = models.CharField(max_length=10, choices=ProposalState.choices, default=PrState.PENDING)
    pay_terms = models.TextField(blank=True)
    insurance_terms = models.TextField(blank=True)
    lender_accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lender_accepted_at = models.DateTimeField(null=True, blank=True)
    borrower_accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    borrower_accepted_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-run_id", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(workers__gte=1), name="labor_proposal_workers"),
        ]
        indexes = [
            models.Index(fields=["surplus", "state"]),
            models.Index(fields=["shortage", "state"]),
        ]

    def __str__(self) -> str:
        return f"{self.workers} from {self.surplus_id} to {self.shortage_id}"


class Agreement(models.Model):
    """A loan of workers both enterprises signed: workers, dates, pay and insurance terms."""

    proposal = models.OneToOneField(Proposal, on_delete=models.PROTECT, related_name="agreement")
    surplus = models.ForeignKey(Posting, on_delete=models.PROTECT, related_name="+")
    shortage = models.ForeignKey(Posting, on_delete=models.PROTECT, related_name="+")
    lender = models.ForeignKey(
        "recovery.Enterprise", on_delete=models.PROTECT, related_name="labor_loans_out"
    )
    borrower = models.ForeignKey(
        "recovery.Enterprise", on_delete=models.PROTECT, related_name="labor_loans_in"
    )
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="+")
    workers = models.PositiveIntegerField()
    start_date = models.DateField()
    end_date = models.DateField()
    distance_km = models.DecimalField(max_digits=7, decimal_places=2)
    pay_terms = models.TextField()
    insurance_terms = models.TextField()
    lender_signatory = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    borrower_signatory = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-signed_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(workers__gte=1), name="labor_agreement_workers"),
            models.CheckConstraint(
                condition=~Q(lender=F("borrower")), name="labor_agreement_two_enterprises"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.workers} from {self.lender_id} to {self.borrower_id}"
