from django import forms
from django.utils.translation import gettext_lazy as _

from lifeline.linkage.models import PairStatus


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (PairStatus.SAME, _("The same person")),
            (PairStatus.DIFFERENT, _("Different persons")),
            (PairStatus.UNSURE, _("Not sure")),
        ],
        widget=forms.RadioSelect,
    )


class ExportForm(forms.Form):
    secret = forms.CharField(
        label=_("Shared secret"),
        widget=forms.PasswordInput,
        max_length=500,
        help_text=_("Agreed with the other organisation over a safe channel; never stored here."),
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Their encodings file"))
    secret = forms.CharField(label=_("Shared secret"), widget=forms.PasswordInput, max_length=500)
