"""The JSON API of Dashboards."""

from ninja import Router

router = Router(tags=["dashboard"])
