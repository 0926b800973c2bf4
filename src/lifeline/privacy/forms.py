from django import forms
from django.utils.translation import gettext_lazy as _

from lifeline.privacy.models import ErasureReason, RetentionPolicy
from lifeline.privacy.services import CONFIRMATION_WORD, MAX_DAYS

REASONS = [(value, label) for value, label in ErasureReason.choices if value != "retention"]


class ErasureForm(forms.Form):
    reason = forms.ChoiceField(label=_("Why"), choices=REASONS)
    confirmation = forms.CharField(
        label=_("Type %(word)s to confirm") % {"word": CONFIRMATION_WORD},
        max_length=20,
        strip=True,
    )


class RetentionPolicyForm(forms.ModelForm[RetentionPolicy]):
    class Meta:
        model = RetentionPolicy
        fields = ["closed_case_days", "rejected_request_days"]
        widgets = {
            "closed_case_days": forms.NumberInput(attrs={"min": 1, "max": MAX_DAYS}),
            "rejected_request_days": forms.NumberInput(attrs={"min": 1, "max": MAX_DAYS}),
        }
