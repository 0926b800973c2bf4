from django.contrib.auth import views as auth_views
from django.urls import path

from lifeline.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("invitation/<uidb64>/<token>/", views.InvitationView.as_view(), name="invitation"),
    path("verify/", views.verify, name="verify"),
    path("security/", views.security, name="security"),
    path("security/enrol/", views.enrol, name="enrol"),
    path(
        "security/recovery-codes/",
        views.recovery_codes_regenerate,
        name="recovery_codes_regenerate",
    ),
    path("organisation/", views.choose_organisation, name="choose_organisation"),
    path("settings/", views.organisation_settings, name="organisation_settings"),
    path("members/", views.member_list, name="members"),
    path("members/<int:pk>/", views.member_change, name="member_change"),
    path("members/<int:pk>/invitation/", views.member_invite, name="member_invite"),
    path(
        "members/<int:pk>/second-factor/reset/",
        views.member_second_factor_reset,
        name="member_second_factor_reset",
    ),
    path("tokens/", views.token_list, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
]
