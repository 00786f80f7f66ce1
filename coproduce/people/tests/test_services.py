"""People services: registration, unregistered persons, households, duplicates and merge."""

import datetime as dt
import threading

import pytest
from django.db import connections

from conftest import FUYANG_AREA, FUYANG_AREA_2, YUHANG_AREA, valid_national_id
from coproduce.accounts.permissions import scope_for
from coproduce.core.errors import Conflict, ValidationFailed
from coproduce.core.models import AuditEvent
from coproduce.people import selectors
from coproduce.people.models import Declaration, Household, Person
from coproduce.people.services import (
    DeclarationInput,
    TravelInput,
    household_create,
    person_link_account,
    person_merge,
    person_open,
    person_record_unregistered,
    person_register,
    person_update,
)

pytestmark = pytest.mark.django_db


def register(serial, *, actor=None, name="Li Wei", phone="", area=FUYANG_AREA, **kwargs):
    return person_register(
        national_id=valid_national_id(serial),
        name=name,
        phone=phone,
        home_region=area,
        actor=actor,
        **kwargs,
    )


def named(name, *, phone="", area=FUYANG_AREA, actor=None, **kwargs):
    return person_record_unregistered(
        name=name, phone=phone, home_region=area, actor=actor, **kwargs
    )


def events(action):
    return AuditEvent.objects.filter(action=action)


# Registration


def test_proxy_registration_records_who_registered_whom(regions, coordinator):
    person = register(1, actor=coordinator)
    assert person.by_proxy and person.registered_by == coordinator and person.user is None
    event = events("people.register").get()
    assert event.actor == coordinator and event.details["by_proxy"] is True


def test_self_registration_links_the_account(regions, outsider):
    person = register(1, actor=outsider, own_account=outsider)
    assert person.user == outsider and not person.by_proxy
    assert selectors.person_of_user(user=outsider) == person


def test_registration_with_a_declaration_writes_it_in_the_same_event(regions):
    declaration = DeclarationInput(
        travel=[TravelInput(region="330110", date=dt.date(2020, 1, 20))],
        case_contact=True,
        symptoms=["cough"],
    )
    person = register(1, declaration=declaration)
    stored = Declaration.objects.get(person=person)
    assert stored.travel == [{"region": "330110", "date": "2020-01-20"}]
    assert events("people.register").get().details["declaration"] is True


def test_a_refused_registration_writes_nothing(regions):
    with pytest.raises(ValidationFailed) as failure:
        register(1, name="", phone="x")
    assert set(failure.value.fields) == {"name", "phone"}
    assert (Person.objects.count(), AuditEvent.objects.count()) == (0, 1)  # the region import


def test_a_receiver_refusing_the_registration_rolls_everything_back(regions):
    from coproduce.people.signals import person_registered

    def refuse(sender, **kwargs):
        raise ValidationFailed.field("declaration", "refused by a module above")

    person_registered.connect(refuse)
    try:
        with pytest.raises(ValidationFailed):
            register(1, declaration=DeclarationInput(symptoms=["fever"]))
    finally:
        person_registered.disconnect(refuse)
    assert (Person.objects.count(), Declaration.objects.count()) == (0, 0)
    assert not events("people.register").exists()


def test_the_same_id_registered_twice_is_a_conflict(regions):
    register(1)
    with pytest.raises(Conflict) as failure:
        register(1, name="Somebody")
    assert failure.value.code == "duplicate_national_id"
    assert Person.objects.count() == 1


@pytest.mark.slow
@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_registrations_of_one_id_at_once_let_exactly_one_through(regions):
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def attempt(name):
        try:
            barrier.wait(timeout=10)
            register(42, name=name)
            outcomes.append("created")
        except Conflict:
            outcomes.append("conflict")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(n,)) for n in ("A", "B")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes) == ["conflict", "created"]
    assert Person.objects.count() == 1
    assert events("people.register").count() == 1


# Unregistered persons and households


def test_an_unregistered_person_is_recorded_and_audited(regions, tracer):
    person = named("Neighbour Liu", phone="138 0000 0009", actor=tracer, note="market")
    assert person.status == Person.Status.UNREGISTERED
    assert person.phone == "13800000009" and person.by_proxy and person.registered_by == tracer
    assert events("people.record_unregistered").get().actor == tracer


def test_naming_a_registered_id_again_returns_the_registered_record(regions):
    registered = register(1)
    again = named("Li", national_id=valid_national_id(1))
    assert again == registered
    assert Person.objects.count() == 1


def test_an_unregistered_person_with_a_bad_id_is_refused(regions):
    with pytest.raises(ValidationFailed) as failure:
        named("Liu", national_id="123")
    assert "national_id" in failure.value.fields


def test_household_groups_people_of_one_area(regions):
    a, b = register(1), register(2)
    household = household_create(
        region=regions[FUYANG_AREA], label="Door 5", members=[a, b], actor=None
    )
    assert set(household.members.all()) == {a, b}
    assert events("people.household_create").get().details == {
        "members": [a.public_id, b.public_id]
    }


def test_household_refuses_a_member_of_another_area(regions):
    with pytest.raises(ValidationFailed) as failure:
        household_create(
            region=regions[FUYANG_AREA_2], label="Door 6", members=[register(1)], actor=None
        )
    assert "members" in failure.value.fields
    assert Household.objects.count() == 0


def test_update_names_the_fields_changed_not_their_values(regions, county_official):
    person = register(1, phone="13800000001")
    person_update(person=person, actor=county_official, phone="13900000002")
    event = events("people.update").get()
    assert event.details == {"fields": ["phone"]}
    assert "13900000002" not in str(event.details)


def test_update_refuses_a_bad_phone_and_keeps_the_old_one(regions):
    person = register(1, phone="13800000001")
    with pytest.raises(ValidationFailed):
        person_update(person=person, actor=None, phone="abc")
    person.refresh_from_db()
    assert person.phone == "13800000001"


def test_opening_a_record_is_audited(regions, county_official):
    person = register(1)
    person_open(person=person, actor=county_official)
    event = events("people.view").get()
    assert (event.actor, event.object_id) == (county_official, str(person.pk))


def test_an_account_is_linked_to_one_person_only(regions, outsider):
    a, b = register(1), register(2)
    person_link_account(person=a, user=outsider, actor=None)
    with pytest.raises(Conflict):
        person_link_account(person=b, user=outsider, actor=None)


# Duplicates


def test_duplicates_with_the_same_phone(regions, county_official):
    a = register(1, name="Li Wei", phone="13800000001")
    b = named("Zhao Lei", phone="13800000001", area=FUYANG_AREA_2)
    pairs = selectors.duplicate_list(scope=scope_for(county_official, "people.duplicates"))
    assert len(pairs) == 1
    pair = pairs[0]
    assert {pair.a, pair.b} == {a, b}
    assert pair.same_phone and not pair.similar_name_same_area


def test_duplicates_with_a_similar_name_in_the_same_area(regions, county_official):
    a = register(1, name="Wang Xiaoming")
    b = named("Wang Xiaomin")
    named("Wang Xiaomin", area=FUYANG_AREA_2, phone="13700000000")  # another area: no pair
    pairs = selectors.duplicate_list(scope=scope_for(county_official, "people.duplicates"))
    assert [(p.a, p.b) for p in pairs] in ([(a, b)], [(b, a)])
    assert pairs[0].similar_name_same_area and not pairs[0].same_phone


def test_two_registered_people_with_similar_names_are_not_duplicates(regions, county_official):
    register(1, name="Wang Fang")
    register(2, name="Wang Fang")
    assert selectors.duplicate_list(scope=scope_for(county_official, "people.duplicates")) == []


def test_duplicates_stay_within_the_scope(regions, county_official, other_official):
    named("Li Na", phone="13800000005", area=YUHANG_AREA)
    named("Li Na", phone="13800000005", area=YUHANG_AREA)
    assert selectors.duplicate_list(scope=scope_for(county_official, "people.duplicates")) == []
    assert len(selectors.duplicate_list(scope=scope_for(other_official, "people.duplicates"))) == 1


def test_merged_records_are_not_listed_again(regions, county_official):
    a = register(1, name="Li Wei", phone="13800000001")
    b = named("Li Wei", phone="13800000001")
    person_merge(keep=a, remove=b, actor=county_official)
    assert selectors.duplicate_list(scope=scope_for(county_official, "people.duplicates")) == []


# Merge


def test_merge_moves_declarations_and_household_and_leaves_a_pointer(regions, county_official):
    keep = register(1, name="Li Wei", phone="13800000001")
    household = household_create(region=regions[FUYANG_AREA], label="Door 7", actor=None)
    remove = named("Li Wei", phone="13800000001")
    Person.objects.filter(pk=remove.pk).update(household=household)
    remove.refresh_from_db()
    Declaration.objects.create(
        person=remove, declared_at="2020-02-01T08:00:00Z", symptoms=["cough"]
    )

    survivor = person_merge(keep=keep, remove=remove, actor=county_official)

    assert survivor.pk == keep.pk
    assert Declaration.objects.get().person_id == keep.pk
    keep.refresh_from_db()
    remove.refresh_from_db()
    assert keep.household == household
    assert remove.status == Person.Status.MERGED and remove.merged_into_id == keep.pk
    scope = scope_for(county_official, "people.view")
    assert selectors.person_get(public_id=remove.public_id, scope=scope) == keep
    event = events("people.merge").get()
    assert event.actor == county_official and event.object_id == str(keep.pk)
    assert event.details["removed"] == remove.public_id
    assert event.details["moved"]["people.declaration.person"] == 1


def test_merging_an_unregistered_record_into_it_gives_the_id_to_the_survivor(
    regions, county_official
):
    # The registered record is the one removed: its ID number and account go to the survivor.
    registered = register(1, name="Li Wei", own_account=None)
    unregistered = named("Li Wei")
    survivor = person_merge(keep=unregistered, remove=registered, actor=county_official)
    survivor.refresh_from_db()
    registered.refresh_from_db()
    assert survivor.status == Person.Status.REGISTERED
    assert survivor.national_id_last4 == valid_national_id(1)[-4:]
    assert registered.status == Person.Status.MERGED and registered.national_id_hash is None
    with pytest.raises(Conflict):
        register(1)  # the ID is still known, on the survivor


def test_merge_moves_the_account_to_the_survivor(regions, county_official, outsider):
    keep = named("Li Wei")
    remove = register(1, actor=outsider, own_account=outsider)
    person_merge(keep=keep, remove=remove, actor=county_official)
    keep.refresh_from_db()
    assert keep.user == outsider


def test_a_chain_of_merges_leads_to_the_last_survivor(regions, county_official):
    first, second, third = named("Li Wei"), named("Li Wei"), register(1, name="Li Wei")
    person_merge(keep=second, remove=first, actor=county_official)
    person_merge(keep=third, remove=second, actor=county_official)
    scope = scope_for(county_official, "people.view")
    assert selectors.person_get(public_id=first.public_id, scope=scope) == third


def test_different_national_ids_refuse_to_merge(regions, county_official):
    a, b = register(1, name="Li Wei"), register(2, name="Li Wei")
    with pytest.raises(Conflict) as failure:
        person_merge(keep=a, remove=b, actor=county_official)
    assert failure.value.code == "different_national_ids"
    assert not Person.objects.filter(status=Person.Status.MERGED).exists()
    assert not events("people.merge").exists()


def test_a_record_cannot_merge_into_itself_or_twice(regions, county_official):
    a, b = register(1), named("Li Wei")
    with pytest.raises(ValidationFailed):
        person_merge(keep=a, remove=a, actor=county_official)
    person_merge(keep=a, remove=b, actor=county_official)
    b.refresh_from_db()
    with pytest.raises(Conflict):
        person_merge(keep=a, remove=b, actor=county_official)
