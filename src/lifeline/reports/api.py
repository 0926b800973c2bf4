from ninja import Router

router = Router(tags=["reports"])

# --- Imports, investigators' export, print (lifeline.reports.importing, ftm, printing) -------
from lifeline.reports.ftm_views import router as ftm_router  # noqa: E402
from lifeline.reports.importing.api import router as importing_router  # noqa: E402

router.add_router("", importing_router)
router.add_router("", ftm_router)

from lifeline.reports.printing_views import router as printing_router  # noqa: E402

router.add_router("", printing_router)
# --- end of imports, investigators' export, print ---------------------------------------------
