from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "lifeline.cases"
    label = "cases"
