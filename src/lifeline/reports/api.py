from ninja import Router

router = Router(tags=["reports"])

# Dashboard and statistical exports (part A)
from lifeline.reports.ctdc_api import router as ctdc_router  # noqa: E402
from lifeline.reports.dashboard_api import router as dashboard_router  # noqa: E402

router.add_router("", dashboard_router)
router.add_router("", ctdc_router)
# End of part A
