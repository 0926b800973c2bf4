from django.urls import path

from lifeline.reports import ctdc_views, dashboard_views

app_name = "reports"
urlpatterns: list = [
    # Dashboard and statistical exports (part A)
    path("reports/", dashboard_views.dashboard_page, name="dashboard"),
    path("reports/refresh/", dashboard_views.dashboard_refresh, name="dashboard_refresh"),
    path("reports/dashboard/<slug:chart>.csv", dashboard_views.dashboard_csv, name="dashboard_csv"),
    path("reports/ctdc/", ctdc_views.ctdc_preview, name="ctdc_preview"),
    path("reports/ctdc/export.zip", ctdc_views.ctdc_download, name="ctdc_download"),
    # End of part A
]
