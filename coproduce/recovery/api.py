"""The JSON API of Enterprise recovery."""

from ninja import Router

router = Router(tags=["recovery"])
