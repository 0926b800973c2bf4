from django.urls import path

from lifeline.linkage import views

app_name = "linkage"
urlpatterns = [
    path("people/<uuid:uid>/pair/<uuid:other_uid>/", views.pair_detail, name="pair_detail"),
]
