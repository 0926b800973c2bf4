from django.urls import path

from lifeline.sites import views

app_name = "sites"
urlpatterns = [
    path("sites/", views.site_list, name="list"),
    path("sites/new/", views.site_create, name="create"),
    path("sites/near/", views.site_near, name="near"),
    path("sites/map/", views.site_map, name="map"),
    path("sites/import/", views.site_import, name="import"),
    path("sites/export.<str:fmt>", views.site_export, name="export"),
    path("sites/<uuid:uid>/", views.site_detail, name="detail"),
    path("sites/<uuid:uid>/edit/", views.site_edit, name="edit"),
    path("sites/<uuid:uid>/status/", views.site_claim, name="claim"),
    path(
        "sites/<uuid:uid>/public-suggestion/",
        views.site_public_suggestion,
        name="public_suggestion",
    ),
    path("sites/<uuid:uid>/operators/", views.operator_add, name="operator_add"),
    path(
        "sites/<uuid:uid>/operators/<uuid:operator_uid>/remove/",
        views.operator_remove,
        name="operator_remove",
    ),
    path("people/<uuid:uid>/sightings/", views.sighting_add, name="sighting_add"),
]
