import json
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from lifeline.core.forms import VersionedForm
from lifeline.sites.history import allowed_next
from lifeline.sites.models import (
    Credibility,
    Indicator,
    OperatorKind,
    OperatorRole,
    Reliability,
    SightingSource,
    SiteKind,
    SiteStatus,
)

BLANK = [("", "—")]


class SiteFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Name"), required=False, max_length=200, help_text=_("Any script or spelling")
    )
    status = forms.MultipleChoiceField(
        label=_("Status"), required=False, choices=SiteStatus.choices
    )
    country = forms.ChoiceField(label=_("Country"), required=False)
    indicator = forms.ChoiceField(
        label=_("Indicator"), required=False, choices=[*BLANK, *Indicator.choices]
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[*BLANK, *SiteKind.choices])

    def __init__(self, *args: Any, countries_in_use: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["country"]).choices = BLANK + [
            (code, countries.name(code)) for code in countries_in_use
        ]


class OutlineField(forms.CharField):
    """GeoJSON typed or pasted as text; the service checks the geometry."""

    widget = forms.Textarea(attrs={"rows": 4})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, dict):
            return json.dumps(value)
        return value

    def to_python(self, value: Any) -> Any:
        text = super().to_python(value)
        if not text:
            return None
        try:
            parsed = json.loads(text)
        except ValueError:
            raise forms.ValidationError(
                _("This is not GeoJSON (it does not parse as JSON).")
            ) from None
        if isinstance(parsed, dict) and parsed.get("type") == "Feature":
            parsed = parsed.get("geometry")
        return parsed


class AliasesField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return "\n".join(value)
        return value

    def to_python(self, value: Any) -> Any:
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


class SiteForm(forms.Form):
    FIELDS = (
        "name",
        "aliases",
        "kind",
        "country",
        "province",
        "town",
        "latitude",
        "longitude",
        "outline",
        "indicators",
    )

    name = forms.CharField(label=_("Name"), max_length=200)
    aliases = AliasesField(
        label=_("Other names"),
        required=False,
        max_length=6500,
        help_text=_("One per line, in any script."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=SiteKind.choices)
    country = forms.ChoiceField(label=_("Country"), choices=[*BLANK, *countries])
    province = forms.CharField(label=_("Province or state"), required=False, max_length=120)
    town = forms.CharField(label=_("Town"), required=False, max_length=120)
    latitude = forms.FloatField(
        label=_("Latitude"), required=False, help_text=_("Decimal degrees, e.g. 16.6920")
    )
    longitude = forms.FloatField(
        label=_("Longitude"), required=False, help_text=_("Decimal degrees, e.g. 98.5063")
    )
    outline = OutlineField(
        label=_("Outline"),
        required=False,
        max_length=100_000,
        help_text=_("Optional: a GeoJSON Polygon, longitude before latitude."),
    )
    indicators = forms.MultipleChoiceField(
        label=_("Indicators"),
        required=False,
        choices=Indicator.choices,
        widget=forms.CheckboxSelectMultiple,
    )


class SiteEditForm(SiteForm, VersionedForm):
    pass


class GradeFields(forms.Form):
    source = forms.CharField(
        label=_("Source"),
        max_length=500,
        help_text=_("Who or what says so: a press report, a rescued person's account, a partner."),
    )
    reliability = forms.ChoiceField(
        label=_("Source reliability"), choices=[*BLANK, *Reliability.choices]
    )
    credibility = forms.TypedChoiceField(
        label=_("Credibility of the claim"),
        coerce=int,
        choices=[*BLANK, *Credibility.choices],
    )


class StatusClaimForm(GradeFields):
    status = forms.ChoiceField(label=_("Status"), choices=SiteStatus.choices)
    claimed_on = forms.DateField(label=_("As of"), widget=forms.DateInput(attrs={"type": "date"}))
    relocated_to = forms.CharField(
        label=_("Moved to"),
        required=False,
        max_length=200,
        help_text=_("For a relocation: the other site's name as in the registry."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )
    field_order = ["status", "claimed_on", "relocated_to", "source", "reliability", "credibility"]

    def __init__(self, *args: Any, current: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only the moves the history allows from the current status (the service checks too).
        cast(forms.ChoiceField, self.fields["status"]).choices = allowed_next(current)


class OperatorForm(GradeFields):
    kind = forms.ChoiceField(label=_("Kind"), choices=OperatorKind.choices)
    role = forms.ChoiceField(label=_("Role"), choices=OperatorRole.choices)
    company_name = forms.CharField(label=_("Company name"), required=False, max_length=200)
    # A two-letter code, not a menu of 250 countries on every site page.
    company_country = forms.CharField(
        label=_("Registered in"),
        required=False,
        max_length=2,
        help_text=_("Country code, e.g. KH, HK, MM."),
    )
    person_name = forms.CharField(label=_("Person's name"), required=False, max_length=200)
    field_order = ["kind", "role", "company_name", "company_country", "person_name"]

    def __init__(self, *args: Any, may_name_persons: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not may_name_persons:
            del self.fields["person_name"]
            cast(forms.ChoiceField, self.fields["kind"]).choices = [
                (OperatorKind.COMPANY.value, OperatorKind.COMPANY.label)
            ]


class SightingForm(forms.Form):
    seen_at = forms.DateTimeField(
        label=_("When"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    source = forms.ChoiceField(label=_("Source"), choices=SightingSource.choices)
    site = forms.CharField(
        label=_("At a site"),
        required=False,
        max_length=200,
        help_text=_("The site's name as in the registry."),
    )
    place = forms.CharField(
        label=_("Or at a place"),
        required=False,
        max_length=300,
        help_text=_("A place that is not in the registry: a border crossing, a bus station."),
    )
    country = forms.ChoiceField(
        label=_("Country of the place"), required=False, choices=[*BLANK, *countries]
    )
    latitude = forms.FloatField(label=_("Latitude"), required=False)
    longitude = forms.FloatField(label=_("Longitude"), required=False)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )


class NearForm(forms.Form):
    latitude = forms.FloatField(label=_("Latitude"), min_value=-90, max_value=90)
    longitude = forms.FloatField(label=_("Longitude"), min_value=-180, max_value=180)
    radius_km = forms.FloatField(label=_("Within (km)"), min_value=0.1, max_value=500, initial=25)


class MapFilterForm(forms.Form):
    """The map's filters; sites/map.js reads them and asks /api/v1/sites/map."""

    status = forms.MultipleChoiceField(
        label=_("Status"), required=False, choices=SiteStatus.choices
    )
    country = forms.ChoiceField(label=_("Country"), required=False)
    indicator = forms.ChoiceField(
        label=_("Indicator"), required=False, choices=[*BLANK, *Indicator.choices]
    )
    at = forms.DateField(
        label=_("As on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, countries_in_use: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["country"]).choices = BLANK + [
            (code, countries.name(code)) for code in countries_in_use
        ]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"), help_text=_("GeoJSON (a FeatureCollection) or CSV with a header row.")
    )
    only_valid = forms.BooleanField(
        label=_("Import the valid rows even if some are refused"), required=False
    )
