from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "lifeline.reports"
    label = "reports"
    verbose_name = "Dashboards, exports and imports"
