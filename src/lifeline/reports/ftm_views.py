"""The investigators' export in the UI and the API (lifeline.reports.ftm)."""

from django.http import HttpResponse
from django.shortcuts import render
from ninja import Router

from lifeline.accounts.decorators import member_required
from lifeline.core.api import READ_ERRORS, requires
from lifeline.core.http import ApiRequest, MemberRequest
from lifeline.reports import ftm

FILENAME = "lifeline-investigators.ftm.json"
CONTENT_TYPE = "application/json; charset=utf-8"


def _download(export: ftm.FtmExport) -> HttpResponse:
    response = HttpResponse(export.body, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{FILENAME}"'
    return response


@member_required("can_view_sites")
def ftm_page(request: MemberRequest) -> HttpResponse:
    persons = request.membership.has("can_view_persons")
    return render(request, "reports/ftm.html", {"with_persons": persons})


@member_required("can_view_sites")
def ftm_download(request: MemberRequest) -> HttpResponse:
    return _download(ftm.ftm_export(actor=request.membership, request=request))


router = Router(tags=["exports"])


@router.get(
    "/exports/ftm",
    response={200: None, **READ_ERRORS},
    summary="Sites, operators and their links as FollowTheMoney entities (one per line)",
    description="Never victims or reporters; person operators only for members who may see persons.",
)
@requires("can_view_sites")
def ftm_api(request: ApiRequest) -> HttpResponse:
    return _download(ftm.ftm_export(actor=request.auth, request=request))
