"""The home page's tiles and the navigation every page carries: only what the caller can open.

A tile is shown when three things hold: the caller's roles list the module (`rules.home_modules`),
the module's first page is installed in this deployment (its URL name resolves: apps still being
built appear once their pages exist), and, where the page asks for a permission, the caller holds
it somewhere. So no tile and no navigation link leads to a refusal.
"""

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from coproduce.accounts.permissions import scope_for, user_roles
from coproduce.accounts.rules import PERMISSIONS, Role, home_modules
from coproduce.accounts.signals import home_modules_ordering


@dataclass(frozen=True)
class Module:
    """One tile of the home page: its words, its first page and what that page asks for."""

    title: Promise
    short: Promise  # the bottom bar of a phone has room for a word or two
    text: Promise
    url_name: str
    permission: str = ""  # the page's permission, if any: the tile needs it somewhere
    personal: bool = False  # the caller's own things (their code, their hours): not for admins


MODULES = {
    "resident": Module(
        _("My health code"),
        _("My code"),
        _("Your code, daily report and declaration."),
        "health_codes:mine",
        personal=True,
    ),
    "people": Module(
        _("People"),
        _("People"),
        _("Register residents, by proxy too; households; duplicates."),
        "people:list",
        "people.view",
    ),
    "register": Module(
        _("Register a resident"),
        _("Register"),
        _("Register a neighbour without a smartphone and print their code card."),
        "health_codes:register",
        "people.register",
    ),
    "health_codes": Module(
        _("Health codes"),
        _("Codes"),
        _("Codes by color, appeals, a person's code history."),
        "health_codes:officials",
        "health_codes.view",
    ),
    "checkpoints": Module(
        _("Checkpoints"),
        _("Checkpoints"),
        _("Scan codes, take temperatures, staff shifts."),
        "checkpoints:list",
        "checkpoints.view",
    ),
    "tracing": Module(
        _("Contact tracing"),
        _("Tracing"),
        _("Cases, contacts, rounds and tasks."),
        "tracing:tasks",
        "tasks.view",
    ),
    "volunteers": Module(
        _("Volunteers"),
        _("Volunteers"),
        _("Calls for volunteers, teams and service records."),
        "volunteers:home",
    ),
    "timebank": Module(
        _("Voluntary Bank"),
        _("Hours"),
        _("Hours earned, given and redeemed."),
        "timebank:home",
        personal=True,
    ),
    "partner": Module(
        _("Voluntary Bank partner desk"),
        _("Partner desk"),
        _("Confirm the redemptions of hours at your business."),
        "timebank:partner",
        "timebank.partner",
    ),
    "relief": Module(
        _("Donations and supplies"),
        _("Supplies"),
        _("Campaigns, stock, requests and allocation."),
        "relief:home",
        "relief.view",
    ),
    "deliveries": Module(
        _("Deliveries"),
        _("Deliveries"),
        _("Groceries and medicine for households in quarantine."),
        "deliveries:home",
    ),
    "recovery": Module(
        _("Enterprise recovery"),
        _("Recovery"),
        _("Resumption, procurement and labor sharing."),
        "recovery:home",
    ),
    "labor": Module(
        _("Labor sharing"),
        _("Labor"),
        _("Surplus workers and shortages, matched between enterprises."),
        "labor:home",
    ),
    "care": Module(
        _("Counseling and clinic"),
        _("Care"),
        _("Hotline, sessions and the voluntary clinic."),
        "care:home",
    ),
    "organizations": Module(
        _("Organizations"),
        _("Organizations"),
        _("Community organizations and their members."),
        "orgs:list",
        "orgs.view",
    ),
    "dashboard": Module(
        _("Dashboard"),
        _("Dashboard"),
        _("The overview of your region."),
        "dashboard:home",
        "dashboard.view",
    ),
    "stages": Module(
        _("Response stage"),
        _("Stage"),
        _("Your region's stage, what each stage asks of organizations, suggested changes."),
        "stages:home",
        "stages.set",
    ),
    "admin": Module(
        _("Back office"),
        _("Back office"),
        _("Users, roles, regions and the audit trail."),
        "admin:index",
    ),
    "visits": Module(
        _("Visits"),
        _("Visits"),
        _("Record a visit by scanning a place code."),
        "checkpoints:visit",
        personal=True,
    ),
}


def _url(url_name: str) -> str | None:
    try:
        return reverse(url_name)
    except NoReverseMatch:
        return None  # the module's pages are not built (or not installed) here: no tile


def _may_open(user, roles: set[Role], name: str, module: Module) -> bool:
    if name == "admin":
        return bool(user.is_staff)  # Django's back office lets staff accounts in only
    if module.personal and name not in home_modules(roles - {Role.ADMIN}):
        # An administrator sees every module, but has no code or hours of their own unless
        # the account also holds the role that has them.
        return False
    if module.permission in PERMISSIONS:  # a permission of a module not built yet: not checked
        return not scope_for(user, module.permission).empty
    return True


def _ordered(user, roles: set[Role]) -> tuple[list[str], dict | None]:
    """The module names in the home page's order; the apps above may reorder them (the response
    stages put the current stage's modules first) and add a banner, through a signal."""
    names, banner = home_modules(roles), None
    for _receiver, answer in home_modules_ordering.send(sender=None, user=user, modules=names):
        if answer:
            names, banner = answer["modules"], answer.get("banner")
    return names, banner


def modules_for(user, *, with_banner: bool = False):
    """The caller's tiles in the home page's order: {name, title, short, text, url} (and, with
    `with_banner`, the banner an app above asked for, as a second value)."""
    if not getattr(user, "is_authenticated", False):
        return ([], None) if with_banner else []
    roles = user_roles(user)
    names, banner = _ordered(user, roles)
    tiles = []
    for name in names:
        module = MODULES.get(name)
        if module is None or not _may_open(user, roles, name, module):
            continue
        url = _url(module.url_name)
        if url is None:
            continue
        tiles.append(
            {
                "name": name,
                "title": module.title,
                "short": module.short,
                "text": module.text,
                "url": url,
            }
        )
    return (tiles, banner) if with_banner else tiles


def navigation(request: HttpRequest) -> dict:
    """Template context of every page: the caller's modules, the current one and the way back."""
    modules = modules_for(getattr(request, "user", None))
    path = request.path
    current = None
    for tile in modules:
        inside = tile["url"] != "/" and path.startswith(tile["url"])
        if inside and (current is None or len(tile["url"]) > len(current["url"])):
            current = tile
    home = reverse("home")
    if path == home:
        up = None
    elif current is not None and path != current["url"]:
        up = {"url": current["url"], "title": current["title"]}
    else:
        up = {"url": home, "title": _("Home")}
    return {"nav": {"modules": modules, "current": current, "up": up}}
