"""Tenancy: every personal-data model belongs to one organisation.

Three layers keep organisations apart (STYLE.md rule 7): the organisation middleware activates a
django-scopes scope for each request; ``TenantModel.objects`` refuses to run any query outside a
scope and filters by the active organisation inside one; and selectors still filter explicitly.
Management commands and tasks open the scope themselves (``scope(organisation=org)``) or, for
platform-wide work such as ``audit verify``, ``scopes_disabled()``.
"""

from typing import ClassVar, Self

from django.db import models
from django_scopes import ScopedManager, scope, scopes_disabled

__all__ = ["TenantModel", "scope", "scopes_disabled"]


class TenantModel(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )

    # django-scopes is untyped; its manager behaves as a plain Manager for typing purposes.
    objects: ClassVar[models.Manager[Self]] = ScopedManager(organisation="organisation")

    class Meta:
        abstract = True
