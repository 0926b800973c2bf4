from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lifeline.accounts.decorators import member_required
from lifeline.audit.services import audit_view
from lifeline.core.forms import add_service_errors
from lifeline.core.http import MemberRequest
from lifeline.people.selectors import person_get
from lifeline.privacy import selectors, services
from lifeline.privacy.forms import ErasureForm, RetentionPolicyForm


@member_required("can_erase_persons")
def person_erase(request: MemberRequest, uid) -> HttpResponse:
    person = person_get(actor=request.membership, uid=uid)
    if request.method == "GET":
        # The confirmation page names the person: a view of personal data.
        audit_view(
            actor=request.user, organisation=request.organisation, obj=person, request=request
        )
    form = ErasureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.person_erase(
                actor=request.membership, person=person, request=request, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Erased: %(names)s names, %(contacts)s contacts, %(files)s files.")
                % {k: result.counts.get(k, 0) for k in ("names", "contacts", "files")},
            )
            return redirect(person)
    status = 400 if form.is_bound else 200
    return render(
        request, "privacy/person_erase.html", {"person": person, "form": form}, status=status
    )


@member_required("can_manage_retention")
def retention(request: MemberRequest) -> HttpResponse:
    policy = services.policy_for(request.organisation)
    form = RetentionPolicyForm(request.POST or None, instance=policy)
    if request.method == "POST" and form.is_valid():
        try:
            services.policy_update(actor=request.membership, request=request, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("privacy:retention")
    context = {"form": form, "runs": selectors.recent_runs(organisation=request.organisation)}
    return render(request, "privacy/retention.html", context, status=400 if form.errors else 200)


@require_POST
@member_required("can_manage_retention")
def retention_apply(request: MemberRequest) -> HttpResponse:
    run = services.retention_apply(
        organisation=request.organisation, actor=request.membership, request=request
    )
    messages.success(
        request,
        _("Applied: %(cases)s cases, %(persons)s persons, %(requests)s requests erased.")
        % {
            "cases": run.cases_erased,
            "persons": run.persons_erased,
            "requests": run.requests_erased,
        },
    )
    return redirect("privacy:retention")
