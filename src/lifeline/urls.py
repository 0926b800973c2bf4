from django.contrib import admin
from django.urls import include, path

from lifeline.api import api
from lifeline.core import views as core_views

urlpatterns = [
    path("", include(("lifeline.core.urls", "core"))),
    path("accounts/", include("lifeline.accounts.urls")),
    path("", include("lifeline.cases.urls")),
    path("", include("lifeline.people.urls")),
    path("", include("lifeline.privacy.urls")),
    path("", include("lifeline.evidence.urls")),
    path("", include("lifeline.sites.urls")),
    path("api/v1/", api.urls),
    path("platform-admin/", admin.site.urls),
    path("healthz", core_views.healthz),
]
