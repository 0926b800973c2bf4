"""Django's admin app, with the platform site as its default (kept apart from admin_site.py,
which imports models and so cannot be loaded while the app registry is being built)."""

from django.contrib.admin.apps import AdminConfig


class PlatformAdminConfig(AdminConfig):
    default_site = "lifeline.core.admin_site.PlatformAdminSite"
