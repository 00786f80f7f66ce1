"""Writes to people and households. Every write is audited in its own transaction."""

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from coproduce.core import clock
from coproduce.core.audit import audit_record
from coproduce.core.errors import Conflict, ValidationFailed
from coproduce.people import rules, texts
from coproduce.people.models import Declaration, Household, Person
from coproduce.people.signals import person_registered, persons_merged
from coproduce.regions.models import Region

# A person's home is a residential area or, where areas are not mapped, a community or village.
HOME_LEVELS = {Region.Levels.RESIDENTIAL_AREA, Region.Levels.COMMUNITY}
SYMPTOM_MAX = 20


@dataclass(frozen=True)
class TravelInput:
    """A declared stay in a region on a date."""

    region: str
    date: date


@dataclass(frozen=True)
class DeclarationInput:
    """A declaration as filed at registration."""

    travel: list[TravelInput] = field(default_factory=list)
    case_contact: bool = False
    symptoms: list[str] = field(default_factory=list)


def _id_key() -> bytes:
    return settings.ID_HASH_KEY.encode()


class _Errors:
    """Collects field errors so that a form shows all of them at once."""

    def __init__(self) -> None:
        self.fields: dict[str, list[str]] = {}

    def add(self, name: str, message: str) -> None:
        self.fields.setdefault(name, []).append(message)

    def raise_if_any(self) -> None:
        if self.fields:
            name, messages = next(iter(self.fields.items()))
            raise ValidationFailed(f"{name}: {messages[0]}", fields=self.fields)


def _check_home(errors: _Errors, code: str) -> Region | None:
    region = Region.objects.filter(code=code).first()
    if region is None:
        errors.add("home_region", _("No region has the code %(code)r.") % {"code": code})
    elif region.level not in HOME_LEVELS:
        errors.add("home_region", _("Give a residential area or community, not a larger region."))
    return region


def _check_declaration(errors: _Errors, declaration: DeclarationInput, today: date) -> None:
    codes = {t.region for t in declaration.travel}
    known = set(Region.objects.filter(code__in=codes).values_list("code", flat=True))
    for i, stay in enumerate(declaration.travel):
        if stay.region not in known:
            errors.add(
                f"declaration.travel.{i}.region",
                _("No region has the code %(code)r.") % {"code": stay.region},
            )
        if stay.date > today:
            errors.add(f"declaration.travel.{i}.date", _("A travel date cannot be in the future."))
    if len(declaration.symptoms) > SYMPTOM_MAX:
        errors.add("declaration.symptoms", _("At most %(n)s symptoms.") % {"n": SYMPTOM_MAX})
    for i, symptom in enumerate(declaration.symptoms):
        if not symptom or len(symptom) > 40 or not symptom.replace("_", "").isalnum():
            errors.add(f"declaration.symptoms.{i}", _("A symptom is a short code such as 'cough'."))


def person_register(
    *,
    national_id: str,
    name: str,
    phone: str,
    home_region: str,
    actor,
    household: Household | None = None,
    declaration: DeclarationInput | None = None,
    own_account=None,
) -> Person:
    """Register a resident, by themselves (`own_account`) or by a proxy; a known ID is a 409."""
    today = clock.today()
    errors = _Errors()
    national_id = rules.national_id_normalize(national_id)
    if problem := rules.national_id_problem(national_id, today=today):
        errors.add("national_id", texts.problem_words(problem))
    name = (name or "").strip()
    if not name:
        errors.add("name", _("A name is required."))
    elif len(name) > 100:
        errors.add("name", _("A name has at most 100 characters."))
    phone = rules.phone_normalize(phone)
    if problem := rules.phone_problem(phone):
        errors.add("phone", texts.problem_words(problem))
    region = _check_home(errors, home_region)
    if household is not None and region is not None and household.region_id != region.code:
        errors.add("household", _("The household is in another residential area."))
    if declaration is not None:
        _check_declaration(errors, declaration, today)
    errors.raise_if_any()

    id_hash = rules.national_id_hash(national_id, key=_id_key())
    if Person.objects.filter(national_id_hash=id_hash).exists():
        raise Conflict(
            _("This ID number is already registered."),
            code="duplicate_national_id",
            fields={"national_id": [_("This ID number is already registered.")]},
        )
    proxy = own_account is None
    try:
        with transaction.atomic():
            person = Person.objects.create(
                public_id=rules.public_id_new(),
                status=Person.Status.REGISTERED,
                national_id_hash=id_hash,
                national_id_last4=national_id[-4:],
                name=name,
                phone=phone,
                home_region=region,
                household=household,
                user=own_account,
                registered_by=actor if getattr(actor, "is_authenticated", False) else None,
                by_proxy=proxy,
            )
            record = None
            if declaration is not None:
                record = Declaration.objects.create(
                    person=person,
                    declared_at=clock.now(),
                    travel=[
                        {"region": t.region, "date": t.date.isoformat()} for t in declaration.travel
                    ],
                    case_contact=declaration.case_contact,
                    symptoms=list(declaration.symptoms),
                    filed_by=actor if getattr(actor, "is_authenticated", False) else None,
                )
            audit_record(
                actor=actor,
                action="people.register",
                target=person,
                details={"by_proxy": proxy, "declaration": record is not None},
            )
            person_registered.send(Person, person=person, declaration=record, actor=actor)
    except IntegrityError:
        # Two registrations of one ID at once: the unique hash lets exactly one through.
        raise Conflict(
            _("This ID number is already registered."),
            code="duplicate_national_id",
            fields={"national_id": [_("This ID number is already registered.")]},
        ) from None
    return person


def person_record_unregistered(
    *, name: str, home_region: str, actor, phone: str = "", note: str = "", national_id: str = ""
) -> Person:
    """Record a person a tracer named who is not registered (merged later if they register)."""
    errors = _Errors()
    name = (name or "").strip()
    if not name or len(name) > 100:
        errors.add("name", _("A name of 1 to 100 characters is required."))
    phone = rules.phone_normalize(phone)
    if problem := rules.phone_problem(phone):
        errors.add("phone", texts.problem_words(problem))
    if len(note) > 300:
        errors.add("note", _("A note has at most 300 characters."))
    region = _check_home(errors, home_region)
    id_hash = None
    if national_id:
        national_id = rules.national_id_normalize(national_id)
        if problem := rules.national_id_problem(national_id, today=clock.today()):
            errors.add("national_id", texts.problem_words(problem))
        else:
            id_hash = rules.national_id_hash(national_id, key=_id_key())
    errors.raise_if_any()
    if id_hash and (known := Person.objects.filter(national_id_hash=id_hash).first()):
        return known
    with transaction.atomic():
        person = Person.objects.create(
            public_id=rules.public_id_new(),
            status=Person.Status.UNREGISTERED,
            national_id_hash=id_hash,
            national_id_last4=national_id[-4:] if id_hash else "",
            name=name,
            phone=phone,
            home_region=region,
            registered_by=actor if getattr(actor, "is_authenticated", False) else None,
            by_proxy=True,
            note=note,
        )
        audit_record(actor=actor, action="people.record_unregistered", target=person)
    return person


def person_update(*, person: Person, actor, name=None, phone=None, home_region=None) -> Person:
    """Correct a person's name, phone or home; the audit names the fields, not the values."""
    errors = _Errors()
    changed: dict[str, object] = {}
    if name is not None:
        name = name.strip()
        if not name or len(name) > 100:
            errors.add("name", _("A name of 1 to 100 characters is required."))
        changed["name"] = name
    if phone is not None:
        phone = rules.phone_normalize(phone)
        if problem := rules.phone_problem(phone):
            errors.add("phone", texts.problem_words(problem))
        changed["phone"] = phone
    if home_region is not None:
        region = _check_home(errors, home_region)
        changed["home_region"] = region
    errors.raise_if_any()
    with transaction.atomic():
        for key, value in changed.items():
            setattr(person, key, value)
        person.save(update_fields=[*changed.keys(), "updated_at"])
        audit_record(
            actor=actor, action="people.update", target=person, details={"fields": sorted(changed)}
        )
    return person


def person_open(*, person: Person, actor) -> Person:
    """Record that a member of staff opened one person's record (audit of every staff read)."""
    audit_record(actor=actor, action="people.view", target=person)
    return person


def household_create(*, region: Region, label: str, actor, members: list[Person] = ()) -> Household:
    """Create a household at an address and put people in it."""
    label = (label or "").strip()
    errors = _Errors()
    if not label or len(label) > 200:
        errors.add("label", _("An address of 1 to 200 characters is required."))
    if region.level not in HOME_LEVELS:
        errors.add("region", _("Give a residential area or community."))
    for person in members:
        if person.home_region_id != region.code:
            errors.add("members", _("%(id)s lives in another area.") % {"id": person.public_id})
    errors.raise_if_any()
    with transaction.atomic():
        household = Household.objects.create(region=region, label=label)
        if members:
            Person.objects.filter(pk__in=[p.pk for p in members]).update(household=household)
        audit_record(
            actor=actor,
            action="people.household_create",
            target=household,
            details={"members": [p.public_id for p in members]},
        )
    return household


def _person_relations():
    """Every foreign key from any app that points to Person (except the merge pointer itself)."""
    for rel in Person._meta.get_fields(include_hidden=True):
        if (rel.one_to_many or rel.one_to_one) and rel.auto_created and not rel.concrete:
            if rel.field.model is Person and rel.field.name == "merged_into":
                continue
            yield rel


def person_merge(*, keep: Person, remove: Person, actor) -> Person:
    """Join `remove` into `keep` with everything attached to it; `remove` stays as a pointer.

    Rows that cannot move because `keep` already has their unique counterpart (say a daily report
    of the same date) stay attached to the merged record, so nothing is lost; the audit event
    counts what moved and what stayed.
    """
    if keep.pk == remove.pk:
        raise ValidationFailed.field("remove", _("A record cannot be merged into itself."))
    if remove.status == Person.Status.MERGED or keep.status == Person.Status.MERGED:
        raise Conflict(_("One of these records was already merged."), code="already_merged")
    if (
        keep.national_id_hash
        and remove.national_id_hash
        and keep.national_id_hash != remove.national_id_hash
    ):
        raise Conflict(
            _("The two records carry different ID numbers: they are different people."),
            code="different_national_ids",
        )
    moved: dict[str, int] = {}
    stayed: dict[str, int] = {}
    with transaction.atomic():
        keep = Person.objects.select_for_update().get(pk=keep.pk)
        remove = Person.objects.select_for_update().get(pk=remove.pk)
        for rel in _person_relations():
            model, fk = rel.related_model, rel.field.name
            label = f"{model._meta.label_lower}.{fk}"
            rows = model._base_manager.filter(**{fk: remove})
            if rel.one_to_one:
                if not model._base_manager.filter(**{fk: keep}).exists():
                    moved[label] = rows.update(**{fk: keep})
                continue
            try:
                with transaction.atomic():
                    moved[label] = rows.update(**{fk: keep})
            except IntegrityError:
                for pk in list(rows.values_list("pk", flat=True)):
                    try:
                        with transaction.atomic():
                            model._base_manager.filter(pk=pk).update(**{fk: keep})
                        moved[label] = moved.get(label, 0) + 1
                    except IntegrityError:
                        stayed[label] = stayed.get(label, 0) + 1
        id_hash, id_last4, user_id = (
            remove.national_id_hash,
            remove.national_id_last4,
            remove.user_id,
        )
        # The removed record becomes a pointer first: it gives up its unique ID hash (and account)
        # before the survivor takes them, and it is never a registered record without an ID.
        remove.status = Person.Status.MERGED
        remove.merged_into = keep
        remove.national_id_hash = None
        if user_id and not keep.user_id:
            remove.user_id = None
        remove.save(
            update_fields=["status", "merged_into", "national_id_hash", "user", "updated_at"]
        )
        # Records merged into `remove` earlier now point to the survivor: one hop, never a chain.
        Person.objects.filter(merged_into=remove).update(merged_into=keep)
        if id_hash and not keep.national_id_hash:
            keep.national_id_hash, keep.national_id_last4 = id_hash, id_last4
        if user_id and not keep.user_id:
            keep.user_id = user_id
        if keep.status == Person.Status.UNREGISTERED and keep.national_id_hash:
            keep.status = Person.Status.REGISTERED
        keep.phone = keep.phone or remove.phone
        keep.household_id = keep.household_id or remove.household_id
        keep.save()
        audit_record(
            actor=actor,
            action="people.merge",
            target=keep,
            details={"removed": remove.public_id, "moved": moved, "stayed": stayed},
        )
        persons_merged.send(Person, keep=keep, remove=remove, actor=actor)
    return keep


def person_link_account(*, person: Person, user, actor) -> Person:
    """Let a resident's account act for their own record (after they register themselves)."""
    if Person.objects.filter(user=user).exclude(pk=person.pk).exists():
        raise Conflict(_("This account already belongs to another person."), code="account_taken")
    with transaction.atomic():
        person.user = user
        person.save(update_fields=["user", "updated_at"])
        audit_record(actor=actor, action="people.link_account", target=person)
    return person
