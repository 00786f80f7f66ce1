"""Who may do what: the roles of PRODUCT.md section 1 and the permissions each grants.

One table for the whole platform, so that a reviewer reads every grant in one place. A role is
always held within a region subtree and, where it applies, an organization (see permissions.py).
"""

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
        ("people", {R.CBO_COORDINATOR, R.HEALTH_OFFICIAL, R.TRACER, R.VOLUNTEER}),
        ("health_codes", {R.RESIDENT, R.HEALTH_OFFICIAL, R.CHECKPOINT_STAFF}),
        ("checkpoints", {R.CHECKPOINT_STAFF, R.CBO_COORDINATOR, R.HEALTH_OFFICIAL}),
        ("tracing", {R.TRACER, R.HEALTH_OFFICIAL}),
        ("volunteers", {R.VOLUNTEER, R.CBO_COORDINATOR}),
        ("timebank", {R.VOLUNTEER, R.PARTNER, R.CBO_COORDINATOR}),
        ("relief", {R.CBO_COORDINATOR, R.HEALTH_OFFICIAL}),
        ("deliveries", {R.RESIDENT, R.VOLUNTEER, R.CBO_COORDINATOR}),
        ("recovery", {R.ENTERPRISE_REP, R.ASSOCIATION_STAFF, R.HEALTH_OFFICIAL}),
        ("care", {R.COUNSELOR, R.CLINICIAN, R.RESIDENT}),
        ("organizations", {R.CBO_COORDINATOR, R.HEALTH_OFFICIAL, R.ASSOCIATION_STAFF}),
        ("dashboard", {R.HEALTH_OFFICIAL}),
        ("visits", {R.RESIDENT}),  # checkpoints: record a visit by a place code
        ("admin", {R.ADMIN}),
    ]
    if R.ADMIN in roles:
        return [name for name, _ in order]
    return [name for name, holders in order if holders & roles]
