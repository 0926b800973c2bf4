from typing import Any

from django import forms
from django.conf import settings
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _

from lifeline.screening.models import LureSource, Platform
from lifeline.screening.selectors import LureFilters


class OfferForm(forms.Form):
    # No max_length and no null-character check: screening.text says what is too long or not
    # text, in the same words as the API and the command line.
    text = forms.CharField(
        label=_("The offer or the recruiter's message"),
        widget=forms.Textarea(attrs={"rows": 10}),
        strip=False,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["text"]
        field.validators = [
            v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)
        ]


class LureForm(OfferForm):
    """An offer for the library: the text plus where and when it was seen."""

    # The public page's readers report through it, not through this form.
    source = forms.ChoiceField(
        label=_("From"),
        choices=[(v, label) for v, label in LureSource.choices if v != LureSource.PUBLIC_PAGE],
    )
    platform = forms.ChoiceField(label=_("Seen on"), choices=Platform.choices)
    seen_on = forms.DateField(label=_("Date seen"), widget=forms.DateInput(attrs={"type": "date"}))
    seen_where = forms.CharField(
        label=_("Where (group, page, board)"), required=False, max_length=200
    )
    country = forms.CharField(label=_("Country (ISO code)"), required=False, max_length=2)
    town = forms.CharField(label=_("Town"), required=False, max_length=100)
    latitude = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    longitude = forms.FloatField(
        label=_("Longitude"), required=False, min_value=-180, max_value=180
    )
    case = forms.UUIDField(label=_("Case (its id), if it came with one"), required=False)


LEVELS = [("", _("Any risk")), ("high", _("High")), ("medium", _("Medium")), ("low", _("Low"))]


class LureFilterForm(forms.Form):
    """The library's filters (GET): every field optional, a bad value is simply not applied."""

    source = forms.ChoiceField(
        label=_("Source"), required=False, choices=[("", _("Any source")), *LureSource.choices]
    )
    platform = forms.ChoiceField(
        label=_("Platform"), required=False, choices=[("", _("Any platform")), *Platform.choices]
    )
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("Any language")), *settings.LANGUAGES],
    )
    level = forms.ChoiceField(label=_("Risk"), required=False, choices=LEVELS)
    country = forms.CharField(label=_("Country"), required=False, max_length=2)
    seen_from = forms.DateField(
        label=_("Seen since"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    seen_to = forms.DateField(
        label=_("Seen until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    campaign = forms.UUIDField(label=_("Campaign"), required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # It shares the library page with the form that adds an offer: ids of its own.
        kwargs.setdefault("auto_id", "filter_%s")
        super().__init__(*args, **kwargs)

    def filters(self) -> LureFilters:
        self.is_valid()  # cleaned_data then holds the fields that are valid
        data = self.cleaned_data
        return LureFilters(
            source=data.get("source") or "",
            language=data.get("language") or "",
            platform=data.get("platform") or "",
            level=data.get("level") or "",
            seen_from=data.get("seen_from"),
            seen_to=data.get("seen_to"),
            campaign=data.get("campaign"),
            country=data.get("country") or "",
        )
