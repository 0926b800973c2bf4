"""Erasing a person from what was shared about them (STYLE.md rule 12).

Registered with lifeline.privacy. For each of the person's cases: the referrals sent about it
lose their copy, their consent record and their reason (and their transfer requests their
notes); every briefing that named the person
(a briefing of the case, or of an operation the case was part of) is withdrawn and its canary
set, which holds every recipient's variant, is deleted. Its shares' links stop opening; who
received what, and when, stays (no personal data). The receiving organisation's own case, once
accepted, is its own record and is erased there.
"""

from django.db import models
from django.db.models import Q

from lifeline.people.models import Person
from lifeline.sharing.models import (
    Briefing,
    BriefingStatus,
    OperationCase,
    Referral,
    TransferRequest,
)


def erase_shared(person: Person) -> tuple[dict[str, int], list[models.Model]]:
    from lifeline.cases.models import Case

    org = person.organisation_id
    case_ids = list(
        Case.objects.filter(organisation_id=org, person=person).values_list("pk", flat=True)
    )
    referrals = list(
        Referral.objects.filter(sender_id=org, case_id__in=case_ids).values_list("pk", flat=True)
    )
    Referral.objects.filter(pk__in=referrals).update(
        snapshot="", consent_given_by="", reason="", answer_note=""
    )
    # A transfer request's notes are free text about the person too.
    TransferRequest.objects.filter(referral_id__in=referrals).update(note="", answer_note="")
    operation_ids = OperationCase.objects.filter(organisation_id=org, case_id__in=case_ids).values(
        "operation_id"
    )
    rows = list(
        Briefing.objects.filter(organisation_id=org)
        .filter(Q(case_id__in=case_ids) | Q(operation_id__in=operation_ids))
        .values_list("pk", "uid")
    )
    briefings = [pk for pk, _uid in rows]
    Briefing.objects.filter(pk__in=briefings).update(canary_set="", status=BriefingStatus.WITHDRAWN)
    touched: list[models.Model] = [Referral(pk=pk) for pk in referrals]
    touched += [Briefing(pk=pk) for pk in briefings]
    return {"referrals": len(referrals), "briefings": len(briefings)}, touched
