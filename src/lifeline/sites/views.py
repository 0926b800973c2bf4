"""Pages of the site registry: the list with its filters, a site's page, and the forms that
add a site, edit it, record a status claim and record an operator."""

import json
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lifeline.accounts.decorators import member_required
from lifeline.audit.services import audit_log, audit_view
from lifeline.core.errors import ConflictError
from lifeline.core.forms import add_service_errors
from lifeline.core.http import MemberRequest
from lifeline.core.middleware import CSP
from lifeline.evidence.selectors import evidence_of_site
from lifeline.people.selectors import person_get
from lifeline.people.views import person_page
from lifeline.sites import selectors, services, sightings, transfer
from lifeline.sites.forms import (
    ImportForm,
    MapFilterForm,
    NearForm,
    OperatorForm,
    SightingForm,
    SiteEditForm,
    SiteFilterForm,
    SiteForm,
    StatusClaimForm,
)
from lifeline.sites.models import OperatorKind, Site


def tile_origin(url: str) -> str:
    """The scheme and host of a tile URL template, for the CSP; "" for none or a bad one."""
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.netloc or any(c in parts.netloc for c in " ;'\""):
        return ""
    return f"https://{parts.netloc}"


def _report(form: Any, exc: Exception) -> None:
    if isinstance(exc, ValidationError):
        add_service_errors(form, exc)
    else:
        form.add_error(None, str(exc))


@member_required("can_view_sites")
def site_list(request: MemberRequest) -> HttpResponse:
    form = SiteFilterForm(
        request.GET or None,
        countries_in_use=selectors.countries_in_use(actor=request.membership),
    )
    if form.is_bound and not form.is_valid():
        sites = selectors.visible_sites(actor=request.membership).none()
    else:
        data = form.cleaned_data if form.is_bound else {}
        sites = selectors.site_list(
            actor=request.membership,
            filters=selectors.SiteFilters(
                q=data.get("q") or "",
                status=data.get("status") or [],
                country=data.get("country") or "",
                indicator=data.get("indicator") or "",
                kind=data.get("kind") or "",
            ),
        )
    page = Paginator(sites, 50).get_page(request.GET.get("page"))
    audit_log(
        actor=request.user,
        organisation=request.organisation,
        action="sites.site.listed",
        request=request,
        payload={
            "filters": sorted(k for k, v in request.GET.items() if v and k != "page"),
            "count": len(page.object_list),
        },
    )
    return render(request, "sites/site_list.html", {"form": form, "page": page})


@member_required("can_view_sites")
def site_map(request: MemberRequest) -> HttpResponse:
    """The map: sites coloured by status, clustered, filtered; all drawing in sites/map.js."""
    tiles = settings.LIFELINE_MAP_TILES_URL
    context = {
        "form": MapFilterForm(
            countries_in_use=selectors.countries_in_use(actor=request.membership)
        ),
        "tiles_url": tiles,
        "tiles_attribution": settings.LIFELINE_MAP_TILES_ATTRIBUTION,
    }
    response = render(request, "sites/site_map.html", context)
    origin = tile_origin(tiles)
    if origin:
        # Only this page may load images from the configured tile server.
        response["Content-Security-Policy"] = CSP.replace(
            "img-src 'self' data:", f"img-src 'self' data: {origin}"
        )
    return response


@member_required("can_view_sites")
def site_near(request: MemberRequest) -> HttpResponse:
    """Sites near a point (a GPS hint, a request's place), nearest first."""
    form = NearForm(request.GET or None)
    found = []
    if form.is_bound and form.is_valid():
        try:
            found = selectors.sites_near(actor=request.membership, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        audit_log(
            actor=request.user,
            organisation=request.organisation,
            action="sites.site.searched_near",
            request=request,
            payload={"count": len(found)},
        )
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "sites/site_near.html", {"form": form, "found": found}, status=status)


@member_required("can_edit_sites")
def site_create(request: MemberRequest) -> HttpResponse:
    form = SiteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            site = services.site_create(
                actor=request.membership, request=request, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The site was added to the registry."))
            return redirect(site)
    status = 400 if form.is_bound else 200
    return render(request, "sites/site_form.html", {"form": form}, status=status)


def _site_page(
    request: MemberRequest,
    site: Site,
    *,
    claim_form: StatusClaimForm | None = None,
    operator_form: OperatorForm | None = None,
    status: int = 200,
) -> HttpResponse:
    actor = request.membership
    operators = list(selectors.site_operators(actor=actor, site=site))
    operators_shown = [op.pk for op in operators if op.kind == OperatorKind.PERSON]
    if actor.has("can_handle_evidence"):
        evidence = {
            "evidence_list": evidence_of_site(actor=actor, site=site),
            "evidence_upload_url": reverse("evidence:site_upload", args=[site.uid]),
            "evidence_max_mb": settings.LIFELINE_EVIDENCE_MAX_BYTES // (1024 * 1024),
        }
    else:
        evidence = {}
    occupancy = selectors.site_occupancy(actor=actor, site=site)
    audit_view(
        actor=request.user,
        organisation=request.organisation,
        obj=site,
        request=request,
        payload={
            "operator_ids": operators_shown,
            "person_ids": [sighting.person_id for sighting in occupancy.visible],
        },
    )
    context = {
        **evidence,
        "occupancy": occupancy,
        "site": site,
        "history": selectors.site_history(site=site),
        "operators": operators,
        "hidden_operators": selectors.hidden_operator_count(actor=actor, site=site),
        "claim_form": claim_form or StatusClaimForm(current=site.status),
        "operator_form": operator_form
        or OperatorForm(may_name_persons=actor.has("can_view_persons")),
    }
    return render(request, "sites/site_detail.html", context, status=status)


@member_required("can_view_sites")
def site_detail(request: MemberRequest, uid: str) -> HttpResponse:
    site = selectors.site_get(actor=request.membership, uid=uid)
    return _site_page(request, site)


@member_required("can_edit_sites")
def site_edit(request: MemberRequest, uid: str) -> HttpResponse:
    site = selectors.site_get(actor=request.membership, uid=uid)
    initial = {name: getattr(site, name) for name in SiteForm.FIELDS}
    initial |= {"country": str(site.country), "version": site.version}
    form = SiteEditForm(request.POST or None, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.site_update(
                actor=request.membership,
                site=site,
                version=data["version"],
                request=request,
                **{name: data[name] for name in SiteForm.FIELDS},
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except ConflictError as exc:
            conflict = exc
            posted = request.POST.copy()
            posted["version"] = str(exc.current_version)
            form = SiteEditForm(posted, initial=initial)
            form.is_valid()
        else:
            messages.success(request, _("The site was saved."))
            return redirect(site)
    status = 409 if conflict else (400 if form.is_bound else 200)
    return render(
        request,
        "sites/site_form.html",
        {"form": form, "site": site, "conflict": conflict},
        status=status,
    )


@require_POST
@member_required("can_publish_site_names")
def site_public_suggestion(request: MemberRequest, uid: str) -> HttpResponse:
    """Offer the site's names on the public SOS form, or stop: a checkbox on the site page."""
    site = selectors.site_get(actor=request.membership, uid=uid)
    suggest = request.POST.get("suggest_publicly") == "on"
    services.site_suggest_publicly(
        actor=request.membership, site=site, suggest=suggest, request=request
    )
    if suggest:
        messages.success(request, _("The public help form now suggests this site's names."))
    else:
        messages.success(request, _("The public help form no longer suggests this site's names."))
    return redirect(site)


@require_POST
@member_required("can_edit_sites")
def site_claim(request: MemberRequest, uid: str) -> HttpResponse:
    site = selectors.site_get(actor=request.membership, uid=uid)
    form = StatusClaimForm(request.POST, current=site.status)
    if form.is_valid():
        data = form.cleaned_data
        try:
            relocated_to = (
                selectors.site_by_name(
                    actor=request.membership, text=data["relocated_to"], field="relocated_to"
                )
                if data["relocated_to"]
                else None
            )
            services.site_claim_status(
                actor=request.membership,
                site=site,
                status=data["status"],
                claimed_on=data["claimed_on"],
                relocated_to=relocated_to,
                source=data["source"],
                reliability=data["reliability"],
                credibility=data["credibility"],
                note=data["note"],
                request=request,
            )
        except (ValidationError, Http404) as exc:
            _report(
                form,
                exc
                if isinstance(exc, ValidationError)
                else ValidationError({"relocated_to": [_("Choose a site of the registry.")]}),
            )
        else:
            messages.success(request, _("The status was recorded."))
            return redirect(site)
    site.refresh_from_db()
    return _site_page(request, site, claim_form=form, status=400)


@require_POST
@member_required("can_edit_sites")
def operator_add(request: MemberRequest, uid: str) -> HttpResponse:
    site = selectors.site_get(actor=request.membership, uid=uid)
    form = OperatorForm(request.POST, may_name_persons=request.membership.has("can_view_persons"))
    if form.is_valid():
        try:
            services.operator_add(
                actor=request.membership, site=site, request=request, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The operator was recorded."))
            return redirect(site)
    return _site_page(request, site, operator_form=form, status=400)


@require_POST
@member_required("can_edit_sites")
def operator_remove(request: MemberRequest, uid: str, operator_uid: str) -> HttpResponse:
    site = selectors.site_get(actor=request.membership, uid=uid)
    operator = selectors.operator_get(actor=request.membership, site=site, uid=operator_uid)
    services.operator_remove(actor=request.membership, operator=operator, request=request)
    messages.success(request, _("The operator was removed."))
    return redirect(site)


@require_POST
@member_required("can_work_cases")
def sighting_add(request: MemberRequest, uid: str) -> HttpResponse:
    """Record a sighting from the person's page (the person looked up first: 404 if hidden)."""
    person = person_get(actor=request.membership, uid=uid)
    form = SightingForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            site = (
                selectors.site_by_name(actor=request.membership, text=data["site"])
                if data["site"]
                else None
            )
            sightings.sighting_record(
                actor=request.membership,
                person=person,
                site=site,
                request=request,
                **{k: v for k, v in data.items() if k != "site"},
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The sighting was recorded."))
            return redirect(f"{person.get_absolute_url()}#trail")
    return person_page(request, person, forms={"sighting": form}, status=400)


@member_required("can_edit_sites")
def site_import(request: MemberRequest) -> HttpResponse:
    """Upload a GeoJSON or CSV file; the report names every refused row with its reasons."""
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = transfer.sites_import(
            actor=request.membership,
            data=upload.read(),
            filename=upload.name or "",
            only_valid=form.cleaned_data["only_valid"],
            request=request,
        )
        if report.imported and report.clean:
            messages.success(request, _("%(n)d sites were imported.") % {"n": report.imported})
            return redirect("sites:list")
    status = 400 if form.is_bound and (report is None or not report.imported) else 200
    context = {"form": form, "report": report}
    return render(request, "sites/site_import.html", context, status=status)


EXPORTS = {
    "geojson": ("application/geo+json", "sites.geojson"),
    "csv": ("text/csv; charset=utf-8", "sites.csv"),
    "ftm": ("application/json", "sites.ftm.json"),
}


@member_required("can_view_sites")
def site_export(request: MemberRequest, fmt: str) -> HttpResponse:
    """The sites of the list's filters as GeoJSON, CSV or FollowTheMoney entities (one per
    line). Audited with the format and the counts."""
    if fmt not in EXPORTS:
        raise Http404
    form = SiteFilterForm(
        request.GET or None, countries_in_use=selectors.countries_in_use(actor=request.membership)
    )
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    sites = list(
        selectors.site_list(
            actor=request.membership,
            filters=selectors.SiteFilters(
                q=data.get("q") or "",
                status=data.get("status") or [],
                country=data.get("country") or "",
                indicator=data.get("indicator") or "",
                kind=data.get("kind") or "",
            ),
        )
    )
    response = export_response(request.membership, sites, fmt)
    audit_log(
        actor=request.user,
        organisation=request.organisation,
        action="sites.site.exported",
        request=request,
        payload={"format": fmt, "count": len(sites), "operators": response.operator_count},  # type: ignore[attr-defined]
    )
    return response


def export_response(actor: Any, sites: list[Site], fmt: str) -> HttpResponse:
    content_type, filename = EXPORTS[fmt]
    operators = selectors.export_operators(actor=actor, sites=sites) if fmt == "ftm" else []
    if fmt == "geojson":
        body = json.dumps(transfer.as_geojson(sites), ensure_ascii=False)
    elif fmt == "csv":
        body = transfer.as_csv(sites)
    else:
        from lifeline.reports import ftm  # one FollowTheMoney export, built by the package

        body = "".join(
            json.dumps(entity, ensure_ascii=False) + "\n"
            for entity in ftm.site_entities(
                sites=sites,
                operators=operators,
                relocations=ftm.relocations_of(sites=sites),
                org_slug=actor.organisation.slug,
            )
        )
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.operator_count = len(operators)  # type: ignore[attr-defined]
    return response
