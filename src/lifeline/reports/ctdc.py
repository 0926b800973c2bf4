"""The CTDC-style statistical export: a k-anonymous victim-level file and aggregate tables in
HTCDS names and value lists, zipped with a manifest of the parameters.

Only banded and coded values are ever read from the database (year of registration, age band,
gender, citizenship, country of the latest sighting, HTCDS codes): no name, contact, free text
or exact date is selected, so none can reach the file. The victims are counted in one GROUP BY
per table; the release rules (lifeline.reports.ctdc_rules) work on those counts.
"""

import datetime
import hashlib
import json
import re
import time
import zipfile
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, Func, IntegerField, OuterRef, QuerySet, Subquery
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from lifeline.accounts.models import Membership
from lifeline.audit.services import audit_log
from lifeline.cases.models import Case
from lifeline.cases.workflow import HTCDS_STATUS
from lifeline.core.csvsafe import csv_text
from lifeline.core.errors import NotPermitted
from lifeline.core.vocabularies import (
    AGE_BANDS,
    Gender,
    MethodOfControl,
    RelationshipToTrafficker,
    TraffickingStatus,
    TypeOfExploitation,
)
from lifeline.reports import ctdc_rules as rules
from lifeline.sites.models import Sighting

FORMAT_VERSION = "1"
MIN_K = 5
MAX_K = 1000
T = TypeOfExploitation
# Forms of exploitation counted apart in the UNODC-style table; the others are "Other".
UNODC_FORMS = (
    T.FORCED_CRIMINALITY,
    T.FORCED_LABOUR,
    T.SEXUAL_EXPLOITATION,
    T.FORCED_MARRIAGE,
    T.FORCED_BEGGING,
)
CHILD_BANDS = frozenset(label for lowest, label in AGE_BANDS if lowest < 18)
FEMALE = frozenset({Gender.FEMININE, Gender.TRANSGENDER_FEMININE})
MALE = frozenset({Gender.MASCULINE, Gender.TRANSGENDER_MASCULINE})
# ForcedCriminality goes to HTCDS as forced labour in ISIC section J (online scamming).
FORCED_CRIMINALITY_INDUSTRY = "J_InformationAndCommunication"


def default_k() -> int:
    return int(settings.LIFELINE_CTDC_K)


@dataclass(frozen=True)
class ExportParameters:
    k: int
    from_year: int | None = None
    to_year: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"k": self.k, "from_year": self.from_year, "to_year": self.to_year}


def check_parameters(*, k: int, from_year: int | None, to_year: int | None) -> ExportParameters:
    """Parameters, or a ValidationError that says what is wrong (the UI, API and CLI show it)."""
    if not MIN_K <= k <= MAX_K:
        raise ValidationError(
            {"k": [_("k must be between %(min)s and %(max)s.") % {"min": MIN_K, "max": MAX_K}]}
        )
    for name, year in (("from_year", from_year), ("to_year", to_year)):
        if year is not None and not 1990 <= year <= 2100:
            raise ValidationError({name: [_("Years must be between 1990 and 2100.")]})
    if from_year is not None and to_year is not None and from_year > to_year:
        raise ValidationError({"to_year": [_("The last year must not be before the first.")]})
    return ExportParameters(k=k, from_year=from_year, to_year=to_year)


# Reading: banded, coded values only --------------------------------------------------------


def _victims(org_id: int, params: ExportParameters) -> QuerySet[Case]:
    """The cases of possible and actual victims (not those found not to be victims)."""
    cases = Case.objects.filter(organisation_id=org_id).exclude(
        trafficking_status=TraffickingStatus.NOT_A_VICTIM
    )
    if params.from_year is not None:
        cases = cases.filter(created_at__year__gte=params.from_year)
    if params.to_year is not None:
        cases = cases.filter(created_at__year__lte=params.to_year)
    return cases


def _country_of_exploitation(org_id: int) -> Subquery:
    # The country of the person's latest sighting (sightings keep it in clear).
    return Subquery(
        Sighting.objects.filter(
            organisation_id=org_id, person_id=OuterRef("person_id"), is_latest=True
        ).values("country")[:1]
    )


class RegistrationYear(Func):
    """The year of a timestamp in UTC, computed by the database itself (Django's ExtractYear
    calls a Python function per row on SQLite, which dominates an export of a million cases).
    UTC, not local time: a case opened in the first hours of a new year may count in the old
    one, which the year band tolerates."""

    output_field = IntegerField()
    arity = 1

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # SQLite stores Django's timestamps as UTC text, "YYYY-MM-DD HH:MM:SS…".
        return self.as_sql(
            compiler, connection, template="CAST(SUBSTR(%(expressions)s, 1, 4) AS INTEGER)", **extra
        )

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="CAST(EXTRACT(YEAR FROM %(expressions)s AT TIME ZONE 'UTC') AS INTEGER)",
            **extra,
        )


def _flag(value: bool) -> str:
    return "1" if value else "0"


AGE_LABELS = frozenset(label for _lowest, label in AGE_BANDS)
COUNTRY_CODE = re.compile(r"[A-Z]{2}")


def _only(value: Any, allowed: Collection[str]) -> str:
    """The value if it is one of the value list's codes, else "": a column can never carry
    anything but its codes, whatever a corrupt or imported row holds."""
    text = str(value or "")
    return text if text in allowed else ""


def _country(value: Any) -> str:
    text = str(value or "")
    return text if COUNTRY_CODE.fullmatch(text) else ""


def _codes(value: Any) -> list[str]:
    return [str(item) for item in value] if isinstance(value, list) else []


def _victim_combination(row: tuple[Any, ...]) -> rules.Combination:
    year, band, gender, citizenship, exploited_in, status, types, relation, case_status = row
    types = set(types if isinstance(types, list) else [])
    forced_criminality = T.FORCED_CRIMINALITY in types
    other = types - {T.FORCED_CRIMINALITY, T.FORCED_LABOUR, T.SEXUAL_EXPLOITATION}
    return (
        str(int(year)),
        _only(band, AGE_LABELS),
        _only(gender, Gender.values),
        _country(citizenship),
        _country(exploited_in),
        _only(status, TraffickingStatus.values),
        _flag(forced_criminality or T.FORCED_LABOUR in types),
        _flag(T.SEXUAL_EXPLOITATION in types),
        _flag(bool(other)),
        _flag(forced_criminality),
        FORCED_CRIMINALITY_INDUSTRY if forced_criminality else "",
        _only(relation, RelationshipToTrafficker.values),
        HTCDS_STATUS.get(case_status, ""),
    )


def victim_combinations(
    org_id: int, params: ExportParameters
) -> tuple[Counter[rules.Combination], Counter[tuple[str, ...]]]:
    """Victims counted by their combination of released values, and by year, UNODC victim
    group and form of exploitation (a victim of several forms counts once in each): one
    GROUP BY for both."""
    grouped = (
        _victims(org_id, params)
        .annotate(
            year=RegistrationYear("created_at"), exploited_in=_country_of_exploitation(org_id)
        )
        .values_list(
            "year",
            "person__age_band",
            "person__gender",
            "person__citizenship",
            "exploited_in",
            "trafficking_status",
            "exploitation_types",
            "relationship_to_trafficker",
            "status",
        )
        .annotate(n=Count("pk"))
        .order_by()
    )
    combinations: Counter[rules.Combination] = Counter()
    forms: Counter[tuple[str, ...]] = Counter()
    for *values, n in grouped:
        combinations[_victim_combination(tuple(values))] += n
        year, band, gender, types = values[0], values[1], values[2], values[6]
        group = victim_group(_only(gender, Gender.values), _only(band, AGE_LABELS))
        found = {t if t in UNODC_FORMS else "Other" for t in _codes(types)}
        for form in sorted(found) or ["Unknown"]:
            forms[(str(int(year)), group, form)] += n
    return combinations, forms


def control_combinations(org_id: int, params: ExportParameters) -> Counter[tuple[str, ...]]:
    """Victims counted by year and their list of methods of control."""
    grouped = (
        _victims(org_id, params)
        .annotate(year=RegistrationYear("created_at"))
        .values_list("year", "methods_of_control")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: Counter[tuple[str, ...]] = Counter()
    for year, methods, n in grouped:
        for method in sorted(set(_codes(methods)) & set(MethodOfControl.values)):
            counts[(str(int(year)), method)] += n
    return counts


# Tables -------------------------------------------------------------------------------------

_I = {name: i for i, name in enumerate(rules.COLUMNS)}


def victim_group(gender: str, band: str) -> str:
    """UNODC's women / men / girls / boys; "unknown" when sex or age is not known."""
    if not band or gender not in FEMALE | MALE:
        return "unknown"
    child = band in CHILD_BANDS
    if gender in FEMALE:
        return "girls" if child else "women"
    return "boys" if child else "men"


def build_tables(
    combinations: Counter[rules.Combination],
    controls: Counter[tuple[str, ...]],
    forms: Counter[tuple[str, ...]],
    k: int,
) -> list[rules.Table]:
    year, band, gender = _I["yearOfRegistration"], _I["ageBroad"], _I["prs_Gender"]
    nationality, exploited_in = _I["prs_Nationality"], _I["CountryOfExploitation"]
    return [
        rules.round_table(
            "unodc_victims",
            ("yearOfRegistration", "victimGroup", "formOfExploitation"),
            forms,
            k,
        ),
        rules.round_table(
            "nationality",
            ("yearOfRegistration", "prs_Nationality"),
            rules.tally(combinations, lambda c: [(c[year], c[nationality] or "unknown")]),
            k,
        ),
        rules.round_table(
            "country_of_exploitation",
            ("yearOfRegistration", "CountryOfExploitation"),
            rules.tally(combinations, lambda c: [(c[year], c[exploited_in] or "unknown")]),
            k,
        ),
        rules.round_table(
            "age_gender",
            ("yearOfRegistration", "ageBroad", "prs_Gender"),
            rules.tally(
                combinations, lambda c: [(c[year], c[band] or "unknown", c[gender] or "unknown")]
            ),
            k,
        ),
        rules.round_table(
            "methods_of_control", ("yearOfRegistration", "vic_MethodsOfControl"), controls, k
        ),
    ]


# The release --------------------------------------------------------------------------------


@dataclass
class Release:
    params: ExportParameters
    victims: rules.VictimRelease
    tables: list[rules.Table]
    generated_at: datetime.datetime
    seconds: float = 0.0
    files: dict[str, str] = field(default_factory=dict)

    def manifest(self) -> dict[str, Any]:
        return {
            "format": "lifeline-ctdc",
            "format_version": FORMAT_VERSION,
            "generated_at": self.generated_at.strftime("%Y-%m-%dT%H:%MZ"),
            "standards": {
                "field_names": "HTCDS 2.0 (prs_, vic_, cas_) and CTDC (yearOfRegistration, "
                "ageBroad, CountryOfExploitation, is* flags)",
                "age_bands": [label for _lowest, label in AGE_BANDS],
            },
            "parameters": {
                **self.params.as_dict(),
                "quasi_identifiers": list(rules.COLUMNS),
                "generalisation_order": [list(group) for group in rules.GENERALISATION_ORDER],
                "withheld_value": rules.WITHHELD,
                "aggregate_rounding": "down to a multiple of k; cells under k left out",
            },
            "rules": [
                "bands only: year of registration and age bands, never exact dates",
                "no names, contacts, identifiers or free text",
                "every combination of the victim-level file's columns is shared by at least "
                "k records",
                "aggregate counts rounded down to multiples of k; cells under k suppressed",
            ],
            "notes": [
                "isForcedCriminality (forced online scamming) is a Lifeline extension; such "
                "victims also have isForcedLabour=1 and vic_LabourIndustry="
                f"{FORCED_CRIMINALITY_INDUSTRY}, as HTCDS has no category for it",
                "CountryOfExploitation is the country where the person was last sighted",
                "possible and actual victims are counted; persons found not to be victims are not",
                "in unodc_victims a victim of several forms counts once in each",
                "an empty cell in victims.csv is unknown or withheld",
            ],
            "victims": {
                "records_considered": self.victims.total,
                "records_released": self.victims.records,
                "records_released_unchanged": self.victims.records
                - sum(step.records for step in self.victims.steps),
                "records_generalised": [
                    {"withheld": list(step.withheld), "records": step.records}
                    for step in self.victims.steps
                    if step.records
                ],
                "records_suppressed": self.victims.suppressed,
            },
            "tables": {
                table.name: {
                    "columns": [*table.columns, "count"],
                    "cells_released": len(table.cells),
                    "cells_suppressed": len(table.suppressed),
                }
                for table in self.tables
            },
            "files": self.files,
        }


def build_release(*, actor: Membership, params: ExportParameters) -> Release:
    """Compute what would be released; nothing is written or audited (the preview)."""
    if not actor.has("can_view_statistics"):
        raise NotPermitted
    started = time.perf_counter()
    org_id = actor.organisation_id
    combinations, forms = victim_combinations(org_id, params)
    victims = rules.release_victims(combinations, params.k)
    if not all(n >= params.k for n in victims.released.values()):  # never, by construction
        raise AssertionError("a released combination is under k")
    tables = build_tables(
        combinations,
        control_combinations(org_id, params),
        forms,
        params.k,
    )
    return Release(
        params=params,
        victims=victims,
        tables=tables,
        generated_at=timezone.now(),
        seconds=time.perf_counter() - started,
    )


def write_zip(release: Release, out: IO[bytes]) -> None:
    """victims.csv, one CSV per table, and manifest.json (with each CSV's SHA-256)."""
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        documents = {
            "victims.csv": csv_text(list(rules.COLUMNS), rules.victim_rows(release.victims))
        }
        for table in release.tables:
            documents[f"{table.name}.csv"] = csv_text([*table.columns, "count"], table.rows())
        for name, text in documents.items():
            data = text.encode("utf-8")
            release.files[name] = hashlib.sha256(data).hexdigest()
            archive.writestr(name, data)
        archive.writestr(
            "manifest.json", json.dumps(release.manifest(), indent=2, ensure_ascii=False)
        )


def ctdc_export(
    *,
    actor: Membership,
    params: ExportParameters,
    out: IO[bytes],
    request: HttpRequest | None = None,
    channel: str = "ui",
) -> Release:
    """Write the release to ``out`` and audit it (parameters and counts, nothing else)."""
    release = build_release(actor=actor, params=params)
    write_zip(release, out)
    audit_log(
        actor=actor.user,
        organisation=actor.organisation,
        action="reports.ctdc.exported",
        request=request,
        payload={
            "channel": channel,
            "k": params.k,
            "from_year": params.from_year,
            "to_year": params.to_year,
            "records_released": release.victims.records,
            "records_suppressed": release.victims.suppressed,
            "victims_sha256": release.files.get("victims.csv", "")[:16],
        },
    )
    return release
