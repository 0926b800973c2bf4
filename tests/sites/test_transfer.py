"""Import with a validation report (broken files), export as GeoJSON, CSV and FollowTheMoney."""

import csv
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lifeline.audit.models import AuditEvent
from lifeline.sites import services
from lifeline.sites.models import Site, StatusClaim
from lifeline.sites.transfer import sites_import
from tests.api import api_client
from tests.factories import claim, make_site

GOOD_CSV = """name,aliases,kind,country,town,latitude,longitude,indicators,status,status_date,source,reliability,credibility
KK Park,KK园区|KK,compound,MM,Myawaddy,16.7473,98.5266,razor_wire|cctv,active,2026-01-10,Press report,B,2
Chinatown,,casino,KH,Sihanoukville,10.6093,103.5296,,,,,,
"""
BAD_CSV = """name,kind,country,latitude,longitude,indicators,status,status_date,source,reliability,credibility
KK Park,compound,MM,16.7473,98.5266,,,,,,
Swapped,compound,KH,103.5296,10.6093,,,,,,
,compound,MM,,,,,,,,
Moat,compound,MM,,,moat,,,,,
Closed then,compound,MM,,,,reopened,2026-01-01,Police,A,1
No grade,compound,MM,,,,active,2026-01-01,Rumour,,
"""


def _geojson(*features):
    return json.dumps({"type": "FeatureCollection", "features": list(features)}).encode()


def _feature(geometry, **props):
    return {
        "type": "Feature",
        "geometry": geometry,
        "properties": {"kind": "compound", "country": "MM", **props},
    }


def test_it_imports_a_clean_csv_with_first_statuses(coordinator_a):
    report = sites_import(actor=coordinator_a, data=GOOD_CSV.encode(), filename="sites.csv")
    assert (report.total, report.imported, report.rejected) == (2, 2, [])
    kk = Site.objects.get(name="KK Park")
    assert kk.aliases == ["KK园区", "KK"] and kk.indicators == ["razor_wire", "cctv"]
    assert (kk.status, kk.status_reliability, kk.status_credibility) == ("active", "B", 2)
    assert AuditEvent.objects.get(action="sites.site.imported").payload == {"total": 2, "imported": 2, "rejected": 0}  # fmt: skip


def test_it_names_every_bad_row_and_imports_nothing(coordinator_a):
    report = sites_import(actor=coordinator_a, data=BAD_CSV.encode(), filename="sites.csv")
    assert report.imported == 0 and not Site.objects.exists() and not StatusClaim.objects.exists()
    by_row = {bad.row: bad.errors for bad in report.rejected}
    assert sorted(by_row) == [3, 4, 5, 6, 7]
    assert "swapped" in " ".join(by_row[3]["latitude"])
    assert "name" in by_row[4] and "indicators" in by_row[5]
    assert "status" in by_row[6] and "reliability" in by_row[7]


def test_it_imports_only_the_valid_rows_when_asked(coordinator_a):
    report = sites_import(
        actor=coordinator_a, data=BAD_CSV.encode(), filename="s.csv", only_valid=True
    )
    assert report.imported == 1 and len(report.rejected) == 5
    assert list(Site.objects.values_list("name", flat=True)) == ["KK Park"]


def test_it_imports_geojson_points_and_outlines_and_refuses_bad_geometry(coordinator_a):
    square = {"type": "Polygon", "coordinates": [[[98.50, 16.69], [98.51, 16.69], [98.51, 16.70], [98.50, 16.70], [98.50, 16.69]]]}  # fmt: skip
    bow_tie = {"type": "Polygon", "coordinates": [[[98.50, 16.69], [98.51, 16.70], [98.51, 16.69], [98.50, 16.70], [98.50, 16.69]]]}  # fmt: skip
    data = _geojson(
        _feature({"type": "Point", "coordinates": [98.5266, 16.7473]}, name="KK Park"),
        _feature(square, name="Walled"),
        _feature(bow_tie, name="Bow tie"),
        _feature({"type": "LineString", "coordinates": [[1, 2], [3, 4]]}, name="Line"),
    )
    report = sites_import(actor=coordinator_a, data=data, filename="sites.geojson")
    assert [(bad.row, list(bad.errors)) for bad in report.rejected] == [
        (3, ["outline"]),
        (4, ["outline"]),
    ]
    report = sites_import(actor=coordinator_a, data=data, filename="sites.geojson", only_valid=True)
    assert sorted(Site.objects.values_list("name", flat=True)) == ["KK Park", "Walled"]
    assert Site.objects.get(name="Walled").outline == square


@pytest.mark.parametrize(
    "data,filename",
    [(b"\xff\xfe\x00garbage", "x.csv"), (b"{not json", "x.geojson"), (b'{"type": "Feature"}', "x.geojson"), (b"a,b\n1,2\n", "x.csv")],
)  # fmt: skip
def test_it_refuses_files_it_cannot_read(coordinator_a, data, filename):
    report = sites_import(actor=coordinator_a, data=data, filename=filename)
    assert report.error and report.imported == 0 and not Site.objects.exists()


def test_it_shows_the_report_on_the_import_page(login, caseworker_a):
    client = login(caseworker_a)
    response = client.post(
        reverse("sites:import"), {"file": SimpleUploadedFile("s.csv", BAD_CSV.encode())}
    )
    body = response.content.decode()
    assert response.status_code == 400 and "6 rows read, 5 refused, 0 imported." in body
    assert "swapped" in body and not Site.objects.exists()
    response = client.post(
        reverse("sites:import"), {"file": SimpleUploadedFile("s.csv", GOOD_CSV.encode())}
    )
    assert response.status_code == 302 and Site.objects.count() == 2


@pytest.fixture
def registry(coordinator_a):
    kk = make_site(
        coordinator_a, name="KK Park", aliases=["KK"], latitude=16.7473, longitude=98.5266
    )
    claim(coordinator_a, kk, "active")
    make_site(coordinator_a, name="=HYPERLINK(1)", aliases=[], latitude=None, longitude=None)
    services.operator_add(actor=coordinator_a, site=kk, kind="company", role="owner", company_name="Yatai", source="Registry", reliability="A", credibility=1)  # fmt: skip
    services.operator_add(actor=coordinator_a, site=kk, kind="person", role="manager", person_name="Boss Wang", source="Account", reliability="C", credibility=3)  # fmt: skip
    return kk


def test_it_exports_geojson_and_csv_without_formulas(login, analyst_a, registry):
    geo = login(analyst_a).get(reverse("sites:export", args=["geojson"]))
    assert geo["Content-Disposition"] == 'attachment; filename="sites.geojson"'
    features = json.loads(geo.content)["features"]
    kk = next(f for f in features if f["properties"]["name"] == "KK Park")
    assert kk["geometry"] == {"type": "Point", "coordinates": [98.5266, 16.7473]}
    assert kk["properties"]["status"] == "active"
    rows = list(csv.DictReader(io.StringIO(login(analyst_a).get(reverse("sites:export", args=["csv"])).content.decode())))  # fmt: skip
    assert {row["name"] for row in rows} == {"KK Park", "'=HYPERLINK(1)"}
    event = AuditEvent.objects.filter(action="sites.site.exported").order_by("-seq").first()
    assert event.payload == {"format": "csv", "count": 2, "operators": 0}


def test_it_exports_followthemoney_with_operators_never_victims(
    login, coordinator_a, analyst_a, case_a, registry
):
    lines = (
        login(coordinator_a)
        .get(reverse("sites:export", args=["ftm"]))
        .content.decode()
        .splitlines()
    )
    entities = [json.loads(line) for line in lines]
    schemas = sorted(e["schema"] for e in entities)
    assert schemas == ["Company", "Ownership", "Person", "RealEstate", "RealEstate", "UnknownLink"]
    person = next(e for e in entities if e["schema"] == "Person")
    assert person["properties"]["name"] == ["Boss Wang"]
    assert "张伟" not in "".join(lines)  # the victim of case_a
    analyst = login(analyst_a).get(reverse("sites:export", args=["ftm"])).content.decode()
    assert "Boss Wang" not in analyst and "Yatai" in analyst


def test_it_imports_and_exports_through_the_api(coordinator_a, analyst_a, admin_a):
    report = api_client(coordinator_a).post("/api/v1/sites/import", {"file": SimpleUploadedFile("s.csv", BAD_CSV.encode())})  # fmt: skip
    assert report.status_code == 200 and report.json()["imported"] == 0
    assert [r["row"] for r in report.json()["rejected"]] == [3, 4, 5, 6, 7]
    assert api_client(admin_a).post("/api/v1/sites/import", {"file": SimpleUploadedFile("s.csv", GOOD_CSV.encode())}).status_code == 403  # fmt: skip
    api_client(coordinator_a).post("/api/v1/sites/import", {"file": SimpleUploadedFile("s.csv", GOOD_CSV.encode())})  # fmt: skip
    exported = api_client(analyst_a).get(
        "/api/v1/sites/export", {"format": "geojson", "country": "KH"}
    )
    assert [f["properties"]["name"] for f in json.loads(exported.content)["features"]] == [
        "Chinatown"
    ]
