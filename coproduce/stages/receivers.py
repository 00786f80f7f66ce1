"""How stages answer the signals of lower apps."""

from django.urls import reverse

from coproduce.accounts.permissions import scope_for, user_grants
from coproduce.core import clock
from coproduce.regions.selectors import region_get
from coproduce.stages import rules, selectors, texts


def on_home_modules(sender, *, user, modules, **kwargs) -> dict | None:
    """Put the modules of the current stage's roles first, for the region of the user's first role."""
    grants = user_grants(user)
    if not grants:
        return None
    region = region_get(code=grants[0].region_code)
    info = selectors.stage_current(region=region, on=clock.today())
    can_set = scope_for(user, "stages.set").covers(region.path)
    return {
        "modules": rules.modules_first(modules, info.stage),
        "banner": {
            "stage": info.stage,
            "label": texts.stage_label(info.stage),
            "since": info.since,
            "url": reverse("stages:region", args=[region.code]) if can_set else "",
        },
    }
