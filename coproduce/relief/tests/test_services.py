"""Relief services: exact money, stock never below zero, allocation flow, the hash chain."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command

from coproduce.core.errors import Conflict, ValidationFailed
from coproduce.relief import services
from coproduce.relief.models import (
    AllocationLine,
    Fund,
    LedgerEntry,
    Lot,
    SupplyRequest,
)

pytestmark = pytest.mark.django_db


def receive(warehouse, item, quantity, actor, **kw):
    return services.stock_receive(
        warehouse=warehouse,
        item=item,
        quantity=Decimal(quantity),
        donor_kind="organization",
        donor_name="Hangzhou Mask Factory",
        actor=actor,
        **kw,
    )


def test_donation_is_exact_and_chained(fuyang_org, coordinator):
    d1 = services.donation_record(
        organization=fuyang_org,
        amount=Decimal("0.10"),
        channel="online",
        donor_kind="individual",
        donor_name="Li",
        actor=coordinator,
    )
    services.donation_record(
        organization=fuyang_org,
        amount=Decimal("0.20"),
        channel="online",
        donor_kind="individual",
        anonymous=True,
        actor=coordinator,
    )
    fund = Fund.objects.get(organization=fuyang_org)
    assert fund.balance_fen == 30  # 0.1 + 0.2 is exactly 0.30, never 0.30000000000000004
    entries = list(LedgerEntry.objects.order_by("seq"))
    assert [e.seq for e in entries] == [1, 2]
    assert entries[1].previous_hash == entries[0].hash
    assert entries[1].party == ""  # anonymous in public
    assert d1.receipt_no.startswith("D")
    assert services.ledger_verify().ok


def test_money_with_three_decimals_is_refused(fuyang_org, coordinator):
    with pytest.raises(ValidationFailed) as exc:
        services.donation_record(
            organization=fuyang_org,
            amount=Decimal("1.005"),
            channel="online",
            donor_kind="individual",
            donor_name="Li",
            actor=coordinator,
        )
    assert "amount" in exc.value.fields
    assert not LedgerEntry.objects.exists()


def test_same_idempotency_key_records_one_donation(fuyang_org, coordinator):
    kwargs = dict(
        organization=fuyang_org,
        amount=Decimal("100"),
        channel="bank",
        donor_kind="individual",
        donor_name="Li",
        actor=coordinator,
        idempotency_key="bank-42",
    )
    assert services.donation_record(**kwargs).pk == services.donation_record(**kwargs).pk
    assert Fund.objects.get(organization=fuyang_org).balance_fen == 10000


def test_disbursement_never_overdraws_the_fund(fuyang_org, coordinator, regions):
    services.donation_record(
        organization=fuyang_org,
        amount=Decimal("50"),
        channel="cash",
        donor_kind="individual",
        donor_name="Li",
        actor=coordinator,
    )
    with pytest.raises(Conflict):
        services.disbursement_record(
            organization=fuyang_org,
            amount=Decimal("50.01"),
            region=regions["330111"],
            recipient="Fuyang hospital",
            purpose="masks",
            actor=coordinator,
        )
    assert Fund.objects.get(organization=fuyang_org).balance_fen == 5000


def test_issue_of_more_than_the_lot_holds_is_a_conflict(warehouse, items, coordinator, regions):
    gift = receive(warehouse, items["surgical-mask"], "100", coordinator)
    with pytest.raises(Conflict):
        services.stock_issue(
            lot=gift.lot,
            quantity=Decimal("101"),
            region=regions["330111"],
            recipient="Checkpoint 1",
            actor=coordinator,
        )
    services.stock_issue(
        lot=gift.lot,
        quantity=Decimal("100"),
        region=regions["330111"],
        recipient="Checkpoint 1",
        actor=coordinator,
    )
    assert Lot.objects.get(pk=gift.lot_id).quantity == 0


def test_half_kilograms_are_counted_and_other_fractions_refused(warehouse, items, coordinator):
    gift = receive(warehouse, items["pork"], "38151.5", coordinator, value=Decimal("1831272"))
    assert gift.quantity == 76303
    with pytest.raises(ValidationFailed):
        receive(warehouse, items["pork"], "0.3", coordinator)


def test_transfer_keeps_code_and_expiry(warehouse, items, coordinator, fuyang_org, regions):
    other = services.warehouse_create(
        organization=fuyang_org, region=regions["330111"], name="Second", actor=coordinator
    )
    gift = receive(
        warehouse, items["surgical-mask"], "10", coordinator, expires_on=date(2022, 1, 1)
    )
    moved = services.stock_transfer(
        lot=gift.lot, to_warehouse=other, quantity=Decimal("4"), actor=coordinator
    )
    assert (moved.code, moved.expires_on, moved.quantity) == (gift.lot.code, date(2022, 1, 1), 4)
    assert Lot.objects.get(pk=gift.lot_id).quantity == 6


def test_quick_response_allocation_flow(warehouse, items, coordinator, county_official, regions):
    mask = items["surgical-mask"]
    receive(warehouse, mask, "100", coordinator, lot_code="OLD", expires_on=date(2030, 1, 1))
    receive(warehouse, mask, "50", coordinator, lot_code="NEW")
    needed = date.today() + timedelta(days=2)
    hospital = services.supply_request_create(
        requester_kind="hospital",
        requester_name="Fuyang First People's Hospital",
        region=regions["330111"],
        needed_by=needed,
        lines=[services.LineInput("surgical-mask", Decimal("120"))],
        actor=county_official,
    )
    community = services.supply_request_create(
        requester_kind="community",
        requester_name="Qiuyue Community",
        region=regions["330111001001"],
        needed_by=needed,
        lines=[services.LineInput("surgical-mask", Decimal("100"))],
        actor=county_official,
    )
    allocation = services.stock_allocate(
        organization=warehouse.organization, region=regions["330111"], actor=coordinator
    )
    granted = {}
    for line in allocation.lines.select_related("request_line", "lot"):
        granted[line.request_line.request_id] = (
            granted.get(line.request_line.request_id, 0) + line.quantity
        )
    # The hospital (critical) is served in full first, expiring lot first; the community gets 30.
    assert granted == {hospital.pk: 120, community.pk: 30}
    first = allocation.lines.order_by("id").first()
    assert first.lot.code == "OLD" and first.request_line.request_id == hospital.pk

    services.allocation_approve(allocation=allocation, actor=coordinator)
    with pytest.raises(Conflict):
        services.allocation_approve(allocation=allocation, actor=coordinator)
    assert services.allocation_dispatch(allocation=allocation, actor=coordinator) == 3
    assert sum(Lot.objects.values_list("quantity", flat=True)) == 0

    lines = list(AllocationLine.objects.filter(request_line__request=hospital))
    for line in lines:
        services.receipt_confirm(line=line, quantity=Decimal(line.quantity), actor=county_official)
    hospital.refresh_from_db()
    assert hospital.status == SupplyRequest.Status.CLOSED
    partial = AllocationLine.objects.get(request_line__request=community)
    partial = services.receipt_confirm(line=partial, quantity=Decimal("25"), actor=county_official)
    assert partial.status == AllocationLine.Status.PARTIAL and partial.received_quantity == 25
    community.refresh_from_db()
    assert community.status == SupplyRequest.Status.OPEN  # 70 masks still outstanding
    assert services.ledger_verify().ok


def test_stale_proposal_is_refused_whole(warehouse, items, coordinator, county_official, regions):
    gift = receive(warehouse, items["goggles"], "10", coordinator)
    services.supply_request_create(
        requester_kind="checkpoint",
        requester_name="Gate 3",
        region=regions["330111"],
        needed_by=date.today() + timedelta(days=1),
        lines=[services.LineInput("goggles", Decimal("10"))],
        actor=county_official,
    )
    allocation = services.stock_allocate(
        organization=warehouse.organization, region=regions["330111"], actor=coordinator
    )
    services.stock_issue(
        lot=gift.lot,
        quantity=Decimal("5"),
        region=regions["330111"],
        recipient="x",
        actor=coordinator,
    )
    with pytest.raises(Conflict):
        services.allocation_approve(allocation=allocation, actor=coordinator)
    assert Lot.objects.get(pk=gift.lot_id).reserved == 0


def test_tampering_with_a_ledger_row_is_named_by_ledger_verify(
    fuyang_org, coordinator, warehouse, items, capsys
):
    for amount in ("10", "20", "30"):
        services.donation_record(
            organization=fuyang_org,
            amount=Decimal(amount),
            channel="cash",
            donor_kind="individual",
            donor_name="Li",
            actor=coordinator,
        )
    receive(warehouse, items["surgical-mask"], "100", coordinator)
    call_command("ledger", "verify")
    assert "4 entries" in capsys.readouterr().out

    LedgerEntry.objects.filter(seq=2).update(amount_fen=2000000)  # someone edits the database
    with pytest.raises(SystemExit) as exit_:
        call_command("ledger", "verify")
    assert exit_.value.code == 1
    assert "entry #2" in capsys.readouterr().err
    assert services.ledger_verify().broken_seq == 2


def test_removing_the_last_entry_is_caught(fuyang_org, coordinator):
    for amount in ("10", "20"):
        services.donation_record(
            organization=fuyang_org,
            amount=Decimal(amount),
            channel="cash",
            donor_kind="individual",
            donor_name="Li",
            actor=coordinator,
        )
    LedgerEntry.objects.filter(seq=2).delete()
    check = services.ledger_verify()
    assert not check.ok and check.missing_after == 1
