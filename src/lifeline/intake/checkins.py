"""Check-ins on a case's timeline. A check-in that arrives once its request is part of a case
goes onto the timeline at once (services.check_in_submit); those that came before are copied
there when the request becomes a case or joins one (lifeline.cases.services)."""

from lifeline.cases.models import Case, Channel, Request, TimelineEvent, TimelineKind
from lifeline.intake.models import CheckIn


def checkin_event(checkin: CheckIn, *, case_id: int) -> TimelineEvent:
    """The timeline entry of ``checkin``: its message stays encrypted there, and its duress
    mark travels with it for the case's team to see."""
    return TimelineEvent(
        organisation_id=checkin.organisation_id,
        case_id=case_id,
        kind=TimelineKind.CHECKIN,
        occurred_at=checkin.received_at,
        channel=Channel.WEB,
        body=checkin.message,
        data={"status": checkin.status, "duress": checkin.under_duress, "checkin": checkin.pk},
    )


def checkins_to_timeline(*, req: Request, case: Case) -> int:
    """Copy ``req``'s check-ins that are not on ``case``'s timeline yet onto it, at the times
    they were received; returns how many. Runs inside the caller's transaction (the service
    that opened the case or attached the request, which has authorised both)."""
    on_timeline = set(
        TimelineEvent.objects.filter(
            organisation_id=case.organisation_id, case=case, kind=TimelineKind.CHECKIN
        ).values_list("data__checkin", flat=True)
    )
    events = [
        checkin_event(checkin, case_id=case.pk)
        for checkin in CheckIn.objects.filter(
            organisation_id=req.organisation_id, request=req
        ).order_by("received_at", "pk")
        if checkin.pk not in on_timeline
    ]
    TimelineEvent.objects.bulk_create(events)
    return len(events)
