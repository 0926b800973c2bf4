"""Pages of briefings and shares (the printable page, the file, the image, the link), the
public link page, and the leak trace."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from lifeline.accounts.decorators import member_required
from lifeline.audit.services import audit_view
from lifeline.cases.selectors import case_get
from lifeline.core.forms import add_service_errors
from lifeline.core.http import MemberRequest
from lifeline.sharing import briefings, selectors
from lifeline.sharing.forms import BriefingForm, LinkForm, TraceForm
from lifeline.sharing.models import Operation

# The public link page: nothing but this page's own markup, no referrer, no index, no cache.
PUBLIC_CSP = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"


def _briefing_form_page(
    request: MemberRequest, *, operation: Operation | None = None, case: Any = None
) -> HttpResponse:
    actor = request.membership
    partners = list(selectors.partner_list(actor=actor))
    form = BriefingForm(request.POST or None, partners=partners)
    if request.method == "POST" and form.is_valid():
        chosen = selectors.partners_by_uid(actor=actor, uids=form.cleaned_data["partners"])
        try:
            briefing = briefings.briefing_create(
                actor=actor,
                level=form.cleaned_data["level"],
                partners=chosen,
                operation=operation,
                case=case,
                request=request,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if briefings.approval_needed(briefing):
                messages.warning(
                    request,
                    _(
                        "It names a target before the window opens: a second coordinator must approve it before it goes out."
                    ),
                )
            else:
                messages.success(
                    request, _("Briefing ready: each recipient has a variant of their own.")
                )
            return redirect(briefing)
    context = {"form": form, "operation": operation, "case": case}
    return render(
        request, "sharing/briefing_form.html", context, status=400 if form.is_bound else 200
    )


@member_required("can_brief_partners")
def briefing_operation(request: MemberRequest, uid: str) -> HttpResponse:
    operation = selectors.operation_get(actor=request.membership, uid=uid)
    return _briefing_form_page(request, operation=operation)


@member_required("can_brief_partners")
def briefing_case(request: MemberRequest, uid: str) -> HttpResponse:
    case = case_get(actor=request.membership, uid=uid)
    return _briefing_form_page(request, case=case)


@member_required("can_brief_partners")
def briefing_detail(request: MemberRequest, uid: str) -> HttpResponse:
    briefing = selectors.briefing_get(actor=request.membership, uid=uid)
    shares = list(selectors.shares_of_briefing(briefing=briefing))
    audit_view(
        actor=request.user,
        organisation=request.organisation,
        obj=briefing,
        request=request,
        payload={"share_ids": [s.pk for s in shares]},
    )
    return render(
        request,
        "sharing/briefing_detail.html",
        {
            "briefing": briefing,
            "shares": shares,
            "may_approve": briefings.approval_needed(briefing)
            and briefing.created_by_id != request.user.pk,
        },
    )


@require_POST
@member_required("can_brief_partners")
def briefing_approve(request: MemberRequest, uid: str) -> HttpResponse:
    briefing = selectors.briefing_get(actor=request.membership, uid=uid)
    try:
        briefings.briefing_approve(actor=request.membership, briefing=briefing, request=request)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Approved: its shares can go out."))
    return redirect(briefing)


def _share_page(
    request: MemberRequest, share: Any, *, link: str = "", link_form: Any = None, status: int = 200
) -> HttpResponse:
    ready = briefings.is_ready(share.briefing)
    document = None
    if ready:
        document = briefings.share_deliver(
            actor=request.membership, share=share, form="page", request=request
        )
    else:
        audit_view(
            actor=request.user, organisation=request.organisation, obj=share, request=request
        )
    context = {
        "share": share,
        "document": document,
        "ready": ready,
        "marks": briefings.share_marks(share=share) if ready else [],
        "openings": list(selectors.share_openings(share=share)[:100]),
        "link": link,
        "link_form": link_form or LinkForm(),
    }
    return render(request, "sharing/share_detail.html", context, status=status)


@member_required("can_brief_partners")
def share_detail(request: MemberRequest, uid: str) -> HttpResponse:
    share = selectors.share_get(actor=request.membership, uid=uid)
    return _share_page(request, share)


@member_required("can_brief_partners")
def share_file(request: MemberRequest, uid: str, fmt: str) -> HttpResponse:
    share = selectors.share_get(actor=request.membership, uid=uid)
    form = {"txt": "file", "png": "image"}.get(fmt)
    if form is None:
        raise PermissionDenied
    try:
        body = briefings.share_deliver(
            actor=request.membership, share=share, form=form, request=request
        )
    except ValidationError:
        raise PermissionDenied from None
    response = HttpResponse(
        body, content_type="text/plain; charset=utf-8" if fmt == "txt" else "image/png"
    )
    response["Content-Disposition"] = f'attachment; filename="briefing-{share.uid}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@member_required("can_brief_partners")
def share_link(request: MemberRequest, uid: str) -> HttpResponse:
    share = selectors.share_get(actor=request.membership, uid=uid)
    form = LinkForm(request.POST)
    link = ""
    if form.is_valid():
        try:
            token = briefings.share_link_create(
                actor=request.membership, share=share, request=request, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            link = request.build_absolute_uri(f"/s/{token}/")
            share.refresh_from_db()
    # The link's secret is shown in this answer only, never kept for a redirect.
    return _share_page(request, share, link=link, link_form=form, status=200 if link else 400)


@require_POST
@member_required("can_brief_partners")
def share_revoke(request: MemberRequest, uid: str) -> HttpResponse:
    share = selectors.share_get(actor=request.membership, uid=uid)
    try:
        briefings.share_revoke(actor=request.membership, share=share, request=request)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Revoked: the link no longer opens."))
    return redirect(share)


@never_cache
@require_GET
def share_public(request: HttpRequest, token: str) -> HttpResponse:
    """A partner opens a briefing link: no login, no cookie, no index. Anything but a valid
    opening is the same plain "not available" page, whatever the reason."""
    opening = briefings.share_open(token=token, request=request)
    if opening.document is None:
        response = render(request, "sharing/public_unavailable.html", status=404)
    else:
        response = render(request, "sharing/public_briefing.html", {"document": opening.document})
    response["Content-Security-Policy"] = PUBLIC_CSP
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "no-store"
    return response


@member_required("can_trace_leaks")
def trace(request: MemberRequest) -> HttpResponse:
    form = TraceForm(request.POST or None, request.FILES or None)
    suspects = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("image")
        try:
            suspects = briefings.trace_leak(
                actor=request.membership,
                text=form.cleaned_data.get("text") or "",
                image=upload.read() if upload else None,
                request=request,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request, "sharing/trace.html", {"form": form, "suspects": suspects}, status=status
    )
