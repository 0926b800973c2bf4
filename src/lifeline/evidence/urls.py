from django.urls import path

from lifeline.evidence import views

app_name = "evidence"
urlpatterns = [
    path("cases/<uuid:uid>/evidence/", views.case_upload, name="case_upload"),
    path("requests/<uuid:uid>/evidence/", views.request_upload, name="request_upload"),
    path("sites/<uuid:uid>/evidence/", views.site_upload, name="site_upload"),
    path("evidence/<uuid:uid>/", views.detail, name="detail"),
    path("evidence/<uuid:uid>/preview/", views.preview, name="preview"),
    path("evidence/<uuid:uid>/download/", views.download, name="download"),
]
