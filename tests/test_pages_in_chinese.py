"""The main pages of each role in Simplified Chinese (PRODUCT.md 4): no string of the catalogue is
left in English on them.

The check reads the compiled catalogue (django.mo, built by `make install`): every msgid with a
translation of its own is a string that must not appear as it is on a page rendered in Chinese
(a msgid with placeholders, as a pattern, against whole pieces of text). A
page is split into its visible text (and the attributes people read: title, placeholder,
aria-label, alt), then into fragments at the separators the templates use (" · ", ":", commas,
brackets...). A fragment equal to such a msgid is English that should have been translated: a
choice shown by its raw value, a label from code without gettext, a message raised in English, a
catalogue entry left fuzzy. Data is not checked: the scene writes its free text in Chinese, and
user names (the personas' "volunteer", "resident") are skipped.
"""

import gettext
import re
from datetime import timedelta
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from conftest import FUYANG_AREA, valid_national_id
from coproduce.accounts.models import User
from coproduce.checkpoints import services as checkpoint_services
from coproduce.core import clock
from coproduce.deliveries import services as delivery_services
from coproduce.health_codes import services as code_services
from coproduce.people.selectors import person_of_user
from coproduce.people.services import household_create, person_register
from coproduce.regions.models import Region
from coproduce.tracing import services as tracing_services
from coproduce.volunteers import services as volunteer_services

pytestmark = pytest.mark.django_db

CATALOGUE = Path(settings.BASE_DIR) / "coproduce/locale/zh_Hans/LC_MESSAGES/django.mo"
H = timedelta(hours=1)
# Where a piece of text ends, on the pages: " · " joins facts, ":" follows a label, "→" a change.
SEPARATORS = re.compile(r"\s*(?:·|→|—|…|\||:|：|,|，|;|；|\(|\)|（|）|“|”|\[|\])\s*")


PLACEHOLDER = re.compile(r"%(?:\([a-z_]+\))?[sdrf]")


class English:
    """The catalogue's msgids whose Chinese differs from them (plural and context forms too):
    plain ones, and those with placeholders as patterns ("Your roles do not allow %(x)s.")."""

    def __init__(self):
        with CATALOGUE.open("rb") as mo:
            catalog = gettext.GNUTranslations(mo)._catalog
        self.plain: set[str] = set()
        patterns = []
        for key, text in catalog.items():
            msgid = key[0] if isinstance(key, tuple) else key
            msgid = " ".join(msgid.split("\x04")[-1].split())  # "context\x04msgid"
            if not msgid or not text or text == msgid:
                continue
            if PLACEHOLDER.search(msgid):
                parts = PLACEHOLDER.split(msgid.replace("%%", "%"))
                if sum(len(p.strip(" .:,")) for p in parts) >= 8:  # enough English to be sure
                    patterns.append(".+?".join(re.escape(p) for p in parts))
            else:
                self.plain.add(msgid)
        self.formatted = re.compile("|".join(f"(?:{p})" for p in patterns))

    def __contains__(self, text: str) -> bool:
        return text in self.plain or bool(self.formatted.fullmatch(text))


class _Text(HTMLParser):
    """The text a person reads on a page: text nodes and the attributes read aloud or shown."""

    SKIPPED = {"script", "style", "svg", "template"}
    READ = {"title", "placeholder", "aria-label", "alt"}

    def __init__(self):
        super().__init__()
        self.pieces: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIPPED:
            self._skipping += 1
        for name, value in attrs:
            if name in self.READ and value:
                self.pieces.append(value)

    def handle_endtag(self, tag):
        if tag in self.SKIPPED and self._skipping:
            self._skipping -= 1

    def handle_data(self, data):
        if not self._skipping and data.strip():
            self.pieces.append(data)


def english_on(html: str, msgids, data: set[str]) -> set[str]:
    """The catalogue's English strings shown as they are on a page."""
    parser = _Text()
    parser.feed(html)
    left = set()
    for piece in parser.pieces:
        piece = " ".join(piece.split()).strip()
        for fragment in {piece, *SEPARATORS.split(piece)}:
            fragment = fragment.strip(" .")
            if fragment in data:
                continue
            if fragment in msgids or f"{fragment}." in msgids:
                left.add(fragment)
        if piece not in data and piece in msgids:  # a message with its values filled in
            left.add(piece.strip(" ."))
    return left


@pytest.fixture
def scene(
    settings,
    regions,
    fuyang_org,
    province_admin,
    county_official,
    coordinator,
    checkpoint_staff,
    tracer,
    volunteer,
    resident,
    outsider,
):
    """Something on every main page: a code with its history, an appeal, a case with contacts and
    a round, a quarantine order, a checkpoint with a shift, a call, confirmed hours, an order."""
    settings.COPRODUCE_EXERCISE = True
    now = clock.now()
    today = clock.today()
    fuyang = Region.objects.get(code="330111")
    area = Region.objects.get(code=FUYANG_AREA)
    wang = person_of_user(user=resident)

    # Health codes: a home quarantine imposed and lengthened by hand, a report, an appeal.
    condition = code_services.condition_impose(
        person=wang,
        kind="home_quarantine",
        reason="secondary_contact",
        starts_on=today - timedelta(days=3),
        not_before=today + timedelta(days=3),
        actor=county_official,
        source="health_codes.official:test",
        why="密接的接触者",
    )
    code_services.condition_adjust(
        condition=condition,
        actor=county_official,
        why="家中有人发热",
        not_before=today + timedelta(days=5),
    )
    code_services.report_file(
        person=wang,
        report=code_services.ReportInput(
            on=today, temperature_c=Decimal("37.5"), symptoms=["cough", "sore_throat"]
        ),
        actor=resident,
        by_proxy=False,
    )
    appeal = code_services.appeal_file(person=wang, reason="那一周我一直在杭州。", actor=resident)

    # Contact tracing: a confirmed case whose household member is a contact; a round; an order.
    def person(serial: int, name: str):
        return person_register(
            national_id=valid_national_id(serial),
            name=name,
            phone=f"1390000{serial:04d}",
            home_region=FUYANG_AREA,
            actor=county_official,
        )

    patient, spouse = person(201, "李明"), person(202, "赵丽")
    household_create(region=area, label="3幢1单元502", members=[patient, spouse], actor=None)
    case = tracing_services.case_report(
        person=patient,
        status="confirmed",
        onset_date=today - timedelta(days=2),
        cluster="F1",
        actor=county_official,
    )
    tracing_services.round_start(case=case, actor=county_official)
    tracing_services.order_create(
        person=spouse, kind="home", start_date=today, actor=county_official, case=case
    )

    # Checkpoints: a gate run by the Fuyang organization, a shift (its volunteer below).
    checkpoint = checkpoint_services.checkpoint_create(
        name="秋月一区大门",
        kind="residential_gate",
        region=area,
        operator=fuyang_org,
        actor=coordinator,
    )
    shift = checkpoint_services.shift_create(
        checkpoint=checkpoint, starts_at=now + H, ends_at=now + 5 * H, capacity=2, actor=coordinator
    )

    # Volunteers and the Voluntary Bank: on the shift, a call, a sign-up, confirmed hours.
    me = volunteer_services.volunteer_register(
        actor=volunteer,
        user=volunteer,
        name="陈杰",
        home_region=area,
        skills=["急救"],
        organization=fuyang_org,
    )
    checkpoint_services.shift_assign(shift=shift, user=volunteer, actor=coordinator)
    call = volunteer_services.call_create(
        organization=fuyang_org,
        title="大门值守",
        region=fuyang,
        start=now + 20 * H,
        end=now + 24 * H,
        capacity=2,
        actor=coordinator,
        activity="checkpoint",
        place=checkpoint.place,
    )
    volunteer_services.signup_create(call=call, volunteer=me, actor=volunteer)
    record = volunteer_services.service_record_create(
        volunteer=me,
        start=now - 10 * H,
        end=now - 6 * H,
        activity="checkpoint",
        source="",
        actor=coordinator,
        place=checkpoint.place,
    )
    volunteer_services.service_record_confirm(record=record, actor=coordinator)

    # Deliveries: the resident's household orders eggs.
    household = household_create(region=area, label="1幢1单元101", members=[wang], actor=None)
    delivery_services.order_place(
        household=household,
        kind="groceries",
        lines=[delivery_services.LineInput(item="eggs", quantity=2, unit_price=Decimal("12"))],
        actor=resident,
        by_proxy=False,
    )
    return {"wang": wang, "case": case, "checkpoint": checkpoint, "appeal": appeal}


def pages(scene) -> dict[str, list[str]]:
    """The pages each persona opens most, in the scene."""
    wang, case, checkpoint = scene["wang"], scene["case"], scene["checkpoint"].pk
    return {
        "resident": [
            "/",
            "/codes/",
            "/codes/report/",
            "/codes/family/",
            "/deliveries/",
            "/timebank/",
            "/checkpoints/visit/",
        ],
        "county_official": [
            "/codes/officials/",
            f"/codes/people/{wang.public_id}/history/",
            f"/codes/appeals/{scene['appeal'].pk}/",
            "/people/",
            f"/people/{wang.public_id}/",
            "/organizations/",
            "/organizations/fuyang-volunteers/",
            "/tracing/cases/",
            f"/tracing/cases/{case.pk}/",
            "/tracing/progress/",
            "/tracing/quarantine/",
            "/checkpoints/",
            f"/checkpoints/{checkpoint}/",
            "/relief/transparency/",
        ],
        "province_admin": ["/relief/", "/volunteers/report/", "/deliveries/report/?region=330111"],
        "coordinator": [
            "/volunteers/calls/",
            "/volunteers/records/",
            f"/checkpoints/{checkpoint}/shifts/",
            "/deliveries/",
        ],
        "checkpoint_staff": [f"/checkpoints/{checkpoint}/scanner/", "/checkpoints/"],
        "tracer": ["/tracing/"],
        "volunteer": ["/volunteers/", "/timebank/", "/timebank/statement/"],
        "outsider": ["/", "/people/", "/codes/officials/"],
    }


def test_main_pages_show_no_catalogue_string_in_english(scene):
    msgids = English()
    data = set(User.objects.values_list("username", flat=True))
    left = {}
    for username, paths in pages(scene).items():
        client = Client(headers={"Accept-Language": "zh-hans"})
        client.force_login(User.objects.get(username=username))
        for path in paths:
            answer = client.get(path)
            # An outsider's pages are refused: the refusal is a page too, in Chinese.
            expected = 403 if username == "outsider" and path != "/" else 200
            assert answer.status_code == expected, (username, path)
            assert '<html lang="zh-hans">' in answer.content.decode(), (username, path)
            if found := english_on(answer.content.decode(), msgids, data):
                left[f"{username} {path}"] = sorted(found)
    assert not left, f"English left on pages rendered in Chinese: {left}"


def test_the_check_finds_english_left_on_a_page():
    """The checker itself: a raw choice value and an untranslated label are found; data, text in
    Chinese and msgids inside longer sentences are not."""
    msgids = English.__new__(English)
    msgids.plain = {"imposed", "Health code", "Save"}
    msgids.formatted = re.compile(r"Your roles do not allow .+?\.")
    html = (
        '<html><head><title>Health code</title><script>var s = "Save";</script></head><body>'
        "<p>2020-02-05 09:00 · imposed · official</p><p>已保存</p>"
        '<input placeholder="Save"><p>Save the children</p><p>Wang</p>'
        "<p>Your roles do not allow people.view.</p><p>您的角色无权进行此操作（people.view）。</p>"
        "</body></html>"
    )
    assert english_on(html, msgids, data={"Wang"}) == {
        "Health code",
        "imposed",
        "Save",
        "Your roles do not allow people.view",
    }
