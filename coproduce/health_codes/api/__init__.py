"""Health codes over JSON: risk levels, daily reports, the code, QR images, trust list, verify,
conditions, appeals and family proxies.

One router (`router`, mounted by config/api.py) shared by parts split by concern; the helpers
that the pages use (views.py) are re-exported here.
"""

# The parts register their endpoints when imported: this order is the order of the URL
# patterns and of the reference (/api/v1/docs), as in the single module it was.
# isort: off
from coproduce.health_codes.api import risk, reports, codes, trust, conditions, appeals, proxies

# isort: on
from coproduce.health_codes.api.base import person_for_request, proxy_for_request, router
from coproduce.health_codes.api.codes import code_out, current_state

# The schema's operation ids stay those of the single module (ninja derives them from the view's
# module): clients generated from /api/v1/openapi.json keep their method names.
for _path_view in router.path_operations.values():
    for _operation in _path_view.operations:
        _operation.operation_id = (
            _operation.operation_id or f"coproduce_health_codes_api_{_operation.view_func.__name__}"
        )

__all__ = [
    "appeals",
    "codes",
    "conditions",
    "proxies",
    "reports",
    "risk",
    "trust",
    "code_out",
    "current_state",
    "person_for_request",
    "proxy_for_request",
    "router",
]
