from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "lifeline.people"
    label = "people"
