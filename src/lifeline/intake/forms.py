"""The public forms. Every label and message is in the sender's language (locale/), every
field has a size limit, and nothing here is stored until the service runs."""

from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from lifeline.cases.models import ReporterRelation
from lifeline.intake.codes import normalise_code, normalise_word, read_form_token
from lifeline.intake.models import CheckInStatus
from lifeline.intake.selectors import intake_organisation, public_compound_names

RELATIONS = [
    (ReporterRelation.SELF, _("I am the person in danger")),
    (ReporterRelation.FAMILY, _("Family")),
    (ReporterRelation.FRIEND, _("Friend")),
    (ReporterRelation.OTHER, _("Someone else")),
]
CONTACT_KINDS = [
    ("phone", _("Phone")),
    ("wechat", "WeChat"),
    ("line", "LINE"),
    ("telegram", "Telegram"),
    ("whatsapp", "WhatsApp"),
    ("other", _("Other")),
]
COUNTRIES = [
    ("", _("Country")),
    ("KH", _("Cambodia")),
    ("MM", _("Myanmar")),
    ("LA", _("Laos")),
    ("TH", _("Thailand")),
    ("PH", _("Philippines")),
    ("MY", _("Malaysia")),
    ("VN", _("Vietnam")),
    ("ID", _("Indonesia")),
    ("CN", _("China")),
    ("XX", _("Other or not sure")),
]
# The danger signs a sender may tick, worded for them (cases.workflow.UrgencyReason codes).
SIGNS = [
    ("injured", _("Injured")),
    ("beaten", _("Beaten or tortured")),
    ("threatened", _("Threatened")),
    ("locked_in", _("Locked in")),
    ("passport_taken", _("Passport taken")),
    ("debt_demanded", _("Asked to pay money")),
    ("about_to_be_moved", _("Being moved or sold soon")),
]
STATUSES = [
    (CheckInStatus.STILL_THERE, _("Still there")),
    (CheckInStatus.MOVED, _("Moved to another place")),
    (CheckInStatus.SAFE, _("Safe now")),
    (CheckInStatus.IN_DANGER, _("In danger now")),
]
MAX_NAMES = 300
MAX_CONTACT = 100
MAX_TIMES = 200
MAX_PLACE = 150
MAX_TEXT = 3000
MAX_WORD = 40
MIN_WORD = 3
MAX_CHECKIN = 500
LIMIT = _("Please keep this shorter (at most %(limit_value)d characters).")
CHOOSE = {
    "required": _("Please choose one."),
    "invalid_choice": _("Please choose from the list."),
    "invalid_list": _("Please choose from the list."),
}
NUMBER = {
    "invalid": _("Please send the location again."),
    "min_value": _("Please send the location again."),
    "max_value": _("Please send the location again."),
}
PHOTO = {
    "invalid": _("Please send a photo or a screenshot."),
    "missing": _("Please send a photo or a screenshot."),
    "empty": _("The photo is empty. Please try another."),
}


class FixedChoiceField(forms.ChoiceField):
    """A choice field over this module's constant choices. Django deep-copies every field of
    every form it makes, choices included; these are never changed, so each copy shares them
    (a third of the cost of making the SOS form)."""

    def __deepcopy__(self, memo: dict[int, Any]) -> Any:
        return forms.Field.__deepcopy__(self, memo)


class FixedMultipleChoiceField(forms.MultipleChoiceField):
    def __deepcopy__(self, memo: dict[int, Any]) -> Any:
        return forms.Field.__deepcopy__(self, memo)


class TokenField(forms.CharField):
    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_length=200, **kwargs)


class SosForm(forms.Form):
    token = TokenField(required=False)
    # A honeypot: hidden from people by the style sheet; robots fill it in.
    website = forms.CharField(required=False, max_length=200)
    relation = FixedChoiceField(
        label=_("Who is writing?"),
        choices=RELATIONS,
        widget=forms.RadioSelect,
        error_messages={**CHOOSE, "required": _("Please choose who is writing.")},
    )
    names = forms.CharField(
        label=_("Name of the person in danger (any language, nicknames too)"),
        required=False,
        max_length=MAX_NAMES,
        error_messages={"max_length": LIMIT},
    )
    contact_kind = FixedChoiceField(
        label=_("Safe way to reach them"), choices=CONTACT_KINDS, error_messages=CHOOSE
    )
    contact = forms.CharField(
        label=_("Number or account"),
        required=False,
        max_length=MAX_CONTACT,
        error_messages={"max_length": LIMIT},
    )
    contact_times = forms.CharField(
        label=_("When is it safe to contact them?"),
        required=False,
        max_length=MAX_TIMES,
        error_messages={"max_length": LIMIT},
    )
    country = FixedChoiceField(
        label=_("Country"), choices=COUNTRIES, required=False, error_messages=CHOOSE
    )
    town = forms.CharField(
        label=_("Town or area"),
        required=False,
        max_length=MAX_PLACE,
        error_messages={"max_length": LIMIT},
    )
    compound = forms.CharField(
        label=_("Name of the building or company, if known"),
        required=False,
        max_length=MAX_PLACE,
        error_messages={"max_length": LIMIT},
    )
    signs = FixedMultipleChoiceField(
        label=_("Is any of this happening?"),
        choices=SIGNS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages=CHOOSE,
    )
    text = forms.CharField(
        label=_("What is happening?"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": LIMIT},
    )
    photo = forms.FileField(
        label=_("Photo or screenshot (optional)"), required=False, error_messages=PHOTO
    )
    share_location = forms.BooleanField(
        label=_("Share the location saved in the photo"), required=False
    )
    latitude = forms.FloatField(required=False, min_value=-90, max_value=90, error_messages=NUMBER)
    longitude = forms.FloatField(
        required=False, min_value=-180, max_value=180, error_messages=NUMBER
    )
    duress = forms.CharField(
        label=_("Secret word (optional)"),
        required=False,
        max_length=MAX_WORD,
        error_messages={"max_length": LIMIT},
    )

    compound_suggestions: list[str] = []

    def offer_compound_names(self) -> None:
        """Offer the known compound names a coordinator chose (a <datalist>: no JavaScript).
        Called only when the form is shown: a submission that succeeds needs no query for it."""
        organisation = intake_organisation()
        self.compound_suggestions = (
            public_compound_names(organisation=organisation) if organisation else []
        )
        if self.compound_suggestions:
            self.fields["compound"].widget.attrs["list"] = "compound-names"

    def clean_duress(self) -> str:
        word = normalise_word(self.cleaned_data.get("duress", ""))
        if word and len(word) < MIN_WORD:
            raise forms.ValidationError(
                _("The secret word needs at least %(n)d letters.") % {"n": MIN_WORD}
            )
        return word

    def clean_photo(self) -> UploadedFile[Any] | None:
        photo: UploadedFile[Any] | None = self.cleaned_data.get("photo")
        limit = settings.LIFELINE_INTAKE_MAX_PHOTO_BYTES
        if photo is not None and (photo.size or 0) > limit:
            raise forms.ValidationError(
                _("The photo is too large (at most %(size)s).") % {"size": filesizeformat(limit)}
            )
        return photo

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(data.get(field) for field in ("names", "contact", "text", "signs")):
            raise forms.ValidationError(
                _("Please write what is happening, or give a name or a way to reach them.")
            )
        return data

    def nonce(self) -> str | None:
        return read_form_token(self.data.get("token", ""))


class CheckInForm(forms.Form):
    website = forms.CharField(required=False, max_length=200)
    code = forms.CharField(
        label=_("Your code"),
        max_length=40,
        error_messages={"required": _("Please enter your code.")},
    )
    status = FixedChoiceField(
        label=_("How are things now?"),
        choices=STATUSES,
        widget=forms.RadioSelect,
        error_messages=CHOOSE,
    )
    message = forms.CharField(
        label=_("Message (optional)"),
        required=False,
        max_length=MAX_CHECKIN,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": LIMIT},
    )

    def clean_code(self) -> str:
        code = normalise_code(self.cleaned_data.get("code", ""))
        if code is None:
            raise forms.ValidationError(_("This code is not right. Please check it."))
        return code
