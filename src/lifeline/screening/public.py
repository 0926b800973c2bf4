"""The public job-check page (``/job-check/`` by default, ``LIFELINE_JOB_CHECK_PATH``): anyone
pastes a job offer or a recruiter's message and reads, in their own language, which warning
signs it has and why each matters, with the advice to verify and a link to ask for help.

It is a public page of the intake app's kind (``lifeline.intake.pages.public_page``): no login,
no cookie, no third-party request, no-store, hash-pinned CSP, works without JavaScript, the
language switcher and the quick exit, and rate-limited like the SOS form. Nothing pasted is
stored unless the reader presses "Report this offer": then it goes into the lure library of
the organisation the public pages serve, once per signed one-time form token.
"""

from typing import Any

from django import forms
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lifeline.accounts.models import Organisation
from lifeline.intake import codes, ratelimit
from lifeline.intake.forms import CHOOSE, COUNTRIES, LIMIT, TokenField
from lifeline.intake.pages import page_context, public_page
from lifeline.screening import model, scoring, services
from lifeline.screening.text import MAX_OFFER_CHARS, clean_offer

PLATFORMS = [
    ("", gettext_lazy("Where did you see it?")),
    ("facebook", "Facebook"),
    ("telegram", "Telegram"),
    ("wechat", "WeChat"),
    ("line", "LINE"),
    ("whatsapp", "WhatsApp"),
    ("tiktok", "TikTok"),
    ("job_board", gettext_lazy("A job website")),
    ("other", gettext_lazy("Somewhere else")),
]
MAX_TOWN = 100


class CheckForm(forms.Form):
    # A honeypot: hidden from people by the style sheet; robots fill it in.
    website = forms.CharField(required=False, max_length=200)
    # No max_length here: screening.text says what is too long, in the reader's language.
    text = forms.CharField(
        label=gettext_lazy("Paste the job offer or the recruiter's message"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # screening.text refuses NUL characters itself, with its message in the reader's words.
        self.fields["text"].validators = [
            v
            for v in self.fields["text"].validators
            if not isinstance(v, ProhibitNullCharactersValidator)
        ]

    def clean_text(self) -> str:
        return clean_offer(self.cleaned_data.get("text", ""))


class ReportForm(CheckForm):
    token = TokenField(required=False)
    text = forms.CharField(required=False, strip=False, widget=forms.HiddenInput)
    platform = forms.ChoiceField(
        label=gettext_lazy("Where did you see it?"),
        choices=PLATFORMS,
        required=False,
        error_messages=CHOOSE,
    )
    country = forms.ChoiceField(
        label=gettext_lazy("Country"), choices=COUNTRIES, required=False, error_messages=CHOOSE
    )
    town = forms.CharField(
        label=gettext_lazy("Town or area"),
        required=False,
        max_length=MAX_TOWN,
        error_messages={"max_length": LIMIT},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Its fields sit on the same page as the check form's: ids of their own.
        kwargs.setdefault("auto_id", "report_%s")
        super().__init__(*args, **kwargs)

    def nonce(self) -> str | None:
        return codes.read_form_token(self.data.get("token", ""))


def _too_many() -> str:
    return _("Too many messages from this network just now. Please try again in a few minutes.")


def _render(
    request: HttpRequest, language: str, template: str, status: int = 200, **extra: Any
) -> HttpResponse:
    context = page_context(
        request, language, max_chars=f"{MAX_OFFER_CHARS:,}", advice=scoring.ADVICE, **extra
    )
    return render(request, f"job_check/{template}.html", context, status=status)


@public_page
def job_check(request: HttpRequest, organisation: Organisation, language: str) -> HttpResponse:
    """Check an offer (nothing stored) or, with ``report``, report the one just checked."""
    if request.method != "POST":
        return _render(request, language, "check", form=CheckForm())
    try:
        posted = request.POST
    except RequestDataTooBig:  # a pasted book: more than the server reads at all
        refused = _(
            "The text is too long to check. Paste the offer itself, without the rest of the page."
        )
        return _render(request, language, "check", status=400, form=CheckForm(), refused=[refused])
    if "report" in posted:
        return _report(request, organisation, language)
    form = CheckForm(request.POST)
    if not ratelimit.allow(request, kind="jobcheck"):
        form.is_valid()
        form.add_error(None, _too_many())
        return _render(request, language, "check", status=429, form=form)
    if not form.is_valid():
        return _render(request, language, "check", status=400, form=form)
    text = form.cleaned_data["text"]
    result = scoring.screen(text, model=model.load_or_none(), explain=False)
    report = ReportForm(initial={"text": text, "token": codes.new_form_token()})
    return _render(request, language, "check", form=form, result=result, report=report)


def _report(request: HttpRequest, organisation: Organisation, language: str) -> HttpResponse:
    form = ReportForm(request.POST)
    if not ratelimit.allow(request, kind="jobreport"):
        form.is_valid()
        form.add_error(None, _too_many())
        return _render(request, language, "report", status=429, report=form)
    if not form.is_valid():
        return _render(request, language, "report", status=400, report=form)
    if form.cleaned_data["website"]:  # the honeypot: a robot is thanked, nothing is stored
        return _render(request, language, "reported")
    nonce = form.nonce()
    if nonce is None:
        fresh = request.POST.copy()
        fresh["token"] = codes.new_form_token()
        form = ReportForm(fresh)
        form.add_error(None, _("This page was open too long. Please press the button again."))
        return _render(request, language, "report", status=400, report=form)
    data = form.cleaned_data
    try:
        services.lure_report(
            organisation=organisation,
            nonce=nonce,
            text=data["text"],
            platform=data["platform"] or "other",
            country=data["country"] if data["country"] != "XX" else "",
            town=data["town"],
            request=request,
        )
    except ValidationError:
        form.add_error(None, _("Please check what you wrote and send it again."))
        return _render(request, language, "report", status=400, report=form)
    return _render(request, language, "reported")
