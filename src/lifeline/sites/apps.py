from django.apps import AppConfig


class SitesConfig(AppConfig):
    name = "lifeline.sites"
    label = "sites"
    verbose_name = "Sites"
