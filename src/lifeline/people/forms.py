from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from lifeline.core.forms import VersionedForm
from lifeline.core.vocabularies import Gender
from lifeline.people.models import ContactKind, IdentifierKind, NameKind


class NameForm(forms.Form):
    value = forms.CharField(label=_("Name"), max_length=200, help_text=_("Any script."))
    kind = forms.ChoiceField(label=_("Kind"), choices=NameKind.choices, initial=NameKind.ALIAS)


class ContactForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ContactKind.choices)
    value = forms.CharField(label=_("Number or handle"), max_length=200)
    is_safe = forms.BooleanField(label=_("Safe to contact"), required=False)


class IdentifierForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document"), choices=IdentifierKind.choices)
    value = forms.CharField(label=_("Number"), max_length=60)
    country = forms.ChoiceField(
        label=_("Issued by"), required=False, choices=[("", "—"), *countries]
    )


class PersonDetailsForm(VersionedForm):
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices)
    birth_date = forms.DateField(
        label=_("Date of birth"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    age = forms.IntegerField(label=_("Age"), required=False, min_value=0, max_value=120)
    citizenship = forms.ChoiceField(
        label=_("Citizenship"), required=False, choices=[("", "—"), *countries]
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 4})
    )

    FIELDS = ("gender", "birth_date", "age", "citizenship", "notes")
