from django.urls import path

from lifeline.reports import ctdc_views, dashboard_views, ftm_views, printing_views
from lifeline.reports.importing import views as importing

app_name = "reports"
urlpatterns = [
    # The dashboard and the statistical exports.
    path("reports/", dashboard_views.dashboard_page, name="dashboard"),
    path("reports/refresh/", dashboard_views.dashboard_refresh, name="dashboard_refresh"),
    path("reports/dashboard/<slug:chart>.csv", dashboard_views.dashboard_csv, name="dashboard_csv"),
    path("reports/ctdc/", ctdc_views.ctdc_preview, name="ctdc_preview"),
    path("reports/ctdc/export.zip", ctdc_views.ctdc_download, name="ctdc_download"),
    # Imports, the investigators' export, print.
    path("imports/", importing.import_list, name="import_list"),
    path("imports/<uuid:uid>/", importing.import_detail, name="import_detail"),
    path("imports/<uuid:uid>/confirm/", importing.import_confirm, name="import_confirm"),
    path("imports/<uuid:uid>/rollback/", importing.import_rollback, name="import_rollback"),
    path("imports/<uuid:uid>/abandon/", importing.import_abandon, name="import_abandon"),
    path("exports/investigators/", ftm_views.ftm_page, name="ftm"),
    path("exports/investigators/download/", ftm_views.ftm_download, name="ftm_download"),
    path("print/cases/<uuid:uid>/", printing_views.case_print, name="case_print"),
    path(
        "print/cases/<uuid:uid>/pdf/",
        printing_views.case_print,
        {"fmt": "pdf"},
        name="case_print_pdf",
    ),
    path("print/sites/<uuid:uid>/", printing_views.site_print, name="site_print"),
    path(
        "print/sites/<uuid:uid>/pdf/",
        printing_views.site_print,
        {"fmt": "pdf"},
        name="site_print_pdf",
    ),
]
