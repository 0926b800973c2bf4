from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "lifeline.sharing"
    label = "sharing"
    verbose_name = "Partners, operations and sharing"
