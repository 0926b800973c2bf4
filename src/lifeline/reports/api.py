"""The reports API: the dashboard and statistical exports, imports, the investigators' export
and printing, each in its own module's router."""

from ninja import Router

from lifeline.reports.ctdc_api import router as ctdc_router
from lifeline.reports.dashboard_api import router as dashboard_router
from lifeline.reports.ftm_views import router as ftm_router
from lifeline.reports.importing.api import router as importing_router
from lifeline.reports.printing_views import router as printing_router

router = Router(tags=["reports"])
router.add_router("", dashboard_router)
router.add_router("", ctdc_router)
router.add_router("", importing_router)
router.add_router("", ftm_router)
router.add_router("", printing_router)
