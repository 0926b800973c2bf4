from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "lifeline.privacy"
    label = "privacy"
    verbose_name = "Erasure and retention"
