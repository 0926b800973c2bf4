"""Import screens, API and command line: the whole path, cross-organisation 404s, 403s."""

import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from lifeline.audit.models import AuditEvent
from lifeline.cases.models import Case
from lifeline.people.models import Person
from lifeline.reports.importing import services
from lifeline.reports.models import ImportBatch, ImportStatus
from tests.api import NOT_FOUND, api_client, call
from tests.reports.sheets import COLUMNS, HEADERS, csv_bytes, upload, xlsx_bytes

pytestmark = pytest.mark.usefixtures("evidence_dir")


def _mapping_post(batch, columns=COLUMNS, **extra):
    data = {f"col_{i}": columns.get(h, "") for i, h in enumerate(batch.headers)}
    return data | {"encoding": batch.encoding or "utf-8"} | extra


def test_the_coordinator_uploads_maps_checks_confirms_and_rolls_back(coordinator_a, login):
    client = login(coordinator_a)
    response = client.post(reverse("reports:import_list"), {"file": upload(csv_bytes())})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response.url == batch.get_absolute_url()
    page = client.get(batch.get_absolute_url())
    assert page.status_code == 200 and "张伟" in page.content.decode()  # the preview
    assert AuditEvent.objects.filter(action="reports.import.viewed").exists()
    response = client.post(batch.get_absolute_url(), _mapping_post(batch))
    assert response.status_code == 302
    page = client.get(batch.get_absolute_url()).content.decode()
    assert "3 rows checked: 3 can be imported" in page and not Person.objects.exists()
    response = client.post(
        reverse("reports:import_confirm", args=[batch.uid]), {"skip_duplicates": "on"}
    )
    assert response.status_code == 302 and Case.objects.count() == 3
    assert ImportBatch.objects.get().status == ImportStatus.DONE
    client.post(reverse("reports:import_rollback", args=[batch.uid]))
    assert not Case.objects.exists() and not Person.objects.exists()


def test_a_bad_mapping_is_a_400_naming_the_problem(coordinator_a, login):
    client = login(coordinator_a)
    batch = services.import_upload(actor=coordinator_a, data=csv_bytes(), filename="c.csv")
    response = client.post(batch.get_absolute_url(), _mapping_post(batch, {}))
    assert response.status_code == 400
    assert "Choose the column that holds the names" in response.content.decode()


def test_a_file_that_cannot_be_read_is_a_400_with_its_reason(coordinator_a, login):
    response = login(coordinator_a).post(
        reverse("reports:import_list"), {"file": upload(b"PK\x03\x04broken", "c.xlsx")}
    )
    assert response.status_code == 400 and "could not be opened" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_another_organisation_gets_404_and_others_403(
    coordinator_a, coordinator_b, caseworker_a, analyst_a, login
):
    batch = services.import_upload(actor=coordinator_a, data=csv_bytes(), filename="c.csv")
    for name in ("import_detail", "import_confirm", "import_rollback", "import_abandon"):
        method = "get" if name == "import_detail" else "post"
        url = reverse(f"reports:{name}", args=[batch.uid])
        assert getattr(login(coordinator_b), method)(url).status_code == 404
        for member in (caseworker_a, analyst_a):
            assert getattr(login(member), method)(url).status_code == 403
    assert login(analyst_a).get(reverse("reports:import_list")).status_code == 403


def test_the_api_runs_the_same_path(coordinator_a, coordinator_b):
    client = api_client(coordinator_a)
    response = client.post("/api/v1/imports", {"file": upload(xlsx_bytes(), "c.xlsx")})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["columns"]["电话"] == "phone" and body["row_count"] == 3
    uid = body["uid"]
    assert call(api_client(coordinator_b), "get", f"/api/v1/imports/{uid}").json() == NOT_FOUND
    checked = call(client, "post", f"/api/v1/imports/{uid}/check", {"columns": COLUMNS})
    assert checked.status_code == 200 and checked.json()["result"]["importable"] == 3
    assert (
        call(
            client, "post", f"/api/v1/imports/{uid}/check", {"columns": COLUMNS, "x": 1}
        ).status_code
        == 422
    )
    confirmed = call(client, "post", f"/api/v1/imports/{uid}/confirm", {})
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "done"
    assert Case.objects.count() == 3
    assert call(client, "get", "/api/v1/imports").json()["count"] == 1
    rolled = call(client, "post", f"/api/v1/imports/{uid}/rollback")
    assert rolled.json() == {"cases": 3, "persons": 3, "erased": 0}


def test_the_api_abandons_an_unconfirmed_import_and_destroys_its_file(coordinator_a):
    client = api_client(coordinator_a)
    uid = client.post("/api/v1/imports", {"file": upload(csv_bytes())}).json()["uid"]
    assert call(client, "delete", f"/api/v1/imports/{uid}").status_code == 204
    assert ImportBatch.objects.get().blob == ""


def test_the_command_line_dry_run_writes_nothing_and_the_import_can_be_rolled_back(
    coordinator_a, tmp_path, capsys
):
    sheet = tmp_path / "cases.csv"
    sheet.write_bytes(csv_bytes())
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps(COLUMNS), encoding="utf-8")
    who = [
        "--organisation",
        coordinator_a.organisation.slug,
        "--member",
        coordinator_a.user.username,
    ]
    call_command("import", str(sheet), *who, "--mapping", str(mapping), "--dry-run")
    out = capsys.readouterr().out
    assert "3 rows checked: 3 can be imported" in out and "nothing was written" in out
    assert not Person.objects.exists() and ImportBatch.objects.get().blob == ""
    call_command("import", str(sheet), *who)  # the remembered mapping
    out = capsys.readouterr().out
    assert "Imported 3 rows" in out and Case.objects.count() == 3
    uid = str(ImportBatch.objects.get(status=ImportStatus.DONE).uid)
    call_command("import", *who, "--rollback", uid)
    assert not Case.objects.exists()
    assert HEADERS[0] in json.dumps(ImportBatch.objects.first().headers, ensure_ascii=False)
