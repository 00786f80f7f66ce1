"""The bank's services on the database: earn, give, redeem, refuse, replays, balances."""

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coproduce.core.errors import Conflict, ValidationFailed
from coproduce.timebank import selectors, services
from coproduce.timebank.models import Account, Entry, Posting, Redemption
from coproduce.volunteers import services as volunteer_services
from coproduce.volunteers.tests.conftest import H

pytestmark = pytest.mark.django_db


@pytest.fixture
def earned(pending_record, coordinator):
    """The volunteer's account after one confirmed 4-hour record: 240 minutes."""
    volunteer_services.service_record_confirm(record=pending_record, actor=coordinator)
    return services.account_of_volunteer(volunteer=pending_record.volunteer)


@pytest.fixture
def neighbour(resident):
    return services.account_of_person(person=resident.person)


@pytest.fixture
def bank(regions, county_official):
    partner = services.partner_create(
        name="Fuyang Rural Bank", kind="bank", region=regions["330111"], actor=county_official
    )
    offer = services.offer_create(
        partner=partner, title="Loan interest discount", price_minutes=180, actor=county_official
    )
    return partner, offer


def assert_balances_are_the_sum_of_entries():
    for account in Account.objects.all():
        assert account.balance == selectors.entries_sum(account=account)
        assert account.kind == "issuance" or account.balance >= 0


def test_earned_hours_appear_on_the_volunteer_account(earned):
    assert earned.balance == 240
    assert services.account_issuance().balance == -240
    assert_balances_are_the_sum_of_entries()


def test_gift_to_an_elderly_neighbour_and_its_replay_is_stored_once(earned, neighbour):
    for _ in range(2):
        services.hours_give(source=earned, target=neighbour, minutes=60, key="g1", actor=None)
    earned.refresh_from_db()
    neighbour.refresh_from_db()
    assert (earned.balance, neighbour.balance) == (180, 60)
    assert Posting.objects.filter(kind="gift").count() == 1


def test_the_same_key_for_a_different_gift_is_a_conflict(earned, neighbour):
    services.hours_give(source=earned, target=neighbour, minutes=60, key="g1", actor=None)
    with pytest.raises(Conflict):
        services.hours_give(source=earned, target=neighbour, minutes=90, key="g1", actor=None)


def test_giving_more_than_the_balance_is_refused_and_writes_nothing(earned, neighbour):
    with pytest.raises(Conflict) as refused:
        services.hours_give(source=earned, target=neighbour, minutes=241, key="g", actor=None)
    assert refused.value.code == "insufficient_balance"
    assert not Posting.objects.filter(kind="gift").exists()
    assert_balances_are_the_sum_of_entries()


def test_zero_or_negative_gift_is_a_field_error(earned, neighbour):
    with pytest.raises(ValidationFailed):
        services.hours_give(source=earned, target=neighbour, minutes=0, key="g", actor=None)


def test_redemption_confirmed_by_the_partner(earned, bank):
    partner, offer = bank
    redemption = services.redemption_request(account=earned, offer=offer, key="r1", actor=None)
    again = services.redemption_request(account=earned, offer=offer, key="r1", actor=None)
    assert again.pk == redemption.pk
    earned.refresh_from_db()
    assert earned.balance == 60
    services.redemption_decide(redemption=redemption, accept=True, actor=None)
    assert Redemption.objects.get().status == "confirmed"
    assert services.account_of_partner(partner=partner).balance == 180


def test_refused_redemption_returns_the_hours_once(earned, bank):
    _, offer = bank
    redemption = services.redemption_request(account=earned, offer=offer, key="r1", actor=None)
    services.redemption_decide(redemption=redemption, accept=False, actor=None, note="no loan")
    services.redemption_decide(redemption=redemption, accept=False, actor=None)  # a retry
    with pytest.raises(Conflict):
        services.redemption_decide(redemption=redemption, accept=True, actor=None)
    earned.refresh_from_db()
    assert earned.balance == 240
    assert Posting.objects.filter(kind="refund").count() == 1
    assert_balances_are_the_sum_of_entries()


def test_redeeming_without_enough_hours_is_refused(earned, bank, neighbour):
    _, offer = bank
    services.hours_give(source=earned, target=neighbour, minutes=100, key="g", actor=None)
    with pytest.raises(Conflict):
        services.redemption_request(account=earned, offer=offer, key="r1", actor=None)
    assert not Redemption.objects.exists()


def test_statement_has_opening_lines_and_closing(earned, neighbour, now):
    services.hours_give(source=earned, target=neighbour, minutes=30, key="g", actor=None)
    statement = selectors.statement_get(account=earned, start=now - 48 * H, end=now + H)
    assert [line.minutes for line in statement.lines] == [240, -30]
    assert (statement.opening, statement.closing) == (0, 210)
    later = selectors.statement_get(account=earned, start=now + H, end=now + 2 * H)
    assert (later.opening, later.closing, later.lines) == (210, 210, ())


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["give", "back", "redeem", "refuse", "replay"]),
            st.integers(min_value=1, max_value=300),
        ),
        max_size=12,
    )
)
def test_any_sequence_keeps_balances_equal_to_entries_and_never_negative(
    earned, neighbour, bank, ops
):
    _, offer = bank
    with transaction.atomic():
        for i, (op, minutes) in enumerate(ops):
            try:
                if op == "give":
                    services.hours_give(
                        source=earned, target=neighbour, minutes=minutes, key=f"k{i}", actor=None
                    )
                elif op == "back":
                    services.hours_give(
                        source=neighbour, target=earned, minutes=minutes, key=f"k{i}", actor=None
                    )
                elif op == "redeem":
                    services.redemption_request(
                        account=earned, offer=offer, key=f"k{i}", actor=None
                    )
                elif op == "refuse" and (r := Redemption.objects.filter(status="pending").first()):
                    services.redemption_decide(redemption=r, accept=False, actor=None)
                elif op == "replay" and i:
                    services.hours_give(
                        source=earned, target=neighbour, minutes=minutes, key="k0", actor=None
                    )
            except (Conflict, ValidationFailed):
                pass
            assert_balances_are_the_sum_of_entries()
        total = sum(Entry.objects.values_list("minutes", flat=True))
        assert total == 0  # double entry: the ledger as a whole always balances
        transaction.set_rollback(True)
