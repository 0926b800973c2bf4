from django.urls import path

from lifeline.screening import views

app_name = "screening"
urlpatterns = [
    path("screening/", views.screen, name="screen"),
    path("screening/library/", views.library, name="library"),
    path("screening/library/<uuid:uid>/", views.lure_detail, name="lure_detail"),
    path("screening/identifiers/<uuid:uid>/", views.identifier_detail, name="identifier_detail"),
    path("screening/campaigns/<uuid:uid>/", views.campaign_detail, name="campaign_detail"),
]
