import datetime
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from lifeline.reports.statistics import DashboardFilters
from lifeline.sites.models import Site

BLANK = [("", "—")]
# The longest period the dashboard draws day by day.
MAX_PERIOD_DAYS = 3660
EARLIEST, LATEST = datetime.date(1990, 1, 1), datetime.date(2100, 12, 31)


class PlainSelect(forms.Select):
    """A select whose options are written in Python: hundreds of countries or sites cost a
    millisecond instead of one template rendering per option."""

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        chosen = "" if value is None else str(value)
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (str(code), " selected" if str(code) == chosen else "", label)
                for code, label in self.choices
            ),
        )
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(self.build_attrs(self.attrs, attrs)),
            options,
        )


class DashboardFilterForm(forms.Form):
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    country = forms.ChoiceField(label=_("Country"), required=False, widget=PlainSelect)
    site = forms.ChoiceField(label=_("Site"), required=False, widget=PlainSelect)

    def __init__(self, *args: Any, sites: QuerySet[Site] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["country"]).choices = BLANK + list(countries)
        self.sites = sites
        if sites is None:
            del self.fields["site"]
        else:
            cast(forms.ChoiceField, self.fields["site"]).choices = BLANK + [
                (str(uid), name) for uid, name in sites.order_by("name").values_list("uid", "name")
            ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        today = datetime.date.today()  # noqa: DTZ011 - a calendar day, compared with days
        for name in ("start", "end"):
            day = data.get(name)
            if day and not EARLIEST <= day <= LATEST:
                self.add_error(name, _("Choose a day between 1990 and 2100."))
                return data
        if start and end and start > end:
            self.add_error("end", _("The end of the period must not be before its start."))
        elif start and (end or today) - start > datetime.timedelta(days=MAX_PERIOD_DAYS):
            self.add_error("start", _("Choose a period of at most ten years."))
        return data

    def filters(self) -> DashboardFilters:
        """The filters of a valid form (or none for an unbound one)."""
        if not self.is_bound:
            return DashboardFilters()
        data = self.cleaned_data
        site = None
        if data.get("site") and self.sites is not None:
            site = self.sites.filter(uid=data["site"]).first()
        return DashboardFilters(
            start=data.get("start"),
            end=data.get("end"),
            country=data.get("country") or "",
            site=site,
        )
