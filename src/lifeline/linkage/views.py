import math

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
from lifeline.linkage import selectors, services, tasks
from lifeline.linkage.forms import DecisionForm, ExportForm, ImportForm
from lifeline.linkage.labels import FIELD_LABELS, OUTCOME_LABELS, level_label
from lifeline.linkage.models import PairStatus
from lifeline.people.models import PersonName
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
            if form.cleaned_data["decision"] == PairStatus.SAME:
                messages.success(
                    request,
                    _("The two records were merged. The merge can be undone from the history."),
                )
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
        "run": selectors.latest_run(actor=request.membership),
    }
    return render(request, "linkage/queue.html", context)


def undo_summary(report: dict) -> str:
    """What an undo did, in a sentence for the person who asked for it."""
    parts = [
        _(
            "Moved back: %(names)d names, %(contacts)d contacts, %(identifiers)d documents, "
            "%(cases)d cases."
        )
        % {key: report.get(key, 0) for key in ("names", "contacts", "identifiers", "cases")}
    ]
    if report.get("kept_added_since"):
        parts.append(
            _("%(n)d names, contacts or documents added since the merge stay where they are.")
            % {"n": report["kept_added_since"]}
        )
    if report.get("gone"):
        parts.append(
            _("%(n)d rows deleted since the merge could not come back.") % {"n": report["gone"]}
        )
    if report.get("fields_kept"):
        parts.append(
            _("Changed since the merge, so left as they are: %(fields)s.")
            % {"fields": ", ".join(report["fields_kept"])}
        )
    return " ".join(str(p) for p in parts)


@member_required("can_review_duplicates")
def merge_history(request: MemberRequest) -> HttpResponse:
    page = Paginator(selectors.merge_history(actor=request.membership), 50).get_page(
        request.GET.get("page")
    )
    # The absorbed record's names live on the survivor while merged: show its primary one.
    name_ids = [pk for record in page for pk in record.moved.get("primary_names", [])[:1]]
    names = {
        n.pk: n.value
        for n in PersonName.objects.filter(organisation=request.organisation, pk__in=name_ids)
    }
    for record in page:
        first = record.moved.get("primary_names", [])[:1]
        record.absorbed_name = names.get(first[0], "") if first else ""  # type: ignore[attr-defined]
        record.summary = undo_summary(record.undo_report) if record.undone_at else ""  # type: ignore[attr-defined]
    audit_log(
        actor=request.user,
        organisation=request.organisation,
        action="linkage.merges.viewed",
        payload={"merge_ids": [record.pk for record in page]},
        request=request,
    )
    return render(request, "linkage/merge_history.html", {"page": page})


@require_POST
@member_required("can_review_duplicates")
def merge_undo(request: MemberRequest, uid) -> HttpResponse:
    record = selectors.merge_get(actor=request.membership, uid=uid)
    try:
        record = services.merge_undo(actor=request.membership, record=record, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The merge was undone. ") + undo_summary(record.undo_report))
    return redirect("linkage:merge_history")


def model_rows(parameters: dict) -> list[dict]:
    """Each field's levels with what was learnt (m, u, weight) beside the priors."""
    from lifeline.linkage.comparison import FIELDS, LEVELS
    from lifeline.linkage.training import model_from_json

    model = model_from_json(parameters)
    rows = []
    for name in FIELDS:
        for level, (prior_m, prior_u) in LEVELS[name].items():
            m, u = model.levels[name][level]
            rows.append(
                {
                    "field": FIELD_LABELS[name],
                    "first": level == next(iter(LEVELS[name])),
                    "span": len(LEVELS[name]),
                    "level": level_label(name, level),
                    "m": m,
                    "u": u,
                    "weight": math.log2(m / u),
                    "prior_weight": math.log2(prior_m / prior_u),
                }
            )
    return rows


@member_required("can_review_duplicates")
def model(request: MemberRequest) -> HttpResponse:
    models = list(selectors.match_models(actor=request.membership)[:20])
    current = models[0] if models else None
    context = {
        "current": current,
        "models": models,
        "rows": model_rows(current.parameters if current else {}),
        "prior_one_in": None,
    }
    if current is not None and current.trained:
        context["prior_one_in"] = round(2.0 ** -float(current.parameters["prior"]))
    return render(request, "linkage/model.html", context)


@require_POST
@member_required("can_review_duplicates")
def run_start(request: MemberRequest) -> HttpResponse:
    try:
        run = services.run_start(actor=request.membership, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        tasks.run_dedup.enqueue(run.pk)
        messages.success(request, _("The search for duplicates has started."))
    return redirect("linkage:queue")


def _partners_page(request: MemberRequest, *, export_form=None, import_form=None, status=200):
    matches = list(selectors.cross_matches(actor=request.membership)[:200])
    audit_log(
        actor=request.user,
        organisation=request.organisation,
        action="linkage.cross_matches.viewed",
        payload={"person_ids": [m.person_id for m in matches]},
        request=request,
    )
    context = {
        "matches": matches,
        "export_form": export_form or ExportForm(),
        "import_form": import_form or ImportForm(),
    }
    return render(request, "linkage/partners.html", context, status=status)


@member_required("can_review_duplicates")
def partners(request: MemberRequest) -> HttpResponse:
    return _partners_page(request)


@require_POST
@member_required("can_review_duplicates")
def encodings_export(request: MemberRequest) -> HttpResponse:
    form = ExportForm(request.POST)
    if form.is_valid():
        try:
            data = services.encodings_export(
                actor=request.membership, secret=form.cleaned_data["secret"], request=request
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            response = HttpResponse(data, content_type="application/json")
            response["Content-Disposition"] = 'attachment; filename="lifeline-encodings.json"'
            return response
    return _partners_page(request, export_form=form, status=400)


@require_POST
@member_required("can_review_duplicates")
def encodings_import(request: MemberRequest) -> HttpResponse:
    form = ImportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            rows = services.encodings_import(
                actor=request.membership,
                data=form.cleaned_data["file"].read(),
                secret=form.cleaned_data["secret"],
                request=request,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Compared: %(n)d of your records match one of theirs.") % {"n": len(rows)},
            )
            return redirect("linkage:partners")
    return _partners_page(request, import_form=form, status=400)
