"""Lures of erased cases (STYLE.md rule 12): registered with lifeline.privacy as a shredder.

An offer a victim pasted may hold their own name or messages, so when their case is erased the
offer's text and where it was seen are blanked and it is unlinked from the case. The
recruiters' identifiers stay: they are the recruiters' data, not the victim's, and the
network's defence against the next recruitment.
"""

from collections.abc import Sequence

from django.db import models
from django.utils import timezone

from lifeline.cases.models import Case
from lifeline.screening.models import Lure


def shred_lures(owners: Sequence[models.Model]) -> tuple[int, list[models.Model]]:
    cases = [o.pk for o in owners if isinstance(o, Case)]
    found = list(Lure.objects.filter(case_id__in=cases, erased_at__isnull=True))
    now = timezone.now()
    for lure in found:
        lure.text = ""
        lure.seen_where = ""
        lure.case = None
        lure.campaign = None
        lure.erased_at = now
        lure.save(update_fields=["text", "seen_where", "case", "campaign", "erased_at"])
    return len(found), list(found)
