from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lifeline.accounts.decorators import member_required
from lifeline.audit.services import audit_log, audit_view
from lifeline.cases.selectors import cases_of_person
from lifeline.core.forms import add_service_errors
from lifeline.core.http import MemberRequest
from lifeline.linkage import selectors, services
from lifeline.linkage.forms import DecisionForm
from lifeline.linkage.labels import FIELD_LABELS, OUTCOME_LABELS, level_label
from lifeline.linkage.models import PairStatus
from lifeline.people.selectors import person_identifiers


def _side(request: MemberRequest, person) -> dict:
    return {
        "person": person,
        "names": person.names.all(),
        "contacts": person.contacts.all(),
        "identifiers": person_identifiers(person=person),
        "cases": cases_of_person(actor=request.membership, person_id=person.pk),
    }


def pair_context(request: MemberRequest, a, b, *, form=None) -> dict:
    comparison = selectors.compare_persons(a=a, b=b)
    rows = [
        {
            "field": FIELD_LABELS[f.field],
            "outcome": f.outcome,
            "outcome_label": OUTCOME_LABELS[f.outcome],
            "level": level_label(f.field, f.level),
            "weight": f.weight,
        }
        for f in comparison.fields
    ]
    return {
        "a": _side(request, a),
        "b": _side(request, b),
        "comparison": comparison,
        "rows": rows,
        "percent": round(comparison.probability * 100),
        "pair": selectors.pair_of(actor=request.membership, a=a, b=b),
        "form": form or DecisionForm(),
    }


@member_required("can_review_duplicates")
def pair_detail(request: MemberRequest, uid, other_uid) -> HttpResponse:
    a, b = selectors.person_pair(actor=request.membership, uid=uid, other_uid=other_uid)
    for shown, other in ((a, b), (b, a)):
        audit_view(
            actor=request.user,
            organisation=request.organisation,
            obj=shown,
            request=request,
            payload={"person_id": other.pk, "page": "duplicate_pair"},
        )
    return render(request, "linkage/pair_detail.html", pair_context(request, a, b))


@require_POST
@member_required("can_review_duplicates")
def pair_decide(request: MemberRequest, uid, other_uid) -> HttpResponse:
    a, b = selectors.person_pair(actor=request.membership, uid=uid, other_uid=other_uid)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.pair_decide(
                actor=request.membership,
                person=a,
                other=b,
                decision=form.cleaned_data["decision"],
                request=request,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your decision was recorded."))
            return redirect("linkage:queue")
    context = pair_context(request, a, b, form=form)
    return render(request, "linkage/pair_detail.html", context, status=400)


@member_required("can_review_duplicates")
def queue(request: MemberRequest) -> HttpResponse:
    status = request.GET.get("status", PairStatus.OPEN)
    if status not in PairStatus.values:
        status = PairStatus.OPEN
    pairs = selectors.review_queue(actor=request.membership, status=status)
    page = Paginator(pairs, 50).get_page(request.GET.get("page"))
    for pair in page:
        pair.findings = [  # type: ignore[attr-defined]
            level_label(field, level) for field, level in pair.levels.items() if level != "missing"
        ]
    audit_log(
        actor=request.user,
        organisation=request.organisation,
        action="linkage.queue.viewed",
        payload={"status": status, "pair_ids": [pair.pk for pair in page]},
        request=request,
    )
    context = {
        "page": page,
        "status": status,
        "statuses": PairStatus.choices,
        "query": f"status={status}",
    }
    return render(request, "linkage/queue.html", context)
