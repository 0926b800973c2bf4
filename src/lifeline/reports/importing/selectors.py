"""Reads of imports, scoped to the actor's organisation; none for those who may not import."""

from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404

from lifeline.accounts.models import Membership
from lifeline.reports.models import ImportBatch


def import_batches(*, actor: Membership) -> QuerySet[ImportBatch]:
    qs = ImportBatch.objects.filter(organisation=actor.organisation)
    if not actor.has("can_import_cases"):
        return qs.none()
    return qs.order_by("-created_at", "-pk")


def import_batch_get(*, actor: Membership, uid: UUID | str) -> ImportBatch:
    """The batch, or a plain 404 (missing, another organisation's, or not the actor's to see)."""
    try:
        return import_batches(actor=actor).get(uid=uid)
    except (ImportBatch.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None
