from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "lifeline.intake"
    label = "intake"
