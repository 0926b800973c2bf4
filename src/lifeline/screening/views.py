from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from lifeline.accounts.decorators import member_required
from lifeline.audit.services import audit_log, audit_view
from lifeline.cases.selectors import case_get
from lifeline.core.http import MemberRequest
from lifeline.screening import model, scoring, selectors, services
from lifeline.screening.forms import LureFilterForm, LureForm, OfferForm
from lifeline.screening.lure_map import lure_map_svg
from lifeline.screening.signs import SIGNS_BY_CODE


@member_required("can_screen_offers")
def screen(request: MemberRequest) -> HttpResponse:
    """Screen a pasted offer. The result is rendered, never stored."""
    form = OfferForm(request.POST or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = scoring.screen_offer(form.cleaned_data["text"])
        except ValidationError as exc:
            form.add_error("text", exc)
    context = {
        "form": form,
        "result": result,
        "model": model.load_or_none(),
        "advice": scoring.ADVICE,
    }
    return render(request, "screening/screen.html", context)


@member_required("can_manage_lures")
def library(request: MemberRequest) -> HttpResponse:
    """The lure library: the offers collected, newest sighting first, and the form to add one."""
    initial = {"seen_on": timezone.localdate()}
    if "prefill" in request.POST:
        # From the screening page: the pasted text, to complete with where and when.
        form = LureForm(initial={**initial, "text": request.POST.get("text", "")})
    else:
        form = LureForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_bound and form.is_valid():
        data = form.cleaned_data
        case = case_get(actor=request.membership, uid=data["case"]) if data["case"] else None
        try:
            lure = services.lure_add(
                actor=request.membership,
                text=data["text"],
                source=data["source"],
                platform=data["platform"],
                seen_on=data["seen_on"],
                seen_where=data["seen_where"],
                country=data["country"],
                town=data["town"],
                latitude=data["latitude"],
                longitude=data["longitude"],
                case=case,
                request=request,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("The offer was added to the library."))
            return redirect(lure)
    filtering = LureFilterForm(request.GET)
    filters = filtering.filters()
    found = selectors.lure_list(actor=request.membership, filters=filters)
    lures = list(found[:100])
    places = selectors.lure_places(lures=found)
    audit_log(
        actor=request.user,
        organisation=request.organisation,
        action="screening.lure.listed",
        payload={"count": len(lures), "filters": filters.used()},
        request=request,
    )
    context = {
        "form": form,
        "filtering": filtering,
        "lures": lures,
        "total": found.count(),
        "places": places,
        "map": lure_map_svg(places),
    }
    return render(request, "screening/library.html", context)


@member_required("can_manage_lures")
def lure_detail(request: MemberRequest, uid) -> HttpResponse:
    lure = selectors.lure_get(actor=request.membership, uid=uid)
    audit_view(actor=request.user, organisation=request.organisation, obj=lure, request=request)
    context = {
        "lure": lure,
        "identifiers": selectors.identifiers_of_lure(lure=lure),
        "timeline": selectors.campaign_timeline(lure=lure),
        "signs": [SIGNS_BY_CODE[code] for code in lure.sign_codes if code in SIGNS_BY_CODE],
    }
    return render(request, "screening/lure_detail.html", context)


@member_required("can_manage_lures")
def identifier_detail(request: MemberRequest, uid) -> HttpResponse:
    """One recruiter's handle, phone, company or payment detail: the offers and campaigns it
    appears in and the cases and persons it links to (those the member may see)."""
    identifier = selectors.identifier_get(actor=request.membership, uid=uid)
    reach = selectors.identifier_reach(actor=request.membership, identifier=identifier)
    audit_view(
        actor=request.user,
        organisation=request.organisation,
        obj=identifier,
        request=request,
        payload={"cases": [c.pk for c in reach.cases], "persons": [p.pk for p in reach.persons]},
    )
    context = {"identifier": identifier, "reach": reach}
    return render(request, "screening/identifier_detail.html", context)


@member_required("can_manage_lures")
def campaign_detail(request: MemberRequest, uid) -> HttpResponse:
    """A campaign's timeline (its offers, oldest sighting first) and the map of where they
    were seen."""
    campaign = selectors.campaign_get(actor=request.membership, uid=uid)
    found = selectors.campaign_lures(actor=request.membership, campaign=campaign)
    lures = list(found)
    places = selectors.lure_places(lures=found)
    audit_view(actor=request.user, organisation=request.organisation, obj=campaign, request=request)
    context = {
        "campaign": campaign,
        "lures": lures,
        "first_seen": lures[0].seen_on if lures else None,
        "last_seen": lures[-1].seen_on if lures else None,
        "places": places,
        "map": lure_map_svg(places),
    }
    return render(request, "screening/campaign_detail.html", context)
