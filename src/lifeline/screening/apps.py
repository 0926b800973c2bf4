from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "lifeline.screening"
    label = "screening"
    verbose_name = "Job-offer screening"
