from django.urls import path

from lifeline.intake import channel_views

app_name = "intake"
urlpatterns = [
    path("settings/channels/", channel_views.channels, name="channels"),
    path(
        "settings/channels/<uuid:uid>/secret/", channel_views.channel_secret, name="channel_secret"
    ),
    path(
        "settings/channels/<uuid:uid>/revoke/", channel_views.channel_revoke, name="channel_revoke"
    ),
]
