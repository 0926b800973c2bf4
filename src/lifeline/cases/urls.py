from django.urls import path

from lifeline.cases import views

app_name = "cases"
urlpatterns = [
    path("requests/", views.request_list, name="request_list"),
    path("requests/new/", views.request_create, name="request_create"),
    path("requests/dismiss/", views.request_dismiss, name="request_dismiss"),
    path("requests/<uuid:uid>/", views.request_detail, name="request_detail"),
    path("requests/<uuid:uid>/open-case/", views.request_open_case, name="request_open_case"),
    path("requests/<uuid:uid>/reject/", views.request_reject, name="request_reject"),
    path("cases/", views.case_list, name="case_list"),
    path("cases/<uuid:uid>/", views.case_detail, name="case_detail"),
    path("cases/<uuid:uid>/edit/", views.case_edit, name="case_edit"),
    path("cases/<uuid:uid>/move/", views.case_move, name="case_move"),
    path("cases/<uuid:uid>/urgency/", views.case_urgency, name="case_urgency"),
    path("cases/<uuid:uid>/timeline/", views.case_timeline_add, name="case_timeline_add"),
    path("cases/<uuid:uid>/assign/", views.case_assign, name="case_assign"),
    path("cases/<uuid:uid>/unassign/<int:user_id>/", views.case_unassign, name="case_unassign"),
]
