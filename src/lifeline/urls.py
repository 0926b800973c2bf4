from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from lifeline.api import api
from lifeline.core import views as core_views
from lifeline.intake import views as intake_views
from lifeline.screening import public as screening_public

urlpatterns = [
    # The public pages and the API first: a burst of SOS posts and bridge messages then
    # resolves in a few pattern tests instead of after every internal page's.
    path(settings.LIFELINE_INTAKE_PATH, intake_views.sos, name="intake_sos"),
    path(settings.LIFELINE_CHECKIN_PATH, intake_views.check_in, name="intake_check_in"),
    path(settings.LIFELINE_JOB_CHECK_PATH, screening_public.job_check, name="job_check"),
    path("api/v1/", api.urls),
    path("", include(("lifeline.core.urls", "core"))),
    path("accounts/", include("lifeline.accounts.urls")),
    path("", include("lifeline.cases.urls")),
    path("", include("lifeline.people.urls")),
    path("", include("lifeline.privacy.urls")),
    path("", include("lifeline.evidence.urls")),
    path("", include("lifeline.screening.urls")),
    path("", include("lifeline.linkage.urls")),
    path("", include("lifeline.intake.urls")),
    path("", include("lifeline.sites.urls")),
    path("", include("lifeline.sharing.urls")),
    path("", include("lifeline.reports.urls")),
    path("platform-admin/", admin.site.urls),
    path("healthz", core_views.healthz),
]
