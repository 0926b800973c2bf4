from django.urls import path

from lifeline.screening import views

app_name = "screening"
urlpatterns = [
    path("screening/", views.screen, name="screen"),
]
