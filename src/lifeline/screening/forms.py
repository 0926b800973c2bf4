from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _


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
