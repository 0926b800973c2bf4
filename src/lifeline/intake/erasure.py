"""Scrubbing what the public pages kept about erased cases and requests (STYLE.md rule 12).

Registered with lifeline.privacy as a shredder: the check-ins' messages are blanked (status and
time stay for the statistics) and the receipts go, so that a code no longer reaches the erased
request. The timeline copies of check-ins are blanked by cases.erasure with the rest of the
case's timeline."""

from collections.abc import Sequence

from django.db import models

from lifeline.cases.models import Case, Request
from lifeline.intake.models import CheckIn, InboxEntry, Receipt


def shred_intake(owners: Sequence[models.Model]) -> tuple[int, list[models.Model]]:
    cases = [o.pk for o in owners if isinstance(o, Case)]
    requests = [o.pk for o in owners if isinstance(o, Request)]
    where = models.Q(request_id__in=requests) | models.Q(request__case_id__in=cases)
    checkins = list(CheckIn.objects.filter(where))
    for checkin in checkins:
        checkin.message = ""
        checkin.save(update_fields=["message"])
    Receipt.objects.filter(where).delete()
    # The inbox's tombstones of these requests (no payload left, but a code's keyed hash).
    InboxEntry.objects.filter(where).delete()
    # No files: the count is of files destroyed, the check-ins are only scrubbed.
    return 0, list(checkins)
