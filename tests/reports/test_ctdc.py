"""The CTDC export end to end: from the database to the zip, in the UI, the API and the CLI."""

import csv
import io
import json
import re
import uuid
import zipfile
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lifeline.audit.models import AuditEvent
from lifeline.cases.models import Case
from lifeline.people.models import Person
from lifeline.reports import ctdc
from lifeline.reports.ctdc_rules import COLUMNS
from lifeline.sites.sightings import sighting_record
from tests.api import api_client
from tests.factories import make_case, make_site

ALLOWED_AGES = {"", "0--8", "9--17", "18--20", "21--23", "24--26", "27--29", "30--38", "39--47", "48+"}  # fmt: skip
FORBIDDEN_HEADER = re.compile(r"name|phone|contact|mail|address|note|text|summary|date|birth|uid|reference|location", re.I)  # fmt: skip
EXACT_DATE = re.compile(r"\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4}")
SECRET = "Zawadi Kettleborough"


def _open(data: bytes) -> dict[str, list[list[str]]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        files = {name: archive.read(name).decode("utf-8") for name in archive.namelist()}
    manifest = json.loads(files.pop("manifest.json"))
    parsed = {name: list(csv.reader(io.StringIO(text))) for name, text in files.items()}
    parsed["manifest"] = manifest  # type: ignore[assignment]
    return parsed


def assert_safe(data: bytes, k: int, *secrets: str) -> dict:
    """The checks every export must pass, whatever the data."""
    files = _open(data)
    text = zipfile.ZipFile(io.BytesIO(data))
    for name in text.namelist():
        body = text.read(name).decode("utf-8")
        for secret in secrets:
            assert secret not in body, f"{secret!r} in {name}"
    victims = files["victims.csv"]
    header, rows = victims[0], [tuple(row) for row in victims[1:]]
    assert tuple(header) == COLUMNS
    assert not [h for h in header if FORBIDDEN_HEADER.search(h)]
    assert all(n >= k for n in Counter(rows).values()), "a combination under k"
    for row in rows:
        assert row[COLUMNS.index("ageBroad")] in ALLOWED_AGES
        assert re.fullmatch(r"\d{4}", row[0])
        for cell in row:
            assert not EXACT_DATE.search(cell)
            assert not cell.startswith(("=", "+", "-", "@"))
    for name, table in files.items():
        if name in ("victims.csv", "manifest"):
            continue
        assert table[0][-1] == "count"
        assert not [h for h in table[0] if FORBIDDEN_HEADER.search(h)]
        for row in table[1:]:
            assert int(row[-1]) >= k and int(row[-1]) % k == 0
            assert not any(EXACT_DATE.search(cell) for cell in row)
    manifest = files["manifest"]
    assert manifest["parameters"]["k"] == k
    assert manifest["victims"]["records_released"] == len(rows)
    return files


# Random data straight into the tables (services are too slow for many examples).

person_values = st.fixed_dictionaries(
    {
        "gender": st.sampled_from(
            ["Feminine", "Masculine", "NonConforming", "NonSpecifiedUnknown"]
        ),
        "age_band": st.sampled_from(["", "9--17", "18--20", "21--23", "30--38"]),
        "citizenship": st.sampled_from(["VN", "CN", "TH", "ID", ""]),
        "types": st.lists(
            st.sampled_from(
                ["ForcedCriminality", "ForcedLabour", "SexualExploitation", "ForcedMarriage"]
            ),
            max_size=2,
            unique=True,
        ),  # fmt: skip
        "controls": st.lists(
            st.sampled_from(["DebtBondage", "PhysicalAbuse", "WithholdsDocuments"]),
            max_size=2,
            unique=True,
        ),  # fmt: skip
        "status": st.sampled_from(["reported", "rescued", "home", "closed"]),
        "relation": st.sampled_from(["", "Familial", "Unaquainted"]),
        "copies": st.integers(min_value=1, max_value=14),
    }
)


def _fill(org, victims):
    persons, cases = [], []
    for spec in victims:
        for _ in range(spec["copies"]):
            persons.append(
                Person(
                    organisation=org,
                    gender=spec["gender"],
                    age_band=spec["age_band"],
                    citizenship=spec["citizenship"],
                    notes=SECRET,
                    age="19",
                )
            )
    Person.objects.bulk_create(persons)
    i = 0
    for spec in victims:
        for _ in range(spec["copies"]):
            cases.append(
                Case(
                    organisation=org,
                    reference=f"R-{uuid.uuid4().hex[:12]}",
                    person=persons[i],
                    status=spec["status"],
                    exploitation_types=spec["types"],
                    methods_of_control=spec["controls"],
                    relationship_to_trafficker=spec["relation"],
                    summary=SECRET,
                )
            )
            i += 1
    Case.objects.bulk_create(cases)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(victims=st.lists(person_values, min_size=1, max_size=12), k=st.integers(min_value=5, max_value=15))  # fmt: skip
def test_it_never_exports_a_combination_under_k_or_a_forbidden_field(coordinator_a, victims, k):
    with transaction.atomic():
        _fill(coordinator_a.organisation, victims)
        out = io.BytesIO()
        release = ctdc.ctdc_export(actor=coordinator_a, params=ctdc.ExportParameters(k=k), out=out)
        assert release.victims.total == sum(v["copies"] for v in victims)
        assert_safe(out.getvalue(), k, SECRET)
        transaction.set_rollback(True)


@pytest.fixture
def victims(coordinator_a, coordinator_b):
    """24 Vietnamese women forced to scam in Cambodia (organisation A), one Kenyan man, and
    organisation B's own victims."""
    org = coordinator_a.organisation
    _fill(org, [{"gender": "Feminine", "age_band": "21--23", "citizenship": "VN", "types": ["ForcedCriminality"], "controls": ["DebtBondage"], "status": "rescued", "relation": "", "copies": 24}])  # fmt: skip
    _fill(org, [{"gender": "Masculine", "age_band": "48+", "citizenship": "KE", "types": ["SexualExploitation"], "controls": [], "status": "reported", "relation": "Familial", "copies": 1}])  # fmt: skip
    _fill(coordinator_b.organisation, [{"gender": "Masculine", "age_band": "30--38", "citizenship": "CN", "types": [], "controls": [], "status": "home", "relation": "", "copies": 30}])  # fmt: skip
    case = make_case(coordinator_a, subject_name=SECRET, subject_contact="+855 97 555 0199")
    site = make_site(coordinator_a, name="Jinbei", country="KH", latitude=10.6, longitude=103.5)
    sighting_record(
        actor=coordinator_a,
        person=case.person,
        site=site,
        seen_at=case.created_at,
        source="rescued",
    )
    return case


def test_it_writes_the_file_with_forced_criminality_kept_apart(victims, coordinator_a):
    out = io.BytesIO()
    ctdc.ctdc_export(actor=coordinator_a, params=ctdc.ExportParameters(k=11), out=out)
    files = assert_safe(out.getvalue(), 11, SECRET, "+855", victims.reference)
    rows = files["victims.csv"][1:]
    assert len(rows) == 24  # 2 suppressed: the Kenyan man and the case of the secret name
    row = dict(zip(COLUMNS, rows[0], strict=True))
    assert row["isForcedCriminality"] == "1" and row["isForcedLabour"] == "1"
    assert row["vic_LabourIndustry"] == "J_InformationAndCommunication"
    assert row["prs_Nationality"] == "VN" and row["cas_Status"] == "Active"
    assert "CN" not in json.dumps(files["victims.csv"])  # organisation B's
    unodc = {tuple(r[:-1]): int(r[-1]) for r in files["unodc_victims.csv"][1:]}
    year = row["yearOfRegistration"]
    assert unodc == {(year, "women", "ForcedCriminality"): 22}  # 24 rounded down to 2 × 11
    controls = {tuple(r[:-1]): int(r[-1]) for r in files["methods_of_control.csv"][1:]}
    assert controls == {(year, "DebtBondage"): 22}
    manifest = files["manifest"]
    assert manifest["victims"]["records_suppressed"] == 2
    assert manifest["tables"]["nationality"]["cells_suppressed"] == 2  # KE and unknown
    assert set(manifest["files"]) == {f"{n}.csv" for n in ("victims", "unodc_victims", "nationality", "country_of_exploitation", "age_gender", "methods_of_control")}  # fmt: skip


def test_it_reads_no_personal_column(victims, coordinator_a):
    """The export's queries select banded and coded columns only: no encrypted field is ever
    read, so none can reach the file."""
    with CaptureQueriesContext(connection) as queries:
        ctdc.build_release(actor=coordinator_a, params=ctdc.ExportParameters(k=11))
    selects = [q["sql"].split(" FROM ")[0] for q in queries.captured_queries]
    assert len(selects) == 2  # victims (and forms of exploitation), methods of control
    personal = ["summary", "last_known_location", "birth_date", '"notes"', '."age"', "reference", '"uid"', "place", "body"]  # fmt: skip
    for select in selects:
        for column in personal:
            assert column not in select, (column, select)


def test_it_checks_the_parameters():
    with pytest.raises(Exception, match="k must be between"):
        ctdc.check_parameters(k=3, from_year=None, to_year=None)
    with pytest.raises(Exception, match="must not be before"):
        ctdc.check_parameters(k=11, from_year=2026, to_year=2025)
    assert ctdc.check_parameters(k=11, from_year=2025, to_year=None).from_year == 2025


def test_it_previews_what_is_suppressed_and_why(victims, login, analyst_a):
    page = login(analyst_a).get("/reports/ctdc/?k=11").content.decode()
    assert 'id="ctdc-preview"' in page and "Left out" in page
    assert "Zawadi" not in page and victims.reference not in page
    assert "KE" in page  # the suppressed nationality cell, by label and "fewer than 11"
    assert not AuditEvent.objects.filter(action="reports.ctdc.exported").exists()


def test_it_refuses_a_small_k_with_a_message(login, coordinator_a):
    page = login(coordinator_a).get("/reports/ctdc/?k=2").content.decode()
    assert "greater than or equal to 5" in page and 'id="ctdc-preview"' not in page
    response = login(coordinator_a).get("/reports/ctdc/export.zip?k=2")
    assert response.status_code == 400
    assert not AuditEvent.objects.filter(action="reports.ctdc.exported").exists()


def test_it_downloads_and_audits_the_zip(victims, login, coordinator_a):
    response = login(coordinator_a).get("/reports/ctdc/export.zip?k=11&from_year=2020")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert_safe(response.content, 11, SECRET)
    event = AuditEvent.objects.get(action="reports.ctdc.exported")
    assert event.payload["k"] == 11 and event.payload["records_released"] == 24
    assert event.payload["channel"] == "ui" and event.payload["from_year"] == 2020


def test_it_exports_in_the_api(victims, analyst_a, coordinator_b):
    client = api_client(analyst_a)
    preview = client.get("/api/v1/reports/ctdc/preview?k=11").json()
    assert preview["records_released"] == 24 and preview["records_suppressed"] == 2
    response = client.get("/api/v1/reports/ctdc/export?k=12")
    assert response.status_code == 200
    assert_safe(response.content, 12, SECRET)
    assert AuditEvent.objects.filter(
        action="reports.ctdc.exported", payload__channel="api"
    ).exists()
    assert client.get("/api/v1/reports/ctdc/export?k=4").status_code == 422
    theirs = api_client(coordinator_b).get("/api/v1/reports/ctdc/preview?k=11").json()
    assert theirs["records_considered"] == 30


def test_it_exports_from_the_command_line(victims, coordinator_a, tmp_path, capsys):
    out = tmp_path / "ctdc.zip"
    call_command("export", "ctdc", "--organisation", "mekong", "--member", "coord_a", "--k", "11", "--out", str(out))  # fmt: skip
    assert "24 of 26 victims released" in capsys.readouterr().out
    assert_safe(out.read_bytes(), 11, SECRET)
    assert AuditEvent.objects.filter(
        action="reports.ctdc.exported", payload__channel="cli"
    ).exists()
    with pytest.raises(CommandError, match="k must be between"):
        call_command("export", "ctdc", "--organisation", "mekong", "--member", "coord_a", "--k", "2", "--out", str(out))  # fmt: skip
    with pytest.raises(CommandError, match="No active member"):
        call_command("export", "ctdc", "--organisation", "mekong", "--member", "worker_a", "--out", str(out))  # fmt: skip


def test_it_releases_only_codes_whatever_a_row_holds(coordinator_a):
    """A corrupt or imported row cannot smuggle text into a coded column."""
    org = coordinator_a.organisation
    _fill(org, [{"gender": "Feminine", "age_band": "Zawadi", "citizenship": "z1", "types": ["Zawadi"], "controls": ["Zawadi"], "status": "reported", "relation": "Zawadi", "copies": 12}])  # fmt: skip
    Person.objects.filter(organisation=org).update(gender="Zawadi")
    out = io.BytesIO()
    ctdc.ctdc_export(actor=coordinator_a, params=ctdc.ExportParameters(k=11), out=out)
    files = assert_safe(out.getvalue(), 11, "Zawadi")
    assert len(files["victims.csv"]) == 13


def test_it_previews_an_empty_organisation(login, admin_a):
    page = login(admin_a).get("/reports/ctdc/?k=11&from_year=2020&to_year=2021").content.decode()
    assert 'id="ctdc-preview"' in page and "Victims considered" in page
    blank = login(admin_a).get("/reports/ctdc/").content.decode()
    assert 'value="11"' in blank and 'id="ctdc-preview"' not in blank
