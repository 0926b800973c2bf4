"""Destroying the evidence of erased cases and requests (STYLE.md rule 12).

Registered with lifeline.privacy as a shredder: an erasure of a person, or the retention run,
hands over the cases and requests it erases, and their files go with them.
"""

import functools
from collections.abc import Sequence

from django.db import models, transaction
from django.utils import timezone

from lifeline.cases.models import Case, Request
from lifeline.evidence import storage
from lifeline.evidence.models import CustodyAction, CustodyEvent, Evidence


def _destroy(names: list[str]) -> None:
    for name in names:
        storage.destroy(storage.blob_path(name))


def shred_evidence(owners: Sequence[models.Model]) -> tuple[int, list[models.Model]]:
    """Destroy the files of every evidence attached to ``owners`` and blank its names; the row
    and its custody trail stay, with an "erased" event. Returns the count and the rows."""
    cases = [o.pk for o in owners if isinstance(o, Case)]
    requests = [o.pk for o in owners if isinstance(o, Request)]
    found = list(
        Evidence.objects.filter(
            models.Q(case_id__in=cases) | models.Q(request_id__in=requests),
            erased_at__isnull=True,
        )
    )
    now = timezone.now()
    for evidence in found:
        # The files go once the erasure commits: a rolled-back erasure must not leave rows
        # whose files are gone.
        names = [n for n in (evidence.blob_name, evidence.preview_blob_name) if n]
        transaction.on_commit(functools.partial(_destroy, names))
        evidence.original_name = ""
        evidence.description = ""
        evidence.erased_at = now
        evidence.save(update_fields=["original_name", "description", "erased_at"])
        CustodyEvent.objects.create(
            organisation_id=evidence.organisation_id,
            evidence=evidence,
            action=CustodyAction.ERASED,
            at=now,
        )
    return len(found), list(found)
