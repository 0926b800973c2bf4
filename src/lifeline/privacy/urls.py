from django.urls import path

from lifeline.privacy import views

app_name = "privacy"
urlpatterns = [
    path("people/<uuid:uid>/erase/", views.person_erase, name="person_erase"),
    path("settings/retention/", views.retention, name="retention"),
    path("settings/retention/apply/", views.retention_apply, name="retention_apply"),
]
