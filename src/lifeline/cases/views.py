from typing import cast

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import ChoiceField
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from lifeline.accounts.decorators import member_required
from lifeline.audit.services import audit_log, audit_view
from lifeline.cases import selectors, services
from lifeline.cases.forms import (
    AssignForm,
    CaseContextForm,
    CaseFilterForm,
    DismissForm,
    MoveForm,
    OpenCaseForm,
    RejectForm,
    RequestForm,
    TimelineForm,
    UrgencyForm,
)
from lifeline.cases.workflow import CaseStatus, allowed_moves
from lifeline.core.errors import ConflictError
from lifeline.core.forms import add_service_errors
from lifeline.core.http import MemberRequest
from lifeline.evidence.selectors import evidence_of_case, evidence_of_request
from lifeline.intake.selectors import checkins_of_request, has_duress_word
from lifeline.people.selectors import person_get
from lifeline.sites.selectors import sites_for_places

# Requests ---------------------------------------------------------------------------------


@member_required("can_triage_requests")
def request_list(request: MemberRequest) -> HttpResponse:
    page = Paginator(selectors.request_queue(actor=request.membership), 50).get_page(
        request.GET.get("page")
    )
    # Known sites the place or the story names (or near them), beside each request.
    nearby = sites_for_places(
        actor=request.membership,
        texts=[f"{req.location_text}\n{req.text}" for req in page.object_list],
    )
    for req, known in zip(page.object_list, nearby, strict=True):
        req.known_sites = known  # type: ignore[attr-defined]
    audit_log(
        actor=request.user,
        organisation=request.organisation,
        action="cases.request.listed",
        request=request,
        payload={"count": len(page.object_list)},
    )
    return render(request, "cases/request_list.html", {"page": page})


@member_required("can_create_requests")
def request_create(request: MemberRequest) -> HttpResponse:
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            req = services.request_create(
                actor=request.membership, request=request, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The request was recorded."))
            if request.membership.has("can_triage_requests"):
                return redirect(req)
            return redirect("cases:request_create")
    return render(request, "cases/request_form.html", {"form": form})


def _request_page(
    request: MemberRequest, req, *, suggestions=None, open_form=None, reject_form=None, status=200
) -> HttpResponse:
    if suggestions is None:
        suggestions = selectors.request_suggestions(actor=request.membership, req=req)
    context = {
        "req": req,
        "checkins": checkins_of_request(req=req),
        "has_duress_word": has_duress_word(req=req),
        "suggestions": suggestions,
        "open_form": open_form or OpenCaseForm(),
        "reject_form": reject_form or RejectForm(),
        **_evidence_context(
            evidence_of_request(req=req), reverse("evidence:request_upload", args=[req.uid])
        ),
    }
    return render(request, "cases/request_detail.html", context, status=status)


@member_required("can_triage_requests")
def request_detail(request: MemberRequest, uid) -> HttpResponse:
    req = selectors.request_get(actor=request.membership, uid=uid)
    suggestions = selectors.request_suggestions(actor=request.membership, req=req)
    audit_view(
        actor=request.user,
        organisation=request.organisation,
        obj=req,
        request=request,
        payload={"suggested_persons": [s.person.pk for s in suggestions]},
    )
    return _request_page(request, req, suggestions=suggestions)


@require_POST
@member_required("can_triage_requests")
def request_open_case(request: MemberRequest, uid) -> HttpResponse:
    req = selectors.request_get(actor=request.membership, uid=uid)
    form = OpenCaseForm(request.POST)
    if form.is_valid():
        person_uid = form.cleaned_data["person"]
        try:
            person = person_get(actor=request.membership, uid=person_uid) if person_uid else None
            case = services.request_open_case(
                actor=request.membership,
                req=req,
                person=person,
                request=request,
                extra_names=[form.cleaned_data["extra_names"]],
            )
        except (ValidationError, ConflictError) as exc:
            _report(request, form, exc)
        else:
            messages.success(request, _("Case %(ref)s opened.") % {"ref": case.reference})
            return redirect(case)
    return _request_page(request, req, open_form=form, status=400)


@require_POST
@member_required("can_triage_requests")
def request_dismiss(request: MemberRequest) -> HttpResponse:
    form = DismissForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tick the requests to dismiss."))
        return redirect("cases:request_list")
    reqs = selectors.requests_by_uid(actor=request.membership, uids=form.cleaned_data["requests"])
    if not reqs:
        raise Http404
    count = services.request_dismiss(
        actor=request.membership, reqs=reqs, reason=form.cleaned_data["reason"], request=request
    )
    messages.success(
        request,
        ngettext(
            "%(n)d request was dismissed. It stays in the audit log.",
            "%(n)d requests were dismissed. They stay in the audit log.",
            count,
        )
        % {"n": count},
    )
    return redirect("cases:request_list")


@require_POST
@member_required("can_triage_requests")
def request_reject(request: MemberRequest, uid) -> HttpResponse:
    req = selectors.request_get(actor=request.membership, uid=uid)
    form = RejectForm(request.POST)
    if form.is_valid():
        try:
            services.request_reject(
                actor=request.membership,
                req=req,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except (ValidationError, ConflictError) as exc:
            _report(request, form, exc)
        else:
            messages.success(request, _("The request was rejected."))
            return redirect("cases:request_list")
    return _request_page(request, req, reject_form=form, status=400)


def _evidence_context(evidence_list, upload_url: str) -> dict:
    return {
        "evidence_list": evidence_list,
        "evidence_upload_url": upload_url,
        "evidence_max_mb": settings.LIFELINE_EVIDENCE_MAX_BYTES // (1024 * 1024),
    }


def _report(request: MemberRequest, form, exc: Exception) -> None:
    if isinstance(exc, ValidationError):
        add_service_errors(form, exc)
    else:
        form.add_error(None, str(exc))


# Cases ------------------------------------------------------------------------------------


def _filters_from(form: CaseFilterForm, request: MemberRequest) -> selectors.CaseFilters:
    data = form.cleaned_data
    assignee = data.get("assignee") or ""
    return selectors.CaseFilters(
        status=data.get("status") or [],
        urgency=data.get("urgency"),
        assignee_id=request.user.pk
        if assignee == "me"
        else (int(assignee) if assignee.isdigit() else None),
        unassigned=assignee == "none",
        citizenship=data.get("citizenship") or "",
        q=data.get("q") or "",
        phone=data.get("phone") or "",
        open_only=bool(data.get("open_only")),
    )


@member_required("can_work_cases")
def case_list(request: MemberRequest) -> HttpResponse:
    members = selectors.assignable_members(actor=request.membership)
    form = CaseFilterForm(
        request.GET or None,
        members=members,
        citizenships=selectors.citizenships_in_use(actor=request.membership),
    )
    if form.is_bound and not form.is_valid():
        cases = selectors.visible_cases(actor=request.membership).none()
    else:
        if not form.is_bound:
            form.cleaned_data = {}
        cases = selectors.case_list(actor=request.membership, filters=_filters_from(form, request))
    page = Paginator(cases, 50).get_page(request.GET.get("page"))
    # Which filters were used and how many rows were shown; never the names or phones searched.
    used = sorted(key for key, value in request.GET.items() if value and key != "page")
    audit_log(
        actor=request.user,
        organisation=request.organisation,
        action="cases.case.listed",
        request=request,
        payload={"filters": used, "count": len(page.object_list)},
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "cases/case_list.html", {"form": form, "page": page, "query": query.urlencode()}
    )


def _case_page(
    request: MemberRequest, case, *, forms=None, conflict=None, status=200
) -> HttpResponse:
    membership = request.membership
    forms = forms or {}
    context = {
        "case": case,
        "person": case.person,
        "names": case.person.names.all(),
        "contacts": case.person.contacts.all(),
        "timeline": selectors.case_timeline(case=case),
        "assignments": case.assignments.all(),
        "requests": case.requests.all(),
        "move_form": forms.get("move")
        or MoveForm(initial={"version": case.version}, allowed=allowed_moves(case.status)),
        "urgency_form": forms.get("urgency")
        or UrgencyForm(
            initial={
                "version": case.version,
                "urgency": case.urgency,
                "reasons": case.urgency_reasons,
            }
        ),
        "timeline_form": forms.get("timeline") or TimelineForm(),
        "assign_form": forms.get("assign")
        or (
            AssignForm(members=selectors.assignable_members(actor=membership))
            if membership.has("can_assign_cases")
            else None
        ),
        "conflict": conflict,
        "can_assign": membership.has("can_assign_cases"),
        **_evidence_context(
            evidence_of_case(case=case), reverse("evidence:case_upload", args=[case.uid])
        ),
    }
    return render(request, "cases/case_detail.html", context, status=status)


@member_required("can_work_cases")
def case_detail(request: MemberRequest, uid) -> HttpResponse:
    case = selectors.case_get(actor=request.membership, uid=uid)
    audit_view(actor=request.user, organisation=request.organisation, obj=case, request=request)
    return _case_page(request, case)


@require_POST
@member_required("can_work_cases")
def case_move(request: MemberRequest, uid) -> HttpResponse:
    case = selectors.case_get(actor=request.membership, uid=uid)
    form = MoveForm(request.POST)
    if form.is_valid():
        try:
            services.case_move(
                actor=request.membership,
                case=case,
                to_status=form.cleaned_data["to_status"],
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
                request=request,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except ConflictError as exc:
            return _conflict_page(request, case, exc)
        else:
            messages.success(
                request, _("The case moved to “%(s)s”.") % {"s": case.get_status_display()}
            )
            return redirect(case)
    cast(ChoiceField, form.fields["to_status"]).choices = [
        (s, CaseStatus(s).label) for s in allowed_moves(case.status)
    ]
    return _case_page(request, case, forms={"move": form}, status=400)


@require_POST
@member_required("can_work_cases")
def case_urgency(request: MemberRequest, uid) -> HttpResponse:
    case = selectors.case_get(actor=request.membership, uid=uid)
    form = UrgencyForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.case_set_urgency(
                actor=request.membership,
                case=case,
                urgency=data["urgency"],
                reasons=data["reasons"],
                note=data["note"],
                expected_version=data["version"],
                request=request,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except ConflictError as exc:
            return _conflict_page(request, case, exc)
        else:
            messages.success(request, _("Urgency saved."))
            return redirect(case)
    return _case_page(request, case, forms={"urgency": form}, status=400)


@member_required("can_work_cases")
def case_edit(request: MemberRequest, uid) -> HttpResponse:
    case = selectors.case_get(actor=request.membership, uid=uid)
    initial = {name: getattr(case, name) for name in CaseContextForm.CONTEXT_FIELDS} | {
        "version": case.version
    }
    form = CaseContextForm(request.POST or None, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.case_update(
                actor=request.membership,
                case=case,
                expected_version=data["version"],
                request=request,
                **{name: data[name] for name in CaseContextForm.CONTEXT_FIELDS},
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except ConflictError as exc:
            conflict = exc
            data = request.POST.copy()
            data["version"] = str(exc.current_version)
            form = CaseContextForm(data, initial=initial)
            form.is_valid()
        else:
            messages.success(request, _("The case was saved."))
            return redirect(case)
    status = 409 if conflict else (400 if form.is_bound else 200)
    return render(
        request,
        "cases/case_edit.html",
        {"case": case, "form": form, "conflict": conflict},
        status=status,
    )


def _conflict_page(request: MemberRequest, case, exc: ConflictError) -> HttpResponse:
    """The case as it is now, with what changed since the actor loaded it."""
    case.refresh_from_db()
    return _case_page(request, case, conflict=exc, status=409)


@require_POST
@member_required("can_work_cases")
def case_timeline_add(request: MemberRequest, uid) -> HttpResponse:
    case = selectors.case_get(actor=request.membership, uid=uid)
    form = TimelineForm(request.POST)
    if form.is_valid():
        try:
            services.timeline_add(
                actor=request.membership, case=case, request=request, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Added to the timeline."))
            return redirect(case)
    return _case_page(request, case, forms={"timeline": form}, status=400)


@require_POST
@member_required("can_assign_cases")
def case_assign(request: MemberRequest, uid) -> HttpResponse:
    case = selectors.case_get(actor=request.membership, uid=uid)
    members = selectors.assignable_members(actor=request.membership)
    form = AssignForm(request.POST, members=members)
    if form.is_valid():
        assignee = members.get(pk=form.cleaned_data["assignee"])
        services.case_assign(
            actor=request.membership, case=case, assignee=assignee, request=request
        )
        messages.success(request, _("%(who)s now works this case.") % {"who": assignee.user})
        return redirect(case)
    return _case_page(request, case, forms={"assign": form}, status=400)


@require_POST
@member_required("can_assign_cases")
def case_unassign(request: MemberRequest, uid, user_id: int) -> HttpResponse:
    case = selectors.case_get(actor=request.membership, uid=uid)
    services.case_unassign(actor=request.membership, case=case, user_id=user_id, request=request)
    messages.success(request, _("Assignment removed."))
    return redirect(case)
