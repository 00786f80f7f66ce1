"""Care in stage 3 (PRODUCT.md 3.8): the paper's counseling hotlines and the Voluntary Clinic.

- The Deqing Association for Mental Health runs a crisis hotline with a duty roster around the
  clock (three 8-hour shifts; the demo `counselor` takes 08:00-16:00) and a supervisor
  (`care_supervisor`, password as the other logins).
- Jiaxing's Xiaoci center: "a team of 21 certified counselors and social workers online"
  (12 counselors and 9 medical social workers; accounts without a password).
- The Wenling Medical Association's Voluntary Clinic: the demo `clinician` and three more
  volunteer doctors with verified licences, free slots in person and online, bookings by proxy.
- Three weeks of stage 3 from 2020-03-01: hotline sessions with PHQ-9 and GAD-7 screenings (one
  high-risk result escalated to the supervisor and followed up), consultations, social work
  cases. Then, back on the demo's day (2020-02-12), open clinic slots for the demo resident to
  book and one fresh crisis alert waiting for the on-duty `counselor` to acknowledge.
Everything goes through the services on the exercise clock, so every rule holds.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

from coproduce.accounts.services import RoleSpec, user_create
from coproduce.care import services
from coproduce.care.models import Alert
from coproduce.core.clock import exercise_clock_set
from coproduce.demo.seed.base import GIVEN, SURNAMES
from coproduce.orgs.services import member_add

CST = ZoneInfo("Asia/Shanghai")
DEMO_NOW = datetime(2020, 2, 12, 10, 0, tzinfo=CST)
STAGE3 = date(2020, 3, 1)
DAYS = 21
EXPIRES = date(2023, 6, 30)
ISSUERS = {
    "counseling_certificate": "Zhejiang Provincial Psychological Counseling Association",
    "medical_licence": "Zhejiang Provincial Health Commission",
}
GROUPS = ["patient", "family", "quarantined", "health_worker", "other"]
TOPICS = ["anxiety", "low_mood", "grief", "sleep", "family", "work", "isolation"]


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=CST)


def _clock(ctx, moment: datetime) -> None:
    if settings.COPRODUCE_EXERCISE:
        exercise_clock_set(moment=moment, actor=ctx.users["admin"])


def _name(ctx) -> str:
    return ctx.rng.choice(SURNAMES) + ctx.rng.choice(GIVEN) + ctx.rng.choice(GIVEN)


def _staff(ctx, org, username, role, kind, *, password=None, supervisor=None, specialties=()):
    """A practitioner of `org` (an account, membership, profile and verified credential)."""
    admin = ctx.users["admin"]
    user = ctx.users.get(username) or user_create(
        username=username,
        password=password,
        check_password=False,
        actor=admin,
        roles=[RoleSpec(role, org.home_region_id, org.pk)],
    )
    if username not in ctx.users:
        member_add(organization=org, user=user, actor=admin, kind="volunteer")
    ctx.users[username] = user
    services.practitioner_register(
        user=user,
        organization=org,
        kind=kind,
        display_name=_name(ctx),
        languages=["zh", "en"] if ctx.rng.random() < 0.3 else ["zh"],
        specialties=list(specialties),
        availability="weekdays 08:00-20:00",
        supervisor=supervisor,
        phone=f"139{ctx.rng.randint(10_000_000, 99_999_999)}",
        actor=admin,
    )
    if kind in ("counselor", "clinician"):
        credential_kind = "counseling_certificate" if kind == "counselor" else "medical_licence"
        credential = services.credential_record(
            user=user,
            organization=org,
            kind=credential_kind,
            number=f"{'XL' if kind == 'counselor' else 'YS'}-{ctx.rng.randint(100000, 999999)}",
            issuer=ISSUERS[credential_kind],
            expires_on=EXPIRES,
            actor=admin,
        )
        services.credential_verify(credential=credential, state="verified", actor=admin)
    return user


def _answers(ctx, instrument: str) -> list[int]:
    """Mostly minimal-to-moderate answers, as a hotline sees; item 9 left at 0 (crises are set)."""
    items = 9 if instrument == "phq9" else 7
    level = ctx.rng.choice([0, 0, 0, 1, 1, 1, 1, 2])
    answers = [max(0, min(3, level + ctx.rng.choice([-1, 0, 0, 1]))) for _ in range(items)]
    if instrument == "phq9":
        answers[8] = 0
    return answers


def run(ctx) -> None:
    deqing, xiaoci = ctx.orgs["deqing-mental-health"], ctx.orgs["jiaxing-xiaoci"]
    wenling = ctx.orgs["wenling-medical"]
    _clock(ctx, _at(date(2020, 2, 1), 9))

    # Deqing's hotline: a supervisor and three counselors taking the day's three shifts.
    supervisor = _staff(
        ctx, deqing, "care_supervisor", "counselor", "counselor", password=ctx.password
    )
    on_shift = [
        _staff(ctx, deqing, "deqing-night", "counselor", "counselor", supervisor=supervisor),
        _staff(ctx, deqing, "counselor", "counselor", "counselor", supervisor=supervisor),
        _staff(ctx, deqing, "deqing-evening", "counselor", "counselor", supervisor=supervisor),
    ]
    day = date(2020, 2, 1)
    while day <= date(2020, 3, 31):
        for n, counselor in enumerate(on_shift):
            services.duty_shift_add(
                organization=deqing,
                counselor=counselor,
                starts_at=_at(day, 8 * n),
                ends_at=_at(day, 8 * n) + timedelta(hours=8),
                actor=supervisor,
            )
        day += timedelta(days=1)

    # Jiaxing's Xiaoci center: 21 certified counselors and social workers online.
    lead = _staff(ctx, xiaoci, "xiaoci-01", "counselor", "counselor")
    xiaoci_counselors = [lead] + [
        _staff(ctx, xiaoci, f"xiaoci-{n:02d}", "counselor", "counselor", supervisor=lead)
        for n in range(2, 13)
    ]
    social_workers = [
        _staff(ctx, xiaoci, f"xiaoci-{n:02d}", "counselor", "social_worker", supervisor=lead)
        for n in range(13, 22)
    ]

    # Wenling's Voluntary Clinic: volunteer doctors with verified licences.
    doctors = [
        _staff(ctx, wenling, "clinician", "clinician", "clinician", specialties=["respiratory"]),
        *[
            _staff(
                ctx,
                wenling,
                f"wenling-doctor-{n}",
                "clinician",
                "clinician",
                specialties=[specialty],
            )  # fmt: skip
            for n, specialty in enumerate(["pediatrics", "internal medicine", "psychiatry"], 1)
        ],
    ]

    # Stage 3: the slots of three weeks offered the day before they open.
    _clock(ctx, _at(STAGE3 - timedelta(days=1), 9))
    slots_by_day = {}
    for d in range(DAYS):
        day = STAGE3 + timedelta(days=d)
        slots_by_day[day] = [
            services.slot_offer(
                actor=doctor,
                service="clinic",
                starts_at=_at(day, 19, 0) + timedelta(minutes=20 * k),
                ends_at=_at(day, 19, 20) + timedelta(minutes=20 * k),
                specialty=doctor.care_practitioner.specialties[0],
                mode="online" if k % 2 else "in_person",
                place="" if k % 2 else "温岭市第一人民医院志愿门诊",
            )
            for doctor in doctors
            for k in range(3)
        ]

    coordinator = ctx.users["coordinator"]
    people = ctx.people[1:]
    scale = max(ctx.scale, 0.05)
    sessions = screenings = consultations = 0
    for d in range(DAYS):
        day = STAGE3 + timedelta(days=d)
        # Hotline calls through the day, by the counselor on duty at Deqing and Xiaoci's team.
        for hour in range(9, 22, 2):
            for counselor in (
                on_shift[1] if hour < 16 else on_shift[2],
                ctx.rng.choice(xiaoci_counselors),
            ):
                if ctx.rng.random() > scale * 0.9:
                    continue
                _clock(ctx, _at(day, hour, ctx.rng.randint(0, 50)))
                instrument = ctx.rng.choice(["phq9", "phq9", "gad7", None])
                services.session_log(
                    actor=counselor,
                    group=ctx.rng.choice(GROUPS),
                    topic=ctx.rng.choice(TOPICS),
                    channel=ctx.rng.choice(["hotline", "hotline", "online"]),
                    outcome=ctx.rng.choice(
                        [
                            "listened, coping tips",
                            "breathing exercise",
                            "referred to online group",
                            "sleep hygiene",
                        ]
                    ),  # fmt: skip
                    follow_up=ctx.rng.choice(["none", "none", "callback", "appointment"]),
                    minutes=ctx.rng.randint(8, 40),
                    screening=services.ScreeningInput(instrument, _answers(ctx, instrument))
                    if instrument
                    else None,
                )
                sessions += 1
                screenings += instrument is not None
        # The clinic's evening: about half the slots booked (by the community workers, for
        # residents without phones), the consultations recorded, some feedback.
        _clock(ctx, _at(day, 12))
        booked = []
        for slot in slots_by_day[day]:
            if ctx.rng.random() < 0.5 * min(1.0, scale * 2):
                person = ctx.rng.choice(people)
                booked.append(
                    services.booking_create(
                        slot=slot, resident=person, actor=coordinator, by_proxy=True
                    )
                )
        for booking in booked:
            _clock(ctx, booking.slot.starts_at + timedelta(minutes=15))
            if ctx.rng.random() < 0.1:
                services.booking_mark(
                    booking=booking, status="no_show", actor=booking.slot.provider
                )
                continue
            referral = ctx.rng.choice(["none"] * 6 + ["hospital", "counselor"])
            services.consultation_record(
                booking=booking,
                summary=ctx.rng.choice(
                    [
                        "cough, no fever: rest and fluids",
                        "anxiety about the epidemic",
                        "chronic hypertension: prescription renewed",
                        "child's rash",
                    ]
                ),  # fmt: skip
                referral=referral,
                referral_to={
                    "none": "",
                    "hospital": "温岭市第一人民医院",
                    "counselor": "德清县心理卫生协会",
                }[referral],
                actor=booking.slot.provider,
            )
            consultations += 1

    # One crisis in the night of 2020-03-08: item 9 answered, nobody acknowledges in 15 minutes,
    # the supervisor is alerted, takes it and records the follow-up.
    night = date(2020, 3, 8)
    _clock(ctx, _at(night, 2, 10))
    _session, screening = services.session_log(
        actor=on_shift[0],
        group="quarantined",
        topic="low_mood",
        callback_phone="13900001111",
        outcome="kept on the line, safety plan",
        follow_up="callback",
        minutes=35,
        screening=services.ScreeningInput("phq9", [2, 3, 2, 2, 1, 2, 1, 1, 1]),
    )
    _clock(ctx, _at(night, 2, 27))
    services.alerts_escalate(actor=None)
    alert = Alert.objects.get(screening=screening)
    _clock(ctx, _at(night, 2, 29))
    services.alert_acknowledge(alert=alert, actor=supervisor)
    _clock(ctx, _at(night, 3, 15))
    services.alert_follow_up(
        alert=alert,
        outcome="called back with the night counselor; family with them",
        actor=supervisor,
    )

    # Social work: Xiaoci's social workers follow patients, families and health workers.
    for n, worker in enumerate(social_workers):
        _clock(ctx, _at(STAGE3 + timedelta(days=n), 10))
        case = services.case_open(
            actor=worker,
            group=["patient", "family", "health_worker"][n % 3],
            needs=ctx.rng.sample(["groceries", "medicine", "counseling", "money", "care"], 2),
        )
        for v in range(1, 3):
            _clock(ctx, _at(STAGE3 + timedelta(days=n + 2 * v), 15))
            services.case_visit(
                case=case, kind=ctx.rng.choice(["home", "phone", "hospital"]), actor=worker
            )
        services.case_refer(
            case=case, to=ctx.rng.choice(["deliveries", "counseling", "relief"]), actor=worker
        )

    # Back on the demo's day: open slots for the demo resident, and a fresh crisis alert for
    # the on-duty `counselor` (08:00-16:00) to acknowledge.
    _clock(ctx, DEMO_NOW - timedelta(hours=1))
    for d in range(1, 4):
        for doctor in doctors[:2]:
            for k in range(2):
                start = _at(DEMO_NOW.date() + timedelta(days=d), 9 + k)
                services.slot_offer(
                    actor=doctor,
                    service="clinic",
                    starts_at=start,
                    ends_at=start + timedelta(minutes=20),
                    specialty=doctor.care_practitioner.specialties[0],
                    mode="online",
                )
        start = _at(DEMO_NOW.date() + timedelta(days=d), 14)
        services.slot_offer(
            actor=on_shift[1],
            service="counseling",
            starts_at=start,
            ends_at=start + timedelta(minutes=45),
            specialty="anxiety, sleep",
            mode="online",
        )
    _clock(ctx, DEMO_NOW - timedelta(minutes=4))
    services.session_log(
        actor=on_shift[0],
        group="health_worker",
        topic="low_mood",
        callback_phone="13900002222",
        outcome="handed to the day shift",
        follow_up="callback",
        minutes=20,
        screening=services.ScreeningInput("phq9", [1, 2, 1, 1, 0, 1, 0, 0, 1]),
    )
    _clock(ctx, DEMO_NOW)
    ctx.log.append(
        f"care: Deqing hotline and roster, Xiaoci's 21 counselors and social workers, Wenling's "
        f"clinic with {len(doctors)} doctors; {sessions} sessions, {screenings} screenings, "
        f"{consultations} consultations from 2020-03-01; 1 alert escalated and followed up"
    )
