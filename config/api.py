"""The JSON API under /api/v1: wiring of the apps' routers (each app owns its endpoints)."""

from coproduce.accounts.api import router as accounts_router
from coproduce.accounts.api_auth import API_AUTH
from coproduce.care.api import router as care_router
from coproduce.checkpoints.api import router as checkpoints_router
from coproduce.core.api import CoproduceAPI, install_error_handlers
from coproduce.core.exercise import router as exercise_router
from coproduce.core.health import router as health_router
from coproduce.dashboard.api import router as dashboard_router
from coproduce.deliveries.api import router as deliveries_router
from coproduce.fieldwork.api import router as fieldwork_router
from coproduce.health_codes.api import router as health_codes_router
from coproduce.labor.api import router as labor_router
from coproduce.orgs.api import router as orgs_router
from coproduce.people.api import router as people_router
from coproduce.recovery.api import router as recovery_router
from coproduce.regions.api import router as regions_router
from coproduce.relief.api import router as relief_router
from coproduce.stages.api import router as stages_router
from coproduce.timebank.api import router as timebank_router
from coproduce.tracing.api import router as tracing_router
from coproduce.volunteers.api import router as volunteers_router

api = CoproduceAPI(
    title="Coproduce API",
    version="1",
    description="The JSON API of Coproduce. Errors: {error: {code, message, fields}}.",
    auth=API_AUTH,
    urls_namespace="api-v1",
)
install_error_handlers(api)

# Django tries URL patterns in order: the busiest endpoints (checkpoint scans, many a second at
# every gate) come first, so that a scan is not matched against every other route before its own.
for router in (
    health_router,
    checkpoints_router,
    exercise_router,
    regions_router,
    accounts_router,
    orgs_router,
    people_router,
    fieldwork_router,
    health_codes_router,
    relief_router,
    deliveries_router,
    volunteers_router,
    timebank_router,
    # contact tracing (issue 5)
    tracing_router,
    # stages 2 and 3 (issues 13-15)
    recovery_router,
    labor_router,
    care_router,
    # stages and dashboards (issue 16)
    stages_router,
    dashboard_router,
):
    api.add_router("/", router)
