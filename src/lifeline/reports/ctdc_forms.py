from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lifeline.core.forms import add_service_errors
from lifeline.reports import ctdc


class CtdcForm(forms.Form):
    k = forms.IntegerField(
        label=_("k (smallest group released)"),
        min_value=ctdc.MIN_K,
        max_value=ctdc.MAX_K,
        help_text=_("Every released combination stands for at least this many victims."),
    )
    from_year = forms.IntegerField(
        label=_("From year"), required=False, min_value=1990, max_value=2100
    )
    to_year = forms.IntegerField(label=_("To year"), required=False, min_value=1990, max_value=2100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["k"].initial = ctdc.default_k()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        try:
            data["params"] = ctdc.check_parameters(
                k=data["k"], from_year=data.get("from_year"), to_year=data.get("to_year")
            )
        except forms.ValidationError as exc:
            add_service_errors(self, exc)
        return data
