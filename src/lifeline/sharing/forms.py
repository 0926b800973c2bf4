from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from lifeline.sharing.models import (
    BriefingLevel,
    ConsentMethod,
    Outcome,
    PartnerKind,
    ReferralKind,
    ReferralProfile,
)

BLANK = [("", "—")]


def _choices(form: forms.Form, name: str, choices: list[tuple[str, str]]) -> None:
    cast(forms.ChoiceField, form.fields[name]).choices = choices


DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class PartnerForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        help_text=_("The desk or office, e.g. “Consular desk, Phnom Penh”"),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=PartnerKind.choices)
    country = forms.ChoiceField(label=_("Country"), required=False, choices=[*BLANK, *countries])
    contact_name = forms.CharField(label=_("Contact person"), required=False, max_length=200)
    contact_details = forms.CharField(
        label=_("Phones, e-mails, handles"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class PartnerEditForm(PartnerForm):
    is_active = forms.BooleanField(label=_("Active"), required=False)


class ReferralForm(forms.Form):
    receiver = forms.ChoiceField(label=_("Organisation"))
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=ReferralKind.choices,
        help_text=_(
            "A referral asks for help and you keep the case; a transfer hands it over and closes it here."
        ),
    )
    profile = forms.ChoiceField(label=_("What is shared"), choices=ReferralProfile.choices)
    consent_given_by = forms.CharField(label=_("Consent given by"), max_length=200)
    consent_at = forms.DateTimeField(label=_("Consent given on"), widget=DATETIME)
    consent_method = forms.ChoiceField(label=_("How"), choices=ConsentMethod.choices)
    reason = forms.CharField(
        label=_("Why"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    answer_within_days = forms.IntegerField(
        label=_("Answer within (days)"), min_value=1, max_value=90, initial=14
    )

    def __init__(self, *args: Any, organisations: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "receiver", BLANK + [(str(o.pk), o.name) for o in organisations])


class TransferAcceptForm(ReferralForm):
    """The owner's answer to a transfer request: the consent and profile of the transfer (the
    receiver and the kind are the request's)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["receiver"], self.fields["kind"]


class AnswerForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=1000)


class OperationForm(forms.Form):
    codename = forms.CharField(
        label=_("Code name"),
        max_length=80,
        help_text=_("Nothing that names the site or the people"),
    )
    window_start = forms.DateTimeField(label=_("Window opens"), widget=DATETIME)
    window_end = forms.DateTimeField(label=_("Window closes"), widget=DATETIME)
    members = forms.MultipleChoiceField(
        label=_("Members"), required=False, widget=forms.CheckboxSelectMultiple
    )
    sites = forms.MultipleChoiceField(
        label=_("Target sites"), required=False, widget=forms.CheckboxSelectMultiple
    )
    cases = forms.CharField(
        label=_("Cases"),
        required=False,
        max_length=2000,
        help_text=_("Case references, one per line or separated by commas"),
    )
    partners = forms.MultipleChoiceField(
        label=_("Partner agencies"), required=False, widget=forms.CheckboxSelectMultiple
    )
    rendezvous_landmarks = forms.CharField(
        label=_("Meeting points"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Two or more places, one per line, any of which would do: each partner is told a different one."
        ),
    )
    plan = forms.CharField(
        label=_("Plan"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(
        self, *args: Any, members: Any = (), sites: Any = (), partners: Any = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        _choices(
            self, "members", [(str(m.pk), f"{m.user} ({m.get_role_display()})") for m in members]
        )
        _choices(
            self, "sites", [(str(s.uid), f"{s.name} ({s.town or s.country.name})") for s in sites]
        )
        _choices(self, "partners", [(str(p.uid), p.name) for p in partners])

    def clean_cases(self) -> list[str]:
        text = self.cleaned_data.get("cases") or ""
        return [ref.strip().upper() for ref in text.replace(",", "\n").splitlines() if ref.strip()]


class OperationAddForm(OperationForm):
    """The same choices, without the fields that only a new operation has."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("codename", "window_start", "window_end", "plan", "rendezvous_landmarks"):
            del self.fields[name]


class OperationCloseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    present = forms.MultipleChoiceField(
        label=_("Who was there"), required=False, widget=forms.CheckboxSelectMultiple
    )
    found = forms.MultipleChoiceField(
        label=_("Who was found"), required=False, widget=forms.CheckboxSelectMultiple
    )
    notes = forms.CharField(
        label=_("What happened"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, members: Any = (), cases: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "present", [(str(m.user_id), str(m.user)) for m in members])
        _choices(self, "found", [(str(c.case_id), c.case.reference) for c in cases])


class BriefingForm(forms.Form):
    level = forms.ChoiceField(
        label=_("What is shared"), choices=BriefingLevel.choices, widget=forms.RadioSelect
    )
    partners = forms.MultipleChoiceField(
        label=_("Recipients"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Each recipient receives a variant of its own, so that a leak can be traced."),
    )

    def __init__(self, *args: Any, partners: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "partners", [(str(p.uid), p.name) for p in partners])


class LinkForm(forms.Form):
    expires_in_hours = forms.IntegerField(
        label=_("Valid for (hours)"), min_value=1, max_value=24 * 30, initial=48
    )
    max_views = forms.IntegerField(
        label=_("Opened at most (times)"), min_value=1, max_value=100, initial=3
    )


class TraceForm(forms.Form):
    text = forms.CharField(
        label=_("Text that came back"),
        required=False,
        max_length=100_000,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    image = forms.FileField(label=_("Or a photo or screenshot of a briefing"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("text") or "").strip() and not data.get("image"):
            raise forms.ValidationError(_("Paste the text, or choose an image."))
        return data
