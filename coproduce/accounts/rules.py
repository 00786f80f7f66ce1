"""Who may do what, and who may try to sign in.

The roles of PRODUCT.md section 1 and the permissions each grants: one table for the whole
platform, so that a reviewer reads every grant in one place. A role is always held within a region
subtree and, where it applies, an organization (see permissions.py).

The limits on failed sign-ins (PRODUCT.md section 4, "rate limits on login"): pure functions of
the failures' times, the time given and the limits (see docs/accounts.md).
"""

import ipaddress
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class Role(StrEnum):
    """The roles of PRODUCT.md section 1."""

    RESIDENT = "resident"
    VOLUNTEER = "volunteer"
    CHECKPOINT_STAFF = "checkpoint_staff"
    CBO_COORDINATOR = "cbo_coordinator"
    TRACER = "tracer"
    HEALTH_OFFICIAL = "health_official"
    ENTERPRISE_REP = "enterprise_rep"
    ASSOCIATION_STAFF = "association_staff"
    COUNSELOR = "counselor"
    CLINICIAN = "clinician"
    PARTNER = "partner"
    ADMIN = "admin"


R = Role
# permission -> the roles that hold it (within their scope). Apps add their permissions here.
PERMISSIONS: dict[str, frozenset[Role]] = {
    # people
    "people.register": frozenset({R.VOLUNTEER, R.CBO_COORDINATOR, R.HEALTH_OFFICIAL, R.TRACER}),
    "people.view": frozenset({R.CBO_COORDINATOR, R.HEALTH_OFFICIAL, R.TRACER}),
    "people.edit": frozenset({R.CBO_COORDINATOR, R.HEALTH_OFFICIAL}),
    "people.merge": frozenset({R.HEALTH_OFFICIAL}),
    "people.duplicates": frozenset({R.CBO_COORDINATOR, R.HEALTH_OFFICIAL}),
    # regions and organizations
    "regions.import": frozenset(),
    "regions.set_risk": frozenset({R.HEALTH_OFFICIAL}),
    "orgs.view": frozenset({R.CBO_COORDINATOR, R.HEALTH_OFFICIAL, R.ASSOCIATION_STAFF}),
    "orgs.manage": frozenset({R.CBO_COORDINATOR}),
    "orgs.verify": frozenset({R.HEALTH_OFFICIAL}),
    # field tasks (tracing, follow-ups, deliveries)
    "tasks.view": frozenset({R.TRACER, R.HEALTH_OFFICIAL, R.CBO_COORDINATOR, R.VOLUNTEER}),
    "tasks.work": frozenset({R.TRACER, R.HEALTH_OFFICIAL, R.CBO_COORDINATOR, R.VOLUNTEER}),
    "tasks.assign": frozenset({R.HEALTH_OFFICIAL, R.CBO_COORDINATOR}),
    # accounts
    "accounts.manage": frozenset(),
    "audit.view": frozenset(),
    # health codes (issue 3)
    "health_codes.view": frozenset({R.HEALTH_OFFICIAL, R.CBO_COORDINATOR, R.TRACER}),
    "health_codes.report": frozenset({R.VOLUNTEER, R.CBO_COORDINATOR, R.HEALTH_OFFICIAL}),
    "health_codes.manage": frozenset({R.HEALTH_OFFICIAL}),
    "health_codes.history": frozenset({R.HEALTH_OFFICIAL}),
    "health_codes.proxy": frozenset({R.CBO_COORDINATOR, R.HEALTH_OFFICIAL}),
    # The printable code card (identity only, no color): whoever sees codes, and the volunteers
    # who register people without phones and file their reports (PRODUCT.md 1).
    "health_codes.card": frozenset({R.HEALTH_OFFICIAL, R.CBO_COORDINATOR, R.TRACER, R.VOLUNTEER}),
    # relief: donations, stock, requests, allocation (issue 7)
    "relief.view": frozenset({R.CBO_COORDINATOR, R.HEALTH_OFFICIAL}),
    "relief.donations": frozenset({R.CBO_COORDINATOR}),
    "relief.stock": frozenset({R.CBO_COORDINATOR}),
    "relief.request": frozenset({R.HEALTH_OFFICIAL, R.CBO_COORDINATOR, R.CHECKPOINT_STAFF}),
    "relief.allocate": frozenset({R.CBO_COORDINATOR}),
    "relief.receive": frozenset({R.HEALTH_OFFICIAL, R.CBO_COORDINATOR, R.CHECKPOINT_STAFF}),
    # deliveries to households in quarantine (issue 7); residents order for their own household
    "deliveries.proxy": frozenset({R.VOLUNTEER, R.CBO_COORDINATOR}),
    "deliveries.view": frozenset({R.VOLUNTEER, R.CBO_COORDINATOR, R.HEALTH_OFFICIAL}),
    "deliveries.manage": frozenset({R.CBO_COORDINATOR}),
    "deliveries.deliver": frozenset({R.VOLUNTEER, R.CBO_COORDINATOR}),
    "deliveries.report": frozenset({R.CBO_COORDINATOR, R.HEALTH_OFFICIAL}),
    # volunteers and the Voluntary Bank (a volunteer's own profile, sign-ups, check-ins, account
    # and redemptions need no permission: they act on their own profile)
    "volunteers.view": frozenset({R.CBO_COORDINATOR, R.HEALTH_OFFICIAL}),
    "volunteers.register": frozenset({R.CBO_COORDINATOR}),
    "volunteers.manage": frozenset({R.CBO_COORDINATOR}),
    "volunteers.records": frozenset({R.CBO_COORDINATOR, R.HEALTH_OFFICIAL, R.CHECKPOINT_STAFF}),
    "volunteers.void": frozenset({R.HEALTH_OFFICIAL}),
    "volunteers.report": frozenset({R.CBO_COORDINATOR, R.HEALTH_OFFICIAL}),
    "timebank.view": frozenset({R.CBO_COORDINATOR, R.HEALTH_OFFICIAL}),
    "timebank.partners": frozenset({R.HEALTH_OFFICIAL}),
    "timebank.partner": frozenset({R.PARTNER}),
    # contact tracing and quarantine (issue 5)
    "tracing.cases.view": frozenset({R.HEALTH_OFFICIAL}),
    "tracing.cases.manage": frozenset({R.HEALTH_OFFICIAL}),
    "tracing.contacts.view": frozenset({R.HEALTH_OFFICIAL, R.TRACER}),
    "tracing.contacts.add": frozenset({R.HEALTH_OFFICIAL, R.TRACER}),
    "tracing.rounds.start": frozenset({R.HEALTH_OFFICIAL}),
    "tracing.orders.view": frozenset({R.HEALTH_OFFICIAL}),
    "tracing.orders.manage": frozenset({R.HEALTH_OFFICIAL}),
    "tracing.progress.view": frozenset({R.HEALTH_OFFICIAL}),
    # checkpoints (issue 4): staff scan at their organization's checkpoints; coordinators and
    # officials open checkpoints, plan shifts and read the statistics.
    "checkpoints.view": frozenset({R.CHECKPOINT_STAFF, R.CBO_COORDINATOR, R.HEALTH_OFFICIAL}),
    "checkpoints.manage": frozenset({R.CBO_COORDINATOR, R.HEALTH_OFFICIAL}),
    "checkpoints.scan": frozenset({R.CHECKPOINT_STAFF, R.CBO_COORDINATOR}),
    "checkpoints.stats": frozenset({R.CBO_COORDINATOR, R.HEALTH_OFFICIAL}),
    # enterprise recovery (issue 13): representatives act for their own enterprises, association
    # staff for their association's members, officials read their region (docs/recovery.md)
    "recovery.view": frozenset({R.ENTERPRISE_REP, R.ASSOCIATION_STAFF, R.HEALTH_OFFICIAL}),
    "recovery.enterprises": frozenset({R.ENTERPRISE_REP, R.ASSOCIATION_STAFF, R.HEALTH_OFFICIAL}),
    "recovery.parks": frozenset({R.HEALTH_OFFICIAL}),
    "recovery.report": frozenset({R.ENTERPRISE_REP, R.ASSOCIATION_STAFF}),
    "recovery.aggregates": frozenset({R.HEALTH_OFFICIAL, R.ASSOCIATION_STAFF}),
    "recovery.procure": frozenset({R.ASSOCIATION_STAFF}),
    "recovery.board": frozenset({R.ENTERPRISE_REP, R.ASSOCIATION_STAFF}),
    "recovery.services": frozenset({R.ENTERPRISE_REP, R.ASSOCIATION_STAFF}),
    "recovery.services.manage": frozenset({R.ASSOCIATION_STAFF}),
    # labor sharing (issue 14): representatives post and accept for their own enterprises,
    # association staff post for members and run the matching, officials run it and read
    "labor.view": frozenset({R.ENTERPRISE_REP, R.ASSOCIATION_STAFF, R.HEALTH_OFFICIAL}),
    "labor.post": frozenset({R.ENTERPRISE_REP, R.ASSOCIATION_STAFF}),
    "labor.accept": frozenset({R.ENTERPRISE_REP}),
    "labor.match": frozenset({R.ASSOCIATION_STAFF, R.HEALTH_OFFICIAL}),
    "labor.map": frozenset({R.ENTERPRISE_REP, R.ASSOCIATION_STAFF, R.HEALTH_OFFICIAL}),
    "labor.skills": frozenset(),  # admins extend the skill catalogue
    # care: counseling and the Voluntary Clinic (issue 15)
    # (records themselves are seen by their counselor or clinician and supervisors only, whatever
    # the role: care/selectors.py; these grant the work and the counts)
    "care.credentials.record": frozenset({R.CBO_COORDINATOR}),
    "care.credentials.verify": frozenset({R.HEALTH_OFFICIAL}),
    "care.counsel": frozenset({R.COUNSELOR}),
    "care.clinic": frozenset({R.CLINICIAN}),
    "care.social_work": frozenset({R.COUNSELOR, R.CLINICIAN}),
    "care.roster": frozenset({R.CBO_COORDINATOR, R.COUNSELOR}),
    "care.proxy": frozenset({R.VOLUNTEER, R.CBO_COORDINATOR}),
    "care.counts": frozenset({R.HEALTH_OFFICIAL}),
    # response stages and dashboards (issue 16)
    "stages.set": frozenset({R.HEALTH_OFFICIAL}),
    "dashboard.view": frozenset({R.HEALTH_OFFICIAL}),
}


def roles_granting(permission: str) -> frozenset[Role]:
    """The roles that hold `permission`; an admin holds every permission."""
    try:
        return PERMISSIONS[permission] | {Role.ADMIN}
    except KeyError:
        raise KeyError(f"unknown permission {permission!r}: add it to accounts.rules") from None


def home_modules(roles: set[Role]) -> list[str]:
    """The modules a person with these roles works with, in the order the home page lists them."""
    order = [
        ("resident", {R.RESIDENT}),
        ("people", {R.CBO_COORDINATOR, R.HEALTH_OFFICIAL, R.TRACER}),
        ("register", {R.VOLUNTEER}),  # health codes: register a neighbour by proxy (issue 17)
        ("health_codes", {R.HEALTH_OFFICIAL, R.CBO_COORDINATOR, R.TRACER}),
        ("checkpoints", {R.CHECKPOINT_STAFF, R.CBO_COORDINATOR, R.HEALTH_OFFICIAL}),
        ("tracing", {R.TRACER, R.HEALTH_OFFICIAL}),
        ("volunteers", {R.VOLUNTEER, R.CBO_COORDINATOR}),
        ("timebank", {R.VOLUNTEER}),
        ("partner", {R.PARTNER}),  # timebank: the partner's desk (issue 17)
        ("relief", {R.CBO_COORDINATOR, R.HEALTH_OFFICIAL}),
        ("deliveries", {R.RESIDENT, R.VOLUNTEER, R.CBO_COORDINATOR}),
        ("recovery", {R.ENTERPRISE_REP, R.ASSOCIATION_STAFF, R.HEALTH_OFFICIAL}),
        ("labor", {R.ENTERPRISE_REP, R.ASSOCIATION_STAFF, R.HEALTH_OFFICIAL}),
        ("care", {R.COUNSELOR, R.CLINICIAN, R.RESIDENT, R.HEALTH_OFFICIAL, R.CBO_COORDINATOR}),
        ("organizations", {R.CBO_COORDINATOR, R.HEALTH_OFFICIAL, R.ASSOCIATION_STAFF}),
        ("dashboard", {R.HEALTH_OFFICIAL}),
        ("stages", {R.HEALTH_OFFICIAL}),
        ("visits", {R.RESIDENT}),  # checkpoints: record a visit by a place code
        ("admin", {R.ADMIN}),
    ]
    if R.ADMIN in roles:
        return [name for name, _ in order]
    return [name for name, holders in order if holders & roles]


# --- sign-in limits (PRODUCT.md section 4) -------------------------------------------------------


class SignInLimit(StrEnum):
    """What a failed sign-in is counted against (docs/accounts.md, "Limits on failed sign-ins")."""

    # A username tried from one address: the guesser's own lock, never the account owner's.
    PAIR = "pair"
    # Every username tried from one address: password spraying.
    ADDRESS = "address"
    # A username tried from anywhere: only a guesser with many addresses reaches it.
    USERNAME = "username"
    # A username tried from a browser it has signed in from before (a signed device cookie).
    DEVICE = "device"


# Which limits an attempt answers to: one from a known device only to that device's own count,
# so that no one elsewhere can lock its owner out; any other to the pair, address and username.
KNOWN_DEVICE_LIMITS = (SignInLimit.DEVICE,)
UNKNOWN_DEVICE_LIMITS = (SignInLimit.PAIR, SignInLimit.ADDRESS, SignInLimit.USERNAME)


@dataclass(frozen=True)
class SignInLimits:
    """Failed sign-ins allowed per key within a sliding window.

    The username-wide allowance is well above what one address may spend (`per_pair`, then
    `per_address`), so that it locks only a guesser spread over many addresses; even then, its
    owner still signs in from a browser they signed in from before (DEVICE).
    """

    per_pair: int = 5
    per_address: int = 30
    per_username: int = 50
    per_device: int = 5
    window: timedelta = timedelta(minutes=15)

    def __post_init__(self):
        if min(self.per_pair, self.per_address, self.per_username, self.per_device) < 1:
            raise ValueError("a sign-in limit allows at least one failure")
        if self.window <= timedelta(0):
            raise ValueError("the sign-in window must be longer than zero")

    def allowed(self, limit: SignInLimit) -> int:
        """How many failures `limit` allows within the window."""
        return {
            SignInLimit.PAIR: self.per_pair,
            SignInLimit.ADDRESS: self.per_address,
            SignInLimit.USERNAME: self.per_username,
            SignInLimit.DEVICE: self.per_device,
        }[SignInLimit(limit)]


def sign_in_limits_applying(*, known_device: bool) -> tuple[SignInLimit, ...]:
    """Rule: the limits an attempt is checked and counted against."""
    return KNOWN_DEVICE_LIMITS if known_device else UNKNOWN_DEVICE_LIMITS


def locked_until(
    failures: Iterable[datetime], *, now: datetime, allowed: int, window: timedelta
) -> datetime | None:
    """When a key with these failures may try again, or None if it may try at `now`.

    A failure counts while `now` is less than one window after it; `allowed` failures lock the
    key until the oldest of the newest `allowed` of them leaves the window. Failures later than
    `now` count too: another web host's clock may run a little ahead, and a failure it recorded
    must not be ignored. The answer needs only the newest `allowed` failures, so the database
    never has to return more.
    """
    recent = sorted(at for at in failures if at > now - window)
    if len(recent) < allowed:
        return None
    return recent[len(recent) - allowed] + window


@dataclass(frozen=True)
class SignInVerdict:
    """Whether an attempt may have its password checked; if not, which limits lock it, how long."""

    until: dict[SignInLimit, datetime]

    @property
    def allowed(self) -> bool:
        return not self.until

    @property
    def limits(self) -> tuple[SignInLimit, ...]:
        """The limits that lock the attempt, in the enum's order."""
        return tuple(limit for limit in SignInLimit if limit in self.until)

    @property
    def retry_at(self) -> datetime | None:
        """The moment every lock is over (the attempt must wait for all of them)."""
        return max(self.until.values()) if self.until else None


def sign_in_verdict(
    *,
    failures: Mapping[SignInLimit, Iterable[datetime]],
    known_device: bool = False,
    now: datetime,
    limits: SignInLimits,
) -> SignInVerdict:
    """Rule: an attempt is allowed unless a limit that applies to it has used up its failures."""
    until = {}
    for limit in sign_in_limits_applying(known_device=known_device):
        moment = locked_until(
            failures.get(limit, ()), now=now, allowed=limits.allowed(limit), window=limits.window
        )
        if moment is not None:
            until[limit] = moment
    return SignInVerdict(until=until)


def sign_in_newly_locked(before: SignInVerdict, after: SignInVerdict) -> tuple[SignInLimit, ...]:
    """The limits that a failure locked: locked after it, not before it."""
    return tuple(limit for limit in after.limits if limit not in before.until)


def sign_in_username_key(username: str) -> str:
    """The username a failure counts against: NFKC (as Django's login form) and case-folded.

    Case-folded so that `Admin` and `admin` share one quota even on a database or backend that
    matches usernames without regard to case.
    """
    return unicodedata.normalize("NFKC", username).strip().casefold()


def sign_in_address_key(address: str | None) -> str:
    """The client address a failure counts against: an IPv4 address, or an IPv6 /64 network.

    One IPv6 subscriber usually holds a whole /64: counting single addresses would give them
    2**64 quotas. An IPv4 address mapped into IPv6 counts as that IPv4 address.
    """
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return "unknown"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)
