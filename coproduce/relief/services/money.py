"""Campaigns, money donations and disbursements: exact fen, each on the public ledger."""

from django.db import IntegrityError, transaction
from django.db.models import F

from coproduce.core import clock
from coproduce.core.audit import audit_record
from coproduce.core.errors import Conflict, ValidationFailed
from coproduce.relief.models import (
    Campaign,
    Disbursement,
    Donation,
    DonorKind,
    Fund,
    LedgerEntry,
)
from coproduce.relief.services._common import fen_of, moment_of, receipted
from coproduce.relief.services.ledger import ledger_append


def campaign_create(
    *,
    organization,
    region,
    slug: str,
    title: str,
    goal,
    starts_at,
    actor,
    ends_at=None,
    description: str = "",
) -> Campaign:
    """Start a fundraising campaign of an organization with a goal in RMB."""
    goal_fen = fen_of(goal, field="goal")
    if ends_at is not None and ends_at <= starts_at:
        raise ValidationFailed.field("ends_at", "A campaign ends after it starts.")
    if not title.strip():
        raise ValidationFailed.field("title", "Give the campaign a title.")
    if Campaign.objects.filter(slug=slug).exists():
        raise Conflict("A campaign with this slug exists.", code="campaign_exists")
    with transaction.atomic():
        campaign = Campaign.objects.create(
            organization=organization,
            region=region,
            slug=slug,
            title=title.strip(),
            description=description,
            goal_fen=goal_fen,
            starts_at=starts_at,
            ends_at=ends_at,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            created_at=clock.now(),
        )
        audit_record(actor=actor, action="relief.campaign_create", target=campaign)
    return campaign


def _check_donor(*, donor_kind: str, donor_name: str, anonymous: bool, channel: str | None = None):
    fields: dict[str, list[str]] = {}
    if donor_kind not in DonorKind.values:
        fields["donor_kind"] = [f"One of {', '.join(DonorKind.values)}."]
    if channel is not None and channel not in Donation.Channel.values:
        fields["channel"] = [f"One of {', '.join(Donation.Channel.values)}."]
    if not anonymous and donor_kind != DonorKind.AGGREGATE and not donor_name.strip():
        fields["donor_name"] = ["Give the donor's name, or mark the gift anonymous."]
    if fields:
        name, messages = next(iter(fields.items()))
        raise ValidationFailed(f"{name}: {messages[0]}", fields=fields)


def donation_record(
    *,
    organization,
    amount,
    channel: str,
    donor_kind: str,
    actor,
    donor_name: str = "",
    anonymous: bool = False,
    campaign: Campaign | None = None,
    received_at=None,
    idempotency_key: str | None = None,
    note: str = "",
) -> Donation:
    """Record a money donation with its receipt; the same idempotency key again returns it."""
    if idempotency_key and (found := Donation.objects.filter(idempotency_key=idempotency_key)):
        return found.get()
    amount_fen = fen_of(amount)
    _check_donor(donor_kind=donor_kind, donor_name=donor_name, anonymous=anonymous, channel=channel)
    received_at = moment_of(received_at, field="received_at")
    if campaign is not None:
        if campaign.organization_id != organization.pk:
            raise ValidationFailed.field(
                "campaign", "This campaign belongs to another organization."
            )
        if received_at < campaign.starts_at:
            raise ValidationFailed.field("received_at", "The campaign had not started yet.")
    receipt = receipted(
        prefix="D",
        received_at=received_at,
        donor_kind=donor_kind,
        donor_name=donor_name,
        anonymous=anonymous,
        idempotency_key=idempotency_key,
        note=note,
        actor=actor,
    )
    try:
        with transaction.atomic():
            donation = Donation.objects.create(
                organization=organization,
                campaign=campaign,
                amount_fen=amount_fen,
                channel=channel,
                **receipt,
            )
            Fund.objects.get_or_create(organization=organization)
            Fund.objects.filter(organization=organization).update(
                balance_fen=F("balance_fen") + amount_fen,
                received_fen=F("received_fen") + amount_fen,
            )
            if campaign is not None:
                Campaign.objects.filter(pk=campaign.pk).update(
                    raised_fen=F("raised_fen") + amount_fen,
                    donation_count=F("donation_count") + 1,
                )
            ledger_append(
                book=LedgerEntry.Book.MONEY,
                kind=LedgerEntry.Kind.DONATION,
                at=received_at,
                organization=organization,
                campaign=campaign,
                amount_fen=amount_fen,
                party=donation.public_donor,
                ref=f"donation:{donation.pk}",
            )
            audit_record(
                actor=actor,
                action="relief.donation_record",
                target=donation,
                details={"amount": str(donation.amount), "receipt_no": donation.receipt_no},
            )
    except IntegrityError:
        if idempotency_key and (found := Donation.objects.filter(idempotency_key=idempotency_key)):
            return found.get()  # a concurrent retry of the same gift won the race
        raise
    return donation


def disbursement_record(
    *,
    organization,
    amount,
    region,
    recipient: str,
    purpose: str,
    actor,
    campaign: Campaign | None = None,
    paid_at=None,
    idempotency_key: str | None = None,
) -> Disbursement:
    """Pay money out of the organization's fund to a region's cause; never below zero."""
    if idempotency_key and (found := Disbursement.objects.filter(idempotency_key=idempotency_key)):
        return found.get()
    amount_fen = fen_of(amount)
    if not recipient.strip():
        raise ValidationFailed.field("recipient", "Name who receives the money.")
    if not purpose.strip():
        raise ValidationFailed.field("purpose", "Say what the money is for.")
    paid_at = moment_of(paid_at, field="paid_at")
    if campaign is not None and campaign.organization_id != organization.pk:
        raise ValidationFailed.field("campaign", "This campaign belongs to another organization.")
    with transaction.atomic():
        # The balance falls only if it covers the amount: a conditional UPDATE, never a read
        # then a write, so two payments at once cannot overdraw the fund.
        paid = Fund.objects.filter(organization=organization, balance_fen__gte=amount_fen).update(
            balance_fen=F("balance_fen") - amount_fen,
            disbursed_fen=F("disbursed_fen") + amount_fen,
        )
        if paid != 1:
            raise Conflict("The fund does not hold this much money.", code="insufficient_funds")
        disbursement = Disbursement.objects.create(
            organization=organization,
            campaign=campaign,
            region=region,
            amount_fen=amount_fen,
            recipient=recipient.strip(),
            purpose=purpose.strip(),
            paid_at=paid_at,
            recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
            idempotency_key=idempotency_key or None,
        )
        ledger_append(
            book=LedgerEntry.Book.MONEY,
            kind=LedgerEntry.Kind.DISBURSEMENT,
            at=paid_at,
            organization=organization,
            campaign=campaign,
            region=region,
            amount_fen=amount_fen,
            party=disbursement.recipient,
            ref=f"disbursement:{disbursement.pk}",
        )
        audit_record(
            actor=actor,
            action="relief.disbursement_record",
            target=disbursement,
            details={"amount": str(disbursement.amount), "region": region.code},
        )
    return disbursement
