from django.urls import path

from lifeline.reports import ftm_views
from lifeline.reports.importing import views as importing

app_name = "reports"
urlpatterns: list = []

# --- Imports, investigators' export, print (lifeline.reports.importing, ftm, printing) -------
urlpatterns += [
    path("imports/", importing.import_list, name="import_list"),
    path("imports/<uuid:uid>/", importing.import_detail, name="import_detail"),
    path("imports/<uuid:uid>/confirm/", importing.import_confirm, name="import_confirm"),
    path("imports/<uuid:uid>/rollback/", importing.import_rollback, name="import_rollback"),
    path("imports/<uuid:uid>/abandon/", importing.import_abandon, name="import_abandon"),
    path("exports/investigators/", ftm_views.ftm_page, name="ftm"),
    path("exports/investigators/download/", ftm_views.ftm_download, name="ftm_download"),
]
# --- end of imports, investigators' export, print ---------------------------------------------
