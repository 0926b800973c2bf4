from django.http import HttpResponse
from django.shortcuts import render

from lifeline.accounts.decorators import member_required
from lifeline.audit.services import audit_view
from lifeline.cases.selectors import cases_of_person
from lifeline.core.http import MemberRequest
from lifeline.linkage import selectors
from lifeline.linkage.labels import FIELD_LABELS, OUTCOME_LABELS, level_label
from lifeline.people.selectors import person_identifiers


def _side(request: MemberRequest, person) -> dict:
    return {
        "person": person,
        "names": person.names.all(),
        "contacts": person.contacts.all(),
        "identifiers": person_identifiers(person=person),
        "cases": cases_of_person(actor=request.membership, person_id=person.pk),
    }


def pair_context(request: MemberRequest, a, b) -> dict:
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
