from django.http import HttpResponse
from django.shortcuts import render

from lifeline.accounts.decorators import member_required
from lifeline.cases import selectors as case_selectors
from lifeline.cases.selectors import CaseFilters
from lifeline.core.http import MemberRequest
from lifeline.sites.quiet import quiet_sites


@member_required()
def home(request: MemberRequest) -> HttpResponse:
    """The desk: counts for everyone who may read statistics, the actor's own open cases."""
    membership = request.membership
    context = {
        "counts": case_selectors.case_counts(actor=membership)
        if membership.has("can_view_statistics")
        else None,
        "my_cases": (
            case_selectors.case_list(
                actor=membership, filters=CaseFilters(assignee_id=request.user.pk, open_only=True)
            )[:20]
            if membership.has("can_work_cases")
            else None
        ),
        "queue": case_selectors.request_queue(actor=membership)[:10]
        if membership.has("can_triage_requests")
        else None,
        "quiet_sites": quiet_sites(actor=membership),
    }
    return render(request, "core/home.html", context)


def healthz(request: MemberRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")
