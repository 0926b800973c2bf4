"""Scrubbing cases and requests (STYLE.md rule 12): their free text and contacts.

Called by lifeline.privacy.services, which also scrubs the audit payloads and records the
erasure. Codes (status, urgency, HTCDS context) and dates stay for the statistics.
"""

from django.utils import timezone

from lifeline.cases.models import Case, CaseSearchToken, Request, TimelineEvent


def scrub_request(req: Request) -> None:
    req.reporter_name = ""
    req.reporter_contact = ""
    req.reporter_contact_kind = ""
    req.subject_name = ""
    req.subject_contact = ""
    req.subject_contact_kind = ""
    req.subject_contact_index = ""
    req.location_text = ""
    req.text = ""
    req.erased_at = timezone.now()
    req.save()


def scrub_case(case: Case) -> dict[str, int]:
    """Blank the case's text, its timeline entries and its requests; drop its search tokens."""
    entries = TimelineEvent.objects.filter(case=case)
    counts = {"timeline_entries": entries.count(), "requests": 0}
    for entry in entries:
        entry.body = ""
        entry.location = ""
        entry.save(update_fields=["body", "location"])
    CaseSearchToken.objects.filter(case=case).delete()
    for req in Request.objects.filter(case=case, erased_at__isnull=True):
        scrub_request(req)
        counts["requests"] += 1
    case.summary = ""
    case.last_known_location = ""
    case.erased_at = timezone.now()
    case.version += 1
    case.save()
    return counts
