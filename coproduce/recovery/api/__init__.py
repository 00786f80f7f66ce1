"""The JSON API of enterprise recovery (API.md "Stages 2 and 3"): parks, enterprises,
resumption reports and aggregates, collective procurement, the board, member services, rent
relief. Thin: parsing, the scope, a service or selector, the answer."""

# The parts register on one router, in this order (the URL order).
from coproduce.recovery.api import enterprises, members, procurement  # noqa: F401
from coproduce.recovery.api.base import router

__all__ = ["router"]
