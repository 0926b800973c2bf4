from django.urls import path

from lifeline.core import views

urlpatterns = [path("", views.home, name="home")]
