from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lifeline.reports.importing.fields import FIELDS
from lifeline.reports.importing.reader import ENCODINGS


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet"),
        help_text=_("CSV or XLSX, at most 20 MB, with the column titles in its first row."),
    )


class MappingForm(forms.Form):
    """One choice per column of the file: the Lifeline field it holds, or nothing."""

    def __init__(
        self, *args: Any, headers: list[str], fmt: str, sheets: list[str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.headers = headers
        choices = [("", _("— not imported —")), *FIELDS.items()]
        for index, header in enumerate(headers):
            self.fields[f"col_{index}"] = forms.ChoiceField(
                label=header, choices=choices, required=False
            )
        if fmt == "csv":
            self.fields["encoding"] = forms.ChoiceField(
                label=_("Encoding of the file"), choices=list(ENCODINGS.items())
            )
        elif len(sheets) > 1:
            self.fields["sheet"] = forms.ChoiceField(
                label=_("Sheet"), choices=[(s, s) for s in sheets]
            )

    def columns(self) -> dict[str, str]:
        return {h: self.cleaned_data.get(f"col_{i}") or "" for i, h in enumerate(self.headers)}

    def column_fields(self) -> list[forms.BoundField]:
        return [self[f"col_{i}"] for i in range(len(self.headers))]


class ConfirmForm(forms.Form):
    only_valid = forms.BooleanField(
        label=_("Import only the valid rows; leave out the refused ones"), required=False
    )
    skip_duplicates = forms.BooleanField(
        label=_("Leave out rows whose phone, handle or document is already recorded"),
        required=False,
        initial=True,
    )
