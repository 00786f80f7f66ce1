"""The JSON API of Response stages."""

from ninja import Router

router = Router(tags=["stages"])
