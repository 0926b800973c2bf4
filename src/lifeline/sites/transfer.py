"""Importing sites from GeoJSON or CSV with a validation report, and exporting the registry as
GeoJSON and CSV (the FollowTheMoney export is lifeline.reports.ftm's).

An import names every bad row with its reasons. By default nothing is imported until the file
is clean; ``only_valid`` imports the valid rows and reports the others.
"""

import csv
import datetime
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from lifeline.accounts.models import Membership
from lifeline.audit.services import audit_log
from lifeline.core.csvsafe import csv_text
from lifeline.core.errors import NotPermitted
from lifeline.sites import services
from lifeline.sites.models import Site

MAX_ROWS = 10_000
MAX_BYTES = 20 * 1024 * 1024
CSV_COLUMNS = [
    "name", "aliases", "kind", "country", "province", "town", "latitude", "longitude",
    "indicators", "status", "status_date", "source", "reliability", "credibility",
]  # fmt: skip
CLAIM_FIELDS = ("status", "status_date", "source", "reliability", "credibility")


@dataclass
class RowReport:
    row: int  # the CSV line or the GeoJSON feature number, from 1
    errors: dict[str, list[str]]


@dataclass
class ImportReport:
    total: int = 0
    imported: int = 0
    rejected: list[RowReport] = field(default_factory=list)
    error: str = ""  # the whole file could not be read

    @property
    def clean(self) -> bool:
        return not self.rejected and not self.error


def _split(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value]
    return [part.strip() for part in str(value or "").replace(";", "|").split("|") if part.strip()]


def _float(value: Any, field_name: str) -> float | None:
    if value in (None, ""):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ValidationError({field_name: [_("This is not a number.")]}) from None


def _row_values(raw: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    site = {
        "name": str(raw.get("name") or ""),
        "aliases": _split(raw.get("aliases")),
        "kind": str(raw.get("kind") or "compound"),
        "country": str(raw.get("country") or ""),
        "province": str(raw.get("province") or ""),
        "town": str(raw.get("town") or ""),
        "latitude": _float(raw.get("latitude"), "latitude"),
        "longitude": _float(raw.get("longitude"), "longitude"),
        "outline": raw.get("outline"),
        "indicators": _split(raw.get("indicators")),
    }
    claim = {key: raw.get(key) for key in CLAIM_FIELDS if raw.get(key) not in (None, "")}
    return site, claim


def _rows_from_csv(data: bytes) -> Iterator[tuple[int, dict[str, Any]]]:
    text = data.decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "name" not in reader.fieldnames:
        raise ValueError(_("The CSV file needs a header row with at least a “name” column."))
    yield from enumerate(reader, start=2)


def _rows_from_geojson(data: bytes) -> Iterator[tuple[int, dict[str, Any]]]:
    document = json.loads(data)
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise ValueError(_("The GeoJSON file must be a FeatureCollection."))
    for number, feature in enumerate(document.get("features") or [], start=1):
        props = dict((feature or {}).get("properties") or {})
        geometry = (feature or {}).get("geometry") or {}
        if geometry.get("type") == "Point":
            coords = geometry.get("coordinates") or [None, None]
            props["longitude"], props["latitude"] = (list(coords) + [None, None])[:2]
        elif geometry.get("type") == "Polygon":
            props["outline"] = geometry
        elif geometry:
            props["outline"] = geometry  # refused by the outline check, with its reason
        yield number, props


def _parse(data: bytes, filename: str) -> Iterator[tuple[int, dict[str, Any]]]:
    if filename.lower().endswith((".geojson", ".json")) or data.lstrip()[:1] == b"{":
        return _rows_from_geojson(data)
    return _rows_from_csv(data)


def _check(site: dict[str, Any], claim: dict[str, Any]) -> None:
    """Validate one row as the services would, writing nothing."""
    services.validate_site(site)
    if claim:
        services.validate_first_claim(claim)


@transaction.atomic
def sites_import(
    *,
    actor: Membership,
    data: bytes,
    filename: str,
    only_valid: bool = False,
    request: HttpRequest | None = None,
) -> ImportReport:
    """Validate every row, then import all of them, or (``only_valid``) the valid ones, or
    none when any row is bad. Each site is created through ``site_create`` (and its first
    status claim through ``site_claim_status``), in one transaction."""
    if not actor.has("can_edit_sites"):
        raise NotPermitted
    report = ImportReport()
    if len(data) > MAX_BYTES:
        report.error = _("The file is too large (at most 20 MB).")
        return report
    valid: list[tuple[dict[str, Any], dict[str, Any]]] = []
    try:
        for number, raw in _parse(data, filename):
            report.total += 1
            if report.total > MAX_ROWS:
                report.error = _("The file has too many rows (at most %(n)d).") % {"n": MAX_ROWS}
                return report
            try:
                site, claim = _row_values(raw)
                _check(site, claim)
            except ValidationError as exc:
                errors = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
                report.rejected.append(RowReport(row=number, errors=errors))
            else:
                valid.append((site, claim))
    except (UnicodeDecodeError, json.JSONDecodeError, csv.Error):
        report.error = _("The file could not be read as CSV (UTF-8) or GeoJSON.")
        return report
    except ValueError as exc:  # our own messages: not a FeatureCollection, no header row
        report.error = str(exc)
        return report
    if report.rejected and not only_valid:
        return report
    for site_values, claim in valid:
        created = services.site_create(actor=actor, **site_values)
        if claim:
            services.site_claim_status(
                actor=actor,
                site=created,
                status=claim["status"],
                claimed_on=datetime.date.fromisoformat(str(claim["status_date"])),
                source=str(claim["source"]),
                reliability=str(claim["reliability"]),
                credibility=int(claim["credibility"]),
            )
        report.imported += 1
    audit_log(
        actor=actor.user,
        organisation=actor.organisation,
        action="sites.site.imported",
        payload={
            "total": report.total,
            "imported": report.imported,
            "rejected": len(report.rejected),
        },
        request=request,
    )
    return report


# Export -----------------------------------------------------------------------------------------


def as_geojson(sites: list[Site]) -> dict[str, Any]:
    features = []
    for site in sites:
        geometry = site.outline or (
            {"type": "Point", "coordinates": [site.longitude, site.latitude]}
            if site.has_point
            else None
        )
        features.append(
            {
                "type": "Feature",
                "id": str(site.uid),
                "geometry": geometry,
                "properties": {
                    **_flat(site),
                    "latitude": site.latitude,
                    "longitude": site.longitude,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _flat(site: Site) -> dict[str, Any]:
    return {
        "uid": str(site.uid),
        "name": site.name,
        "aliases": "|".join(site.aliases),
        "kind": site.kind,
        "country": str(site.country),
        "province": site.province,
        "town": site.town,
        "indicators": "|".join(site.indicators),
        "status": site.status,
        "status_date": site.status_since.isoformat() if site.status_since else "",
        "grade": f"{site.status_reliability}{site.status_credibility or ''}",
    }


def as_csv(sites: list[Site]) -> str:
    columns = ["uid", "name", "aliases", "kind", "country", "province", "town", "latitude", "longitude", "indicators", "status", "status_date", "grade"]  # fmt: skip
    rows = (
        {**_flat(site), "latitude": site.latitude, "longitude": site.longitude} for site in sites
    )
    return csv_text(columns, ([row[c] for c in columns] for row in rows))
