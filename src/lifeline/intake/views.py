"""The public SOS and check-in pages: no login, no cookie, no JavaScript needed
(lifeline.intake.pages says how). Thin: parse, call one service, render."""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.translation import gettext as _

from lifeline.accounts.models import Organisation
from lifeline.intake import codes, ratelimit, services
from lifeline.intake.forms import CheckInForm, SosForm
from lifeline.intake.inbox import InboxUnavailable
from lifeline.intake.pages import page_context, public_page


def _too_many() -> str:
    return _("Too many messages from this network just now. Please try again in a few minutes.")


def _sos_form(
    request: HttpRequest, language: str, form: SosForm, status: int = 200
) -> HttpResponse:
    form.offer_compound_names()
    return render(
        request, "intake/sos.html", page_context(request, language, form=form), status=status
    )


@public_page
def sos(request: HttpRequest, organisation: Organisation, language: str) -> HttpResponse:
    if request.method != "POST":
        return _sos_form(request, language, SosForm(initial={"token": codes.new_form_token()}))
    form = SosForm(request.POST, request.FILES)
    if not ratelimit.allow(request, kind="sos"):
        form.is_valid()
        form.add_error(None, _too_many())
        return _sos_form(request, language, form, status=429)
    if getattr(request, "upload_too_large", False):
        form.add_error("photo", _("The photo is too large."))
    if not form.is_valid():
        return _sos_form(request, language, form, status=400)
    if form.cleaned_data["website"]:  # the honeypot: a robot gets a code that belongs to nothing
        return _receipt(request, language, codes.random_code())
    nonce = form.nonce()
    if nonce is None:
        fresh = request.POST.copy()
        fresh["token"] = codes.new_form_token()
        form = SosForm(fresh)
        form.add_error(None, _("This page was open too long. Please press Send again."))
        return _sos_form(request, language, form, status=400)
    data: dict[str, Any] = form.cleaned_data
    photo = data["photo"].read() if data["photo"] else None
    try:
        receipted = services.sos_submit(
            organisation=organisation,
            nonce=nonce,
            sos=services.Sos(
                relation=data["relation"],
                names=data["names"],
                contact_kind=data["contact_kind"],
                contact=data["contact"],
                contact_times=data["contact_times"],
                country=data["country"],
                town=data["town"],
                compound=data["compound"],
                signs=data["signs"],
                text=data["text"],
                duress=data["duress"],
                photo=photo,
                share_location=data["share_location"],
                latitude=data["latitude"],
                longitude=data["longitude"],
            ),
            page_language=language,
            request=request,
        )
    except ValidationError as exc:
        _add_service_errors(form, exc)
        return _sos_form(request, language, form, status=400)
    except InboxUnavailable:
        # Not committed, so not received: the same form (same token) may simply be sent again.
        form.add_error(None, _("Your message was not sent. Please press Send again."))
        return _sos_form(request, language, form, status=503)
    return _receipt(request, language, receipted.code)


def _add_service_errors(form: SosForm, exc: ValidationError) -> None:
    fields = getattr(exc, "error_dict", {})
    if "subject_contact" in fields:
        form.add_error("contact", _("Please check this number or account name."))
    elif "photo" in fields:
        form.add_error("photo", fields["photo"][0].messages[0])
    else:
        form.add_error(None, _("Please check what you wrote and send it again."))


# The receipt page is the same for every sender but its code: rendered once per language
# (and page settings), split at the code, and joined around each sender's own. Rendering it
# anew was a fifth of the server's work per submission under a burst.
_CODE_MARK = "\x00code\x00"
_receipt_pages: dict[tuple[str, ...], tuple[str, str]] = {}


def _receipt(request: HttpRequest, language: str, code: str) -> HttpResponse:
    context = page_context(request, language, code=_CODE_MARK)
    key = tuple(str(context[name]) for name in ("lang", "path", "title", "exit_url", "check_path"))
    page = _receipt_pages.get(key)
    if page is None:
        before, after = render_to_string("intake/received.html", context).split(_CODE_MARK)
        page = _receipt_pages[key] = (before, after)
    return HttpResponse(page[0] + escape(codes.display_code(code)) + page[1])


@public_page
def check_in(request: HttpRequest, organisation: Organisation, language: str) -> HttpResponse:
    def page(form: CheckInForm, status: int = 200) -> HttpResponse:
        context = page_context(request, language, form=form)
        return render(request, "intake/check_in.html", context, status=status)

    if request.method != "POST":
        return page(CheckInForm())
    form = CheckInForm(request.POST)
    if not ratelimit.allow(request, kind="checkin"):
        form.is_valid()
        form.add_error(None, _too_many())
        return page(form, status=429)
    if not form.is_valid():
        return page(form, status=400)
    if form.cleaned_data["website"]:
        return render(request, "intake/checked_in.html", page_context(request, language))
    checkin = services.check_in_submit(
        organisation=organisation,
        code=form.cleaned_data["code"],
        status=form.cleaned_data["status"],
        message=form.cleaned_data["message"],
        language=language,
        request=request,
    )
    if checkin is None:
        form.add_error("code", _("This code is not right. Please check it."))
        return page(form, status=400)
    # The same answer whether or not the message held the duress word.
    return render(request, "intake/checked_in.html", page_context(request, language))
