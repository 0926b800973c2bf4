from django.urls import path

from lifeline.people import views

app_name = "people"
urlpatterns = [
    path("people/<uuid:uid>/", views.person_detail, name="detail"),
    path("people/<uuid:uid>/edit/", views.person_edit, name="edit"),
    path("people/<uuid:uid>/names/", views.person_add_name, name="add_name"),
    path("people/<uuid:uid>/contacts/", views.person_add_contact, name="add_contact"),
    path("people/<uuid:uid>/identifiers/", views.person_add_identifier, name="add_identifier"),
]
