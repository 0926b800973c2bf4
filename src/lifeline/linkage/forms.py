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
