from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _

from lifeline.screening.models import LureSource, Platform


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

    source = forms.ChoiceField(label=_("From"), choices=LureSource.choices)
    platform = forms.ChoiceField(label=_("Seen on"), choices=Platform.choices)
    seen_on = forms.DateField(label=_("Date seen"), widget=forms.DateInput(attrs={"type": "date"}))
    seen_where = forms.CharField(
        label=_("Where (group, page, board)"), required=False, max_length=200
    )
    country = forms.CharField(label=_("Country (ISO code)"), required=False, max_length=2)
    case = forms.UUIDField(label=_("Case (its id), if it came with one"), required=False)
