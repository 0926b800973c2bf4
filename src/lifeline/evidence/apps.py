from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "lifeline.evidence"
    label = "evidence"
    verbose_name = "Evidence"
