"""Import screens: upload, mapping and dry run, confirmation and progress, rollback."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lifeline.accounts.decorators import member_required
from lifeline.audit.services import audit_log
from lifeline.core.forms import add_service_errors
from lifeline.core.http import MemberRequest
from lifeline.reports.importing import selectors, services, tasks
from lifeline.reports.importing.forms import ConfirmForm, MappingForm, UploadForm
from lifeline.reports.models import ImportBatch, ImportStatus

PREVIEW_ROWS = 3


@member_required("can_import_cases")
def import_list(request: MemberRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = services.import_upload(
                actor=request.membership,
                data=upload.read(),
                filename=upload.name or "",
                request=request,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("reports:import_detail", uid=batch.uid)
    if request.method == "POST" and getattr(request, "upload_too_large", False):
        form.add_error(None, _("The file is too large."))
    batches = selectors.import_batches(actor=request.membership)[:50]
    status = 400 if form.is_bound else 200
    return render(
        request, "reports/import_list.html", {"form": form, "batches": batches}, status=status
    )


def _mapping_form(batch: ImportBatch, data: Any = None) -> MappingForm:
    initial: dict[str, Any] = {
        f"col_{i}": batch.columns.get(h, "") for i, h in enumerate(batch.headers)
    }
    initial |= {"encoding": batch.encoding, "sheet": batch.sheet}
    return MappingForm(
        data,
        initial=initial,
        headers=batch.headers,
        fmt=batch.file_format,
        sheets=list(batch.sheets),
    )


def _page(
    request: MemberRequest,
    batch: ImportBatch,
    *,
    form: MappingForm | None = None,
    status: int = 200,
) -> HttpResponse:
    preview: list[list[Any]] = []
    if batch.status in (ImportStatus.UPLOADED, ImportStatus.CHECKED) and batch.blob:
        try:
            preview = [cells for _n, cells in services.read_batch(batch).rows[:PREVIEW_ROWS]]
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    problems = Paginator(batch.problems, 200).get_page(request.GET.get("page"))
    audit_log(
        actor=request.user,
        organisation=request.organisation,
        action="reports.import.viewed",
        obj=batch,
        payload={"preview_rows": len(preview)},
        request=request,
    )
    form = form or _mapping_form(batch)
    samples = [
        [row[i] for row in preview if i < len(row) and str(row[i]).strip()]
        for i in range(len(batch.headers))
    ]
    context = {
        "batch": batch,
        "form": form,
        "mapping_rows": list(zip(form.column_fields(), samples, strict=True)),
        "confirm": ConfirmForm(initial={"skip_duplicates": True}),
        "preview": preview,
        "problems": problems,
        "running": batch.status in (ImportStatus.QUEUED, ImportStatus.RUNNING),
    }
    return render(request, "reports/import_detail.html", context, status=status)


@member_required("can_import_cases")
def import_detail(request: MemberRequest, uid: Any) -> HttpResponse:
    batch = selectors.import_batch_get(actor=request.membership, uid=uid)
    if request.method != "POST":
        return _page(request, batch)
    form = _mapping_form(batch, request.POST)
    if form.is_valid():
        try:
            services.import_check(
                actor=request.membership,
                batch=batch,
                columns=form.columns(),
                encoding=form.cleaned_data.get("encoding"),
                sheet=form.cleaned_data.get("sheet"),
                request=request,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect(f"{batch.get_absolute_url()}#dry-run")
    batch.refresh_from_db()
    return _page(request, batch, form=form, status=400)


@require_POST
@member_required("can_import_cases")
def import_confirm(request: MemberRequest, uid: Any) -> HttpResponse:
    batch = selectors.import_batch_get(actor=request.membership, uid=uid)
    form = ConfirmForm(request.POST)
    form.is_valid()
    try:
        services.import_start(
            actor=request.membership,
            batch=batch,
            only_valid=form.cleaned_data.get("only_valid", False),
            skip_duplicates=form.cleaned_data.get("skip_duplicates", False),
            request=request,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        tasks.run_import.enqueue(batch.pk)
        messages.success(request, _("The import has started."))
    return redirect(batch.get_absolute_url())


@require_POST
@member_required("can_import_cases")
def import_rollback(request: MemberRequest, uid: Any) -> HttpResponse:
    batch = selectors.import_batch_get(actor=request.membership, uid=uid)
    try:
        counts = services.import_rollback(actor=request.membership, batch=batch, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _(
                "The import was rolled back: %(cases)d cases and %(persons)d persons removed, %(erased)d persons erased."
            )
            % counts,
        )
    return redirect(batch.get_absolute_url())


@require_POST
@member_required("can_import_cases")
def import_abandon(request: MemberRequest, uid: Any) -> HttpResponse:
    batch = selectors.import_batch_get(actor=request.membership, uid=uid)
    try:
        services.import_abandon(actor=request.membership, batch=batch, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The import was abandoned and its file destroyed."))
    return redirect("reports:import_list")
