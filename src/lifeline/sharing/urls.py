from django.urls import path

from lifeline.sharing import briefing_views, views

app_name = "sharing"
urlpatterns = [
    path("partners/", views.partner_list, name="partner_list"),
    path("partners/new/", views.partner_create, name="partner_create"),
    path("partners/<uuid:uid>/", views.partner_detail, name="partner_detail"),
    path("referrals/", views.referral_list, name="referral_list"),
    path("referrals/<uuid:uid>/", views.referral_detail, name="referral_detail"),
    path("referrals/<uuid:uid>/accept/", views.referral_accept, name="referral_accept"),
    path("referrals/<uuid:uid>/reject/", views.referral_reject, name="referral_reject"),
    path("referrals/<uuid:uid>/revoke/", views.referral_revoke, name="referral_revoke"),
    path(
        "referrals/<uuid:uid>/transfer-request/",
        views.transfer_request_create,
        name="transfer_request_create",
    ),
    path(
        "referrals/<uuid:uid>/transfer-request/accept/",
        views.transfer_request_accept,
        name="transfer_request_accept",
    ),
    path(
        "referrals/<uuid:uid>/transfer-request/reject/",
        views.transfer_request_reject,
        name="transfer_request_reject",
    ),
    path("cases/<uuid:uid>/refer/", views.referral_create, name="referral_create"),
    path("cases/<uuid:uid>/briefing/", briefing_views.briefing_case, name="briefing_case"),
    path("operations/", views.operation_list, name="operation_list"),
    path("operations/new/", views.operation_create, name="operation_create"),
    path("operations/<uuid:uid>/", views.operation_detail, name="operation_detail"),
    path("operations/<uuid:uid>/add/", views.operation_add, name="operation_add"),
    path("operations/<uuid:uid>/close/", views.operation_close, name="operation_close"),
    path(
        "operations/<uuid:uid>/briefing/",
        briefing_views.briefing_operation,
        name="briefing_operation",
    ),
    path("briefings/<uuid:uid>/", briefing_views.briefing_detail, name="briefing_detail"),
    path("briefings/<uuid:uid>/approve/", briefing_views.briefing_approve, name="briefing_approve"),
    path("shares/<uuid:uid>/", briefing_views.share_detail, name="share_detail"),
    path("shares/<uuid:uid>/briefing.<str:fmt>", briefing_views.share_file, name="share_file"),
    path("shares/<uuid:uid>/link/", briefing_views.share_link, name="share_link"),
    path("shares/<uuid:uid>/revoke/", briefing_views.share_revoke, name="share_revoke"),
    path("s/<str:token>/", briefing_views.share_public, name="share_public"),
    path("leaks/trace/", briefing_views.trace, name="trace"),
]
