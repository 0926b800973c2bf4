from django.apps import AppConfig


class LinkageConfig(AppConfig):
    name = "lifeline.linkage"
    label = "linkage"
